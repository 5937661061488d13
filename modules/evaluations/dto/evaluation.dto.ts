import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';

export const EVALUATION_KINDS = ['mid-term', 'completion'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];
export const CONCLUSIONS = ['pass', 'rectify', 'fail'] as const;
export type Conclusion = (typeof CONCLUSIONS)[number];

export class ScheduleEvaluationDto {
  @ApiProperty({ format: 'uuid', description: '试点专业' })
  @IsUUID()
  programmeId: string;

  @ApiProperty({ enum: EVALUATION_KINDS, enumName: 'EvaluationKind', example: 'mid-term', description: 'mid-term 中期评估 / completion 结业质量评估（R-GOV-3）' })
  @IsIn(EVALUATION_KINDS)
  kind: EvaluationKind;

  @ApiProperty({ example: '2027-03-15', description: '评估日期（KPI 快照以评估日为准）' })
  @IsDateOnly()
  scheduledOn: string;

  @ApiProperty({ type: [String], format: 'uuid', description: '评估专家（province-expert）' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  expertUserIds: string[];
}

export class ConcludeEvaluationDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: 100 },
    example: { '方案执行': 85, '校企协同': 80, '师资配备': 90, '分段分流': 75 },
    description: '评估清单逐项得分（0–100）',
  })
  @IsObject()
  checklistScores: Record<string, number>;

  @ApiPropertyOptional({ example: 86, description: '合作企业满意度调查得分（0–100；结业评估必填）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  enterpriseSatisfaction?: number;

  @ApiProperty({ enum: CONCLUSIONS, enumName: 'EvaluationConclusion', example: 'pass', description: 'pass 通过 / rectify 限期整改 / fail 不通过（撤销试点）' })
  @IsIn(CONCLUSIONS)
  conclusion: Conclusion;

  @ApiPropertyOptional({ example: '2027-06-30', description: '整改期限（限期整改时必填）' })
  @IsOptional()
  @IsDateOnly()
  rectifyBy?: string;

  @ApiProperty({ example: '方案执行到位，校企协同良好' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class RevokeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programmeId: string;

  @ApiProperty({ example: '违规跨专业招生，经核实属实' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class EvaluationListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;
}

export class EvaluationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) programmeName: string;
  @ApiProperty({ enum: EVALUATION_KINDS, enumName: 'EvaluationKind' }) kind: string;
  @ApiProperty({ example: '2027-03-15' }) scheduledOn: string;
  @ApiProperty({ type: [String] }) expertUserIds: string[];
  @ApiProperty({ example: 'scheduled', description: 'scheduled 已安排 / concluded 已有结论' }) status: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '评估日冻结的 KPI 快照' }) kpiSnapshot: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: { type: 'number' } }) checklistScores: Record<string, number> | null;
  @ApiProperty({ type: String, nullable: true, example: 'pass', description: 'pass 通过 / rectify 限期整改 / fail 不通过' }) conclusion: string | null;
  @ApiProperty({ type: String, nullable: true }) rectifyBy: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) concludedOn: string | null;
  @ApiProperty({ example: 1 }) version: number;
}

export class EvaluationPage {
  @ApiProperty({ type: [EvaluationView] }) items: EvaluationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class RevocationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 'violation', description: 'evaluation 评估不通过 / violation 违规' }) cause: string;
  @ApiProperty({ example: '违规跨专业招生' }) reason: string;
  @ApiProperty({ example: '2027-04-01' }) revokedOn: string;
  @ApiProperty({ example: 'revoked' }) pilotStatus: string;
}
