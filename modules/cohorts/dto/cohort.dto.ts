import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { NestedObject } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { COHORT_STATUSES, CohortStatus, TRACK_CODES, TrackCode } from '../cohort.entity';

export class FlexibleSplitDto {
  @ApiProperty({ example: 54, description: '学制月数（弹性学制自定）' })
  @IsInt()
  @Min(1)
  @Max(120)
  durationMonths: number;

  @ApiProperty({ example: 30, description: '高级工阶段月数（0 表示无高级工阶段），须短于学制' })
  @IsInt()
  @Min(0)
  @Max(119)
  seniorWorkerStageMonths: number;

  @ApiProperty({ example: '本班为企业订单班，按企业生产周期安排两段式培养，经专业建设指导委员会论证', description: '书面理由（R-TRK-2）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  justification: string;
}

export class CreateCohortDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programmeId: string;

  @ApiProperty({ format: 'uuid', description: '培养方案版本（training_plans 的一个版本，须为现行或已替代版本）' })
  @IsUUID()
  planVersionId: string;

  @ApiProperty({ example: '2025级数控加工学制技师1班' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  intakeYear: number;

  @ApiProperty({ enum: TRACK_CODES, enumName: 'TrackCode', example: 'senior-high', description: '学制（R-TRK-1）；flexible 为弹性学制（R-TRK-2）' })
  @IsIn(TRACK_CODES)
  trackCode: TrackCode;

  @ApiProperty({ example: '2025-09-01', description: '开学日期' })
  @IsDateOnly()
  startDate: string;

  @ApiPropertyOptional({ type: FlexibleSplitDto, description: '仅弹性学制：自定学制、分段与理由' })
  @IsOptional()
  @NestedObject(() => FlexibleSplitDto)
  flexible?: FlexibleSplitDto;

  @ApiPropertyOptional({ default: false, description: '助理工程师培养方向（R-TRK-2）' })
  @IsOptional()
  @IsBoolean()
  assistantEngineer?: boolean;
}

export class CohortListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '省级用户：只看某院校' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ example: 2025 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  intakeYear?: number;

  @ApiPropertyOptional({ enum: COHORT_STATUSES, enumName: 'CohortStatus' })
  @IsOptional()
  @IsIn(COHORT_STATUSES)
  status?: CohortStatus;
}

export class CohortWarningView {
  @ApiProperty({ example: 'COHORTS.CLASS_SIZE_ABOVE_RECOMMENDED' }) code: string;
  @ApiProperty({ example: '班级现有学生 32 人，超过建议的 30 人；学制技师培养提倡小班化教学（R-TRN-2）' }) zh: string;
  @ApiProperty({ example: 'The cohort has 32 students, above the recommended 30 (R-TRN-2)' }) en: string;
}

export class CohortTrackView {
  @ApiProperty({ example: 'senior-high' }) code: string;
  @ApiProperty({ example: '高中毕业生' }) entryLevelZh: string;
  @ApiProperty() flexible: boolean;
}

export class CohortView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) programmeName: string;
  @ApiProperty({ format: 'uuid' }) planVersionId: string;
  @ApiProperty({ example: 1 }) planVersionNo: number;
  @ApiProperty({ example: '2025级数控加工学制技师1班' }) name: string;
  @ApiProperty({ example: 2025 }) intakeYear: number;
  @ApiProperty({ type: CohortTrackView }) track: CohortTrackView;
  @ApiProperty({ example: '2025-09-01' }) startDate: string;
  @ApiProperty({ example: 48, description: '学制月数（由学制导出；弹性学制自定）' }) durationMonths: number;
  @ApiProperty({ example: 24, description: '高级工阶段月数（0 = 无高级工阶段）' }) seniorWorkerStageMonths: number;
  @ApiProperty({ example: '2027-09-01', nullable: true, type: String, description: '高级工阶段结束（技师阶段开始）日期，导出值' })
  seniorWorkerStageEnd: string | null;
  @ApiProperty({ example: '2029-09-01', description: '预计毕业日期，导出值' }) expectedGraduation: string;
  @ApiProperty({ example: '2027-09-01', description: '分段分流节点（R-EVA-1；默认高级工阶段结束，可在院校设置中调整）' }) streamingCheckpoint: string;
  @ApiProperty({ nullable: true, type: String }) flexibleJustification: string | null;
  @ApiProperty() assistantEngineer: boolean;
  @ApiProperty({ enum: COHORT_STATUSES, enumName: 'CohortStatus' }) status: CohortStatus;
  @ApiProperty({ nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ example: 28, description: '在籍学生数（不含已分流、退学）' }) studentCount: number;
  @ApiProperty({ type: [CohortWarningView] }) warnings: CohortWarningView[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class CohortPage {
  @ApiProperty({ type: [CohortView] }) items: CohortView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
