import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsDateOnly } from '../../reference-data';
import { Trim } from '../../../src/http/transforms';

export const COOPERATION_KINDS = ['industry-college', 'order-class', 'new-apprenticeship'] as const;
export type CooperationKind = (typeof COOPERATION_KINDS)[number];
export const COOPERATION_KIND_LABELS: Record<CooperationKind, string> = {
  'industry-college': '产业学院',
  'order-class': '订单班',
  'new-apprenticeship': '企业新型学徒制',
};

export class CreateCooperationDto {
  @ApiProperty({ enum: COOPERATION_KINDS, enumName: 'CooperationKind', example: 'order-class', description: 'industry-college 产业学院；order-class 订单班；new-apprenticeship 企业新型学徒制' })
  @IsIn(COOPERATION_KINDS)
  kind: CooperationKind;

  @ApiProperty({ example: '广州市工贸技师学院', description: '合作的职业院校' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  partnerCollege: string;

  @ApiProperty({ example: '数控加工“精工班”订单培养' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '2024-09-01' })
  @IsDateOnly()
  startedOn: string;

  @ApiPropertyOptional({ type: String, example: '2026-07-15', nullable: true, description: '结束日期；空表示仍在进行' })
  @IsOptional()
  @IsDateOnly()
  endedOn?: string | null;

  @ApiPropertyOptional({ example: '校企合作协议（2024）第 12 号，订单班学生 42 人' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  evidence?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '佐证材料附件（先上传到 /attachments）' })
  @IsOptional()
  @IsUUID()
  attachmentId?: string;
}

export class CooperationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ enum: COOPERATION_KINDS, enumName: 'CooperationKind' }) kind: CooperationKind;
  @ApiProperty({ example: '订单班' }) kindLabel: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) partnerCollege: string;
  @ApiProperty({ example: '数控加工“精工班”订单培养' }) title: string;
  @ApiProperty({ example: '2024-09-01' }) startedOn: string;
  @ApiPropertyOptional({ nullable: true, type: String }) endedOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) evidence: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) attachmentId: string | null;
  @ApiProperty({ description: '是否在参考日期前三年内（R-ENT-1）' }) withinLastThreeYears: boolean;
  @ApiProperty() createdAt: string;
}

export class CriterionReasonView {
  @ApiProperty({ example: '近三年内没有产业学院、订单班或企业新型学徒制合作记录' }) zh: string;
  @ApiProperty({ example: 'No industry-college, order-class or new-apprenticeship project in the last three years' }) en: string;
}

export class CriterionResultView {
  @ApiProperty({ example: 'R-ENT-1' }) rule: string;
  @ApiProperty() met: boolean;
  @ApiProperty({ type: [CriterionReasonView] }) reasons: CriterionReasonView[];
}
