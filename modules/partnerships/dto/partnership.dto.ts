import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { IsDateOnly } from '../../reference-data';
import { Trim } from '../../../src/http/transforms';

export const PARTNERSHIP_STATUSES = ['proposed', 'active', 'ended'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];
export const AGREEMENT_STATUSES = ['draft', 'signed', 'terminated'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export class CreatePartnershipDto {
  @ApiProperty({ format: 'uuid', description: '本校专业' })
  @IsUUID()
  programmeId: string;

  @ApiProperty({ format: 'uuid', description: '全省企业库中的企业（自动关联到本校）' })
  @IsUUID()
  enterpriseId: string;
}

export class ActivatePartnershipDto {
  @ApiProperty({ example: 1, description: '读取时的版本号；与当前版本不一致时返回 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ example: '2026-03-01', description: '开始日期，默认今天' })
  @IsOptional()
  @IsDateOnly()
  startedOn?: string;
}

export class EndPartnershipDto {
  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ example: '2029-07-31', description: '结束日期，默认今天' })
  @IsOptional()
  @IsDateOnly()
  endedOn?: string;
}

export class PartnershipListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ enum: PARTNERSHIP_STATUSES, enumName: 'PartnershipStatus' })
  @IsOptional()
  @IsIn(PARTNERSHIP_STATUSES)
  status?: PartnershipStatus;
}

export class PartnershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) programmeName: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ example: '广州精工数控设备有限公司' }) enterpriseName: string;
  @ApiProperty({ enum: PARTNERSHIP_STATUSES, enumName: 'PartnershipStatus', description: 'proposed 拟合作；active 合作中；ended 已结束' }) status: PartnershipStatus;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-03-01' }) startedOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) endedOn: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
}

export class PartnershipPage {
  @ApiProperty({ type: [PartnershipView] }) items: PartnershipView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CreateAgreementDto {
  @ApiProperty({ example: '2026-03-01', description: '协议期限开始' })
  @IsDateOnly()
  termStart: string;

  @ApiProperty({ example: '2030-07-31', description: '协议期限结束（含当日）' })
  @IsDateOnly()
  termEnd: string;

  @ApiProperty({
    example: '学院负责人才培养方案制定与理论教学；企业提供实践岗位、技术项目与企业导师，参与过程性与终结性考评，优先录用合格毕业生。',
    description: '双方权利与义务',
  })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  rightsAndDuties: string;
}

export class UpdateAgreementDto {
  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional()
  @IsDateOnly()
  termStart?: string;

  @ApiPropertyOptional({ example: '2030-07-31' })
  @IsOptional()
  @IsDateOnly()
  termEnd?: string;

  @ApiPropertyOptional({ example: '学院负责理论教学与学籍管理；企业提供实践岗位、技术项目与企业导师，参与过程性与终结性考评。', description: '双方权利与义务' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  rightsAndDuties?: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class SignAgreementDto {
  @ApiProperty({ example: '2026-02-26', description: '签署日期' })
  @IsDateOnly()
  signedOn: string;

  @ApiProperty({ format: 'uuid', description: '已签章协议文件的附件 id（本校上传）' })
  @IsUUID()
  signedFileAttachmentId: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class TerminateAgreementDto {
  @ApiProperty({ example: '企业经营范围调整，双方协商一致提前终止' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ example: '2027-06-30', description: '终止日期，默认今天' })
  @IsOptional()
  @IsDateOnly()
  terminatedOn?: string;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  version: number;
}

export class AgreementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ example: '广州市工贸技师学院', description: '院校方（起草时的名称快照）' }) collegePartyName: string;
  @ApiProperty({ example: '广州精工数控设备有限公司', description: '企业方（起草时的名称快照）' }) enterprisePartyName: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-02-26' }) signedOn: string | null;
  @ApiProperty({ example: '2026-03-01' }) termStart: string;
  @ApiProperty({ example: '2030-07-31' }) termEnd: string;
  @ApiProperty({ example: '学院负责理论教学与学籍管理；企业提供实践岗位、技术项目与企业导师，参与过程性与终结性考评。' }) rightsAndDuties: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) signedFileAttachmentId: string | null;
  @ApiProperty({ enum: AGREEMENT_STATUSES, enumName: 'AgreementStatus', description: 'draft 草稿；signed 已签署；terminated 已终止' }) status: AgreementStatus;
  @ApiProperty({ description: '是否生效：已签署且今天（北京时间）在协议期限内（R-TRN-1）' }) inForce: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) terminatedOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '企业经营范围调整，双方协商一致提前终止' }) terminationReason: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
}
