import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { CERTIFICATE_KINDS, CERTIFICATE_STATUSES, CertificateKind, CertificateStatus } from '../certificate.entity';

export class CreateCertificateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
  @ApiProperty({ enum: CERTIFICATE_KINDS, enumName: 'CertificateKind', description: 'national-technician 技师职业资格 / vocational-level-2 二级职业技能等级（R-EVA-3 ①）；industry-technician 行业 / enterprise-technician 企业认可技师级（②）' })
  @IsIn(CERTIFICATE_KINDS)
  kind: CertificateKind;
  @ApiProperty({ example: '车工' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(100) occupation: string;
  @ApiProperty({ example: '二级/技师' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(32) level: string;
  @ApiProperty({ example: 'S000044010002265002017' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(64) number: string;
  @ApiProperty({ example: '广东省人力资源和社会保障厅' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) issuer: string;
  @ApiProperty({ example: '2026-06-28', description: '发证日期（不能晚于今天）' }) @IsDateOnly() issuedOn: string;
  @ApiPropertyOptional({ format: 'uuid', description: '证书扫描件（POST /attachments 上传后的编号）' }) @IsOptional() @IsUUID() attachmentId?: string;
}

export class CertificateListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() cohortId?: string;
  @ApiPropertyOptional({ enum: CERTIFICATE_STATUSES, enumName: 'CertificateStatus' }) @IsOptional() @IsIn(CERTIFICATE_STATUSES) status?: CertificateStatus;
}

export class VerifyCertificateDto {
  @ApiProperty({ example: 1, description: '读取时的版本号；已被他人修改则 409' }) @IsInt() @Min(1) version: number;
}

export class RejectCertificateDto extends VerifyCertificateDto {
  @ApiProperty({ example: '证书编号在发证机构查询系统中查无记录' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class CertificateImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], enumName: 'BooleanFlag', description: 'true：只校验不写入' }) @IsOptional() @IsIn(['true', 'false']) dryRun?: string;
}

export class CertStudentRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '李明轩' }) name: string;
  @ApiProperty({ format: 'uuid' }) cohortId: string;
}

export class StudentCertificateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: CertStudentRef }) student: CertStudentRef;
  @ApiProperty({ enum: CERTIFICATE_KINDS, enumName: 'CertificateKind' }) kind: CertificateKind;
  @ApiProperty({ example: '技师职业资格证书' }) kindZh: string;
  @ApiProperty({ example: '①', enum: ['①', '②'], enumName: 'TechnicianRoute', description: 'R-EVA-3 达到技师水平的途径' }) route: '①' | '②';
  @ApiProperty({ example: '车工' }) occupation: string;
  @ApiProperty({ example: '二级/技师' }) level: string;
  @ApiProperty({ example: 'S000044010002265002017' }) number: string;
  @ApiProperty({ example: '广东省人力资源和社会保障厅' }) issuer: string;
  @ApiProperty({ example: '2026-06-28' }) issuedOn: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) attachmentId: string | null;
  @ApiProperty({ enum: CERTIFICATE_STATUSES, enumName: 'CertificateStatus', description: '只有已核验（verified）的证书计入技师达成' }) status: CertificateStatus;
  @ApiProperty({ nullable: true, type: String }) rejectReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) verifiedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) verifiedAt: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CertificatePage {
  @ApiProperty({ type: [StudentCertificateView] }) items: StudentCertificateView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CertImportError {
  @ApiProperty({ example: 3 }) row: number;
  @ApiProperty({ example: '证书编号' }) column: string;
  @ApiProperty({ example: '与第 2 行重复' }) message: string;
}

export class CertificateImportView {
  @ApiProperty({ example: true }) dryRun: boolean;
  @ApiProperty({ example: 12 }) totalRows: number;
  @ApiProperty({ example: 11, description: '将登记（dryRun）或已登记的证书数' }) created: number;
  @ApiProperty({ example: 1, description: '已登记过（同一学生、发证机构与编号）而跳过的行' }) unchanged: number;
  @ApiProperty({ type: [CertImportError] }) errors: CertImportError[];
}
