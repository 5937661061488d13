import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

export class UploadAttachmentDto {
  @ApiPropertyOptional({ example: 'agreement', description: '所属记录类型（如 agreement 协议、training-plan 培养方案、enterprise 企业资质）；与 ownerId 同时填写' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,47}$/)
  ownerEntity?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '所属记录的 id' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;
}

/** The multipart body as OpenAPI sees it. */
export class UploadAttachmentForm extends UploadAttachmentDto {
  @ApiProperty({ type: 'string', format: 'binary', description: '文件：PDF、PNG/JPEG、Office 文档（按文件内容识别类型），不超过 20 MB（可配置）' })
  file: unknown;
}

export class AttachmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '校企共培学制技师合作协议（签章版）.pdf' }) filename: string;
  @ApiProperty({ example: 'application/pdf', description: '由文件内容识别的类型' }) contentType: string;
  @ApiProperty({ example: 348211 }) sizeBytes: number;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: '文件内容的 SHA-256（十六进制）' }) sha256: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'agreement' }) ownerEntity: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) ownerId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: '文件涉及的企业（企业用户只能看到本企业的文件）' }) enterpriseId: string | null;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ example: '2026-03-02T08:15:00.000Z' }) createdAt: string;
}
