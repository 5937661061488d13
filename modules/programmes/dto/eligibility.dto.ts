import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsDateOnly } from '../../reference-data';

export const ELIGIBILITY_RULES = ['R-PRG-1', 'R-PRG-2', 'R-PRG-3', 'R-PRG-4'] as const;
export type EligibilityRule = (typeof ELIGIBILITY_RULES)[number];

export class EligibilityQuery {
  @ApiPropertyOptional({ example: '2026-05-20', description: '参照日期（YYYY-MM-DD，默认北京时间今天）；“近 3 年”与协议是否有效均按此日期计算' })
  @IsOptional()
  @IsDateOnly()
  referenceDate?: string;
}

export class ReasonView {
  @ApiProperty({ example: '尚未关联“双十”产业集群' }) zh: string;
  @ApiProperty({ example: 'No "double ten" industry cluster is linked' }) en: string;
}

export class EnterpriseCriterionView {
  @ApiProperty({ example: 'R-ENT-1' }) rule: string;
  @ApiProperty({ example: false }) met: boolean;
  @ApiProperty({ type: [ReasonView] }) reasons: ReasonView[];
}

export class PartnerCheckView {
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ example: '广州数控设备有限公司（演示）' }) enterpriseName: string;
  @ApiProperty({ description: '联合培养协议已签署且在有效期内（R-TRN-1）' }) agreementInForce: boolean;
  @ApiProperty({ type: [EnterpriseCriterionView], description: 'R-ENT-1…4 逐项结果' }) criteria: EnterpriseCriterionView[];
  @ApiProperty({ description: '该企业满足全部条件且协议有效' }) met: boolean;
  @ApiProperty({ type: [ReasonView], description: '该企业尚缺少的条件' }) missing: ReasonView[];
}

export class CriterionView {
  @ApiProperty({ enum: ELIGIBILITY_RULES, enumName: 'EligibilityRule', example: 'R-PRG-1' }) rule: EligibilityRule;
  @ApiProperty({ example: '服务“双十”产业集群并有人才缺口依据' }) titleZh: string;
  @ApiProperty({ example: 'Serves a "double ten" cluster with talent-gap evidence' }) titleEn: string;
  @ApiProperty({ description: '是否为申报必备条件（R-PRG-4 为优先条件，非必备）' }) mandatory: boolean;
  @ApiProperty() met: boolean;
  @ApiProperty({ type: [ReasonView], description: '满足或不满足的原因' }) reasons: ReasonView[];
  @ApiPropertyOptional({ type: [PartnerCheckView], description: 'R-PRG-3：逐个合作企业的检查结果' }) partners?: PartnerCheckView[];
}

export class EligibilityView {
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '2026-05-20' }) referenceDate: string;
  @ApiProperty({ type: [CriterionView] }) criteria: CriterionView[];
  @ApiProperty({ description: 'R-PRG-5：必备条件（R-PRG-1…3）全部满足时才能申报' }) canApply: boolean;
}
