import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNotEmptyObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedObject } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { REVENUE_BANDS, RevenueBand } from '../enterprise.entity';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';

/** Profile fields, all optional (used by registration, direct edits and change proposals). */
export class EnterpriseProfileFields {
  @ApiPropertyOptional({ example: '通用设备制造业', description: '所属行业' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  industry?: string;

  @ApiPropertyOptional({ example: ['P03', 'E06'], description: '服务的“双十”产业集群代码（见 /reference/industry-clusters）' })
  @IsOptional()
  @IsString({ each: true })
  @Matches(/^[A-Z][0-9]{2}$/, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(20)
  clusterCodes?: string[];

  @ApiPropertyOptional({ example: 1200, description: '职工人数（R-ENT-1 规模）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  headcount?: number;

  @ApiPropertyOptional({
    enum: REVENUE_BANDS, enumName: 'RevenueBand',
    example: '400m-2b',
    description: '年营业收入区间：below-20m 2000万元以下；20m-400m 2000万元至4亿元；400m-2b 4亿元至20亿元；2b-10b 20亿元至100亿元；over-10b 100亿元以上',
  })
  @IsOptional()
  @IsIn(REVENUE_BANDS)
  revenueBand?: RevenueBand;

  @ApiPropertyOptional({ example: '国家级专精特新“小巨人”企业，省级企业技术中心', description: '行业地位（R-ENT-1 影响力）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  standing?: string;

  @ApiPropertyOptional({ example: '广州市黄埔区科学城开源大道 11 号' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  address?: string;

  @ApiPropertyOptional({ example: '谭伟明', description: '联系人' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  contactName?: string;

  @ApiPropertyOptional({ example: '13800138020', description: '联系电话（响应中除本企业管理员和省级管理员外均脱敏）' })
  @IsOptional()
  @Matches(/^[0-9+\- ]{7,20}$/)
  contactPhone?: string;

  @ApiPropertyOptional({ example: true, description: '重视技能人才培养（R-ENT-1）' })
  @IsOptional()
  @IsBoolean()
  valuesSkillsTraining?: boolean;

  @ApiPropertyOptional({ example: '设有企业技能人才评价机构，每年开展职业技能等级认定' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  valuesSkillsTrainingNote?: string;

  @ApiPropertyOptional({ example: true, description: '参与过程性和终结性考评（R-ENT-4）' })
  @IsOptional()
  @IsBoolean()
  takesPartInAssessment?: boolean;

  @ApiPropertyOptional({ example: true, description: '能在本企业或上下游产业链安置毕业生（R-ENT-4）' })
  @IsOptional()
  @IsBoolean()
  canPlaceGraduates?: boolean;

  @ApiPropertyOptional({ example: '每年可提供 30 个技师岗位，并推荐至上下游 5 家配套企业' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  canPlaceGraduatesNote?: string;
}

export class RegisterEnterpriseDto extends EnterpriseProfileFields {
  @ApiProperty({ example: '91440112MA9DEM01X0', description: '统一社会信用代码（18 位，按 GB 32100-2015 校验）' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : value))
  @MaxLength(32)
  uscc: string;

  @ApiProperty({ example: '广州精工数控设备有限公司', description: '企业名称（与营业执照一致）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export class OverrideRegisterEnterpriseDto extends RegisterEnterpriseDto {
  @ApiProperty({ example: '该企业 2015 年前取得的代码未按 GB 32100-2015 编制，经市场监管部门核实', description: '不校验代码的理由（记入审计）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  usccOverrideReason: string;
}

export class ProfileChangesDto extends EnterpriseProfileFields {
  @ApiPropertyOptional({ example: '广州精工数控设备股份有限公司' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
}

export class UpdateEnterpriseDto extends ProfileChangesDto {
  @ApiProperty({ example: 1, description: '读取时的版本号；与当前版本不一致时返回 409' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ProposeChangeDto {
  @ApiProperty({ type: ProfileChangesDto, example: { headcount: 1350, standing: '国家级专精特新“小巨人”企业' } })
  @IsNotEmptyObject()
  @NestedObject(() => ProfileChangesDto)
  changes: ProfileChangesDto;

  @ApiPropertyOptional({ example: '根据 2025 年年报更新职工人数' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class RejectProposalDto {
  @ApiProperty({ example: '职工人数以社保缴纳人数为准，仍为 1200 人' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class EnterpriseListQuery extends PageQuery {
  @ApiPropertyOptional({ example: '精工', description: '按名称或统一社会信用代码模糊查找' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ example: 'P03', description: '按产业集群筛选' })
  @IsOptional()
  @Matches(/^[A-Z][0-9]{2}$/)
  clusterCode?: string;
}

export class ReferenceDateQuery {
  @ApiPropertyOptional({ example: '2026-03-31', description: '参考日期（申报日期，默认今天，按北京时间）' })
  @IsOptional()
  @IsDateOnly()
  referenceDate?: string;
}

export class EnterpriseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '91440112MA9DEM01X0' }) uscc: string;
  @ApiProperty({ example: '广州精工数控设备有限公司' }) name: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '通用设备制造业' }) industry: string | null;
  @ApiProperty({ example: ['P03'] }) clusterCodes: string[];
  @ApiPropertyOptional({ nullable: true, type: Number, example: 1200 }) headcount: number | null;
  @ApiPropertyOptional({ nullable: true, enum: REVENUE_BANDS, enumName: 'RevenueBand' }) revenueBand: RevenueBand | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '4亿元至20亿元' }) revenueBandLabel: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) standing: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '谭伟明' }) contactName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '138****8020', description: '本企业管理员和省级管理员看到完整号码，其他人看到脱敏号码' })
  contactPhone: string | null;
  @ApiProperty() valuesSkillsTraining: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) valuesSkillsTrainingNote: string | null;
  @ApiProperty() takesPartInAssessment: boolean;
  @ApiProperty() canPlaceGraduates: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) canPlaceGraduatesNote: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '省级管理员记录的代码校验豁免理由' }) usccOverrideReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) usccOverrideAt: string | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class EnterprisePage {
  @ApiProperty({ type: [EnterpriseView] }) items: EnterpriseView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class RegisterEnterpriseResult {
  @ApiProperty({ enum: ['created', 'linked', 'already-linked', 'existing'], enumName: 'EnterpriseRegistration', example: 'linked', description: 'created 新建；linked 已在全省企业库中，已关联到本校（未重复创建）；already-linked 本校早已关联；existing 省级用户登记已存在的企业' })
  outcome: 'created' | 'linked' | 'already-linked' | 'existing';
  @ApiProperty({ example: '该企业已在全省企业库中，已关联到本校，未重复创建' }) message: string;
  @ApiProperty({ type: EnterpriseView }) enterprise: EnterpriseView;
}

export class ChangeProposalView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ type: ProfileChangesDto, example: { headcount: 1350, standing: '国家级专精特新“小巨人”企业' } }) changes: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String, example: '根据 2025 年年报更新职工人数' }) note: string | null;
  @ApiProperty({ enum: ['pending', 'accepted', 'rejected'], enumName: 'ProfileChangeStatus', description: 'pending 待企业确认；accepted 已接受；rejected 已拒绝' }) status: 'pending' | 'accepted' | 'rejected';
  @ApiPropertyOptional({ nullable: true, type: String, example: '职工人数以社保缴纳人数为准，仍为 1200 人' }) rejectReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty() createdAt: string;
}
