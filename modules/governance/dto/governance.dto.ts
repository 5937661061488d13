import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { NestedObjects } from '../../../src/http/nested';

export class AttendeeDto {
  @ApiProperty({ example: '王建国' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiProperty({ example: '省人社厅职业能力建设处' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation: string;
}

export class FollowUpActionDto {
  @ApiProperty({ example: '补充企业导师 2 名并报备' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  action: string;

  @ApiProperty({ example: '广州市工贸技师学院' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner: string;

  @ApiProperty({ example: '2027-01-15' })
  @IsDateOnly()
  dueOn: string;
}

export class CreateConsultationDto {
  @ApiProperty({ example: '2026-11-20' })
  @IsDateOnly()
  heldOn: string;

  @ApiProperty({ example: '学制技师培养试点工作推进会商' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [AttendeeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @NestedObjects(() => AttendeeDto)
  attendees: AttendeeDto[];

  @ApiProperty({ type: [String], example: ['中期评估安排', '企业导师配备'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  topics: string[];

  @ApiProperty({ type: [String], example: ['2027 年 3 月开展中期评估'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  decisions: string[];

  @ApiProperty({ type: [FollowUpActionDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @NestedObjects(() => FollowUpActionDto)
  actions: FollowUpActionDto[];
}

export class ConsultationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-11-20' }) heldOn: string;
  @ApiProperty({ example: '学制技师培养试点工作推进会商' }) title: string;
  @ApiProperty({ type: [AttendeeDto] }) attendees: AttendeeDto[];
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty({ type: [String] }) decisions: string[];
  @ApiProperty({ type: [FollowUpActionDto] }) actions: FollowUpActionDto[];
  @ApiProperty({ example: '2026-11-20T08:00:00.000Z' }) createdAt: string;
}

export class ConsultationPage {
  @ApiProperty({ type: [ConsultationView] }) items: ConsultationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CreateFundingDecisionDto {
  @ApiProperty({ format: 'uuid', description: '试点专业' })
  @IsUUID()
  programmeId: string;

  @ApiProperty({ example: '2026-12-01' })
  @IsDateOnly()
  decidedOn: string;

  @ApiPropertyOptional({ example: 500000, description: '支持金额（元）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  amountYuan?: number;

  @ApiPropertyOptional({ example: 1.2, description: '生均经费系数（0–10，两位小数）' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(10)
  perStudentCoefficient?: number;

  @ApiProperty({ example: '中期评估通过，给予专项经费支持' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  basis: string;
}

export class FundingDecisionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) collegeId: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '2026-12-01' }) decidedOn: string;
  @ApiProperty({ type: Number, nullable: true, example: 500000 }) amountYuan: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1.2 }) perStudentCoefficient: number | null;
  @ApiProperty({ example: '中期评估通过' }) basis: string;
}

export class OverviewQuery {
  @ApiPropertyOptional({ example: 2026, description: '只看某一通知年度' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2025)
  @Max(2100)
  year?: number;
}

export class OverviewStageCountView {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 'batch1' }) tier: string;
  @ApiProperty({ example: '广州' }) city: string;
  @ApiProperty({ example: 'in-publicity' }) stage: string;
  @ApiProperty({ example: 3 }) count: number;
}

export class OverviewStatusCountView {
  @ApiProperty({ example: 'batch1' }) tier: string;
  @ApiProperty({ example: '广州' }) city: string;
  @ApiProperty({ example: 'active' }) pilotStatus: string;
  @ApiProperty({ example: 5 }) count: number;
}

export class EvaluationCountView {
  @ApiProperty({ example: 'mid-term' }) kind: string;
  @ApiProperty({ example: 'pass', description: 'pass / rectify / fail / scheduled（尚无结论）' }) outcome: string;
  @ApiProperty({ example: 2 }) count: number;
}

export class OverviewView {
  @ApiProperty({ example: '2026-12-02' }) asOf: string;
  @ApiProperty({ type: [OverviewStageCountView], description: '申报专业按通知年度、院校层级、城市与阶段计数' }) applicationProgrammes: OverviewStageCountView[];
  @ApiProperty({ type: [OverviewStatusCountView], description: '专业按院校层级、城市与试点状态计数（候选专业不计）' }) programmes: OverviewStatusCountView[];
  @ApiProperty({ type: [EvaluationCountView] }) evaluations: EvaluationCountView[];
}

export class ConsultationListQuery extends PageQuery {}

export class CreateExperienceReportDto {
  @ApiProperty({ example: 2026, description: '报告年度（R-GOV-4）' })
  @IsInt()
  @Min(2025)
  @Max(2100)
  year: number;

  @ApiProperty({ example: '数控加工专业学制技师培养试点年度经验总结' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '校企共建学习型工厂，企业导师全程参与过程性考评……' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  summary: string;

  @ApiPropertyOptional({ format: 'uuid', description: '相关专业（可选）' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '报告全文附件（可选）' })
  @IsOptional()
  @IsUUID()
  attachmentId?: string;
}

export class SelectCaseDto {
  @ApiProperty({ example: '校企共建学习型工厂的“双导师”培养模式' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  caseTitle: string;

  @ApiProperty({ example: '模式可复制，企业参与度高' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class ExperienceReportQuery extends PageQuery {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2025)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], enumName: 'BooleanFlag', description: 'true：只看入选优秀案例库的报告' })
  @IsOptional()
  @IsIn(['true', 'false'])
  selected?: 'true' | 'false';
}

export class ExperienceReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) collegeName: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: '数控加工专业学制技师培养试点年度经验总结' }) title: string;
  @ApiProperty({ example: '校企共建学习型工厂……' }) summary: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) programmeId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) attachmentId: string | null;
  @ApiProperty({ description: '是否入选优秀案例库' }) selected: boolean;
  @ApiProperty({ type: String, nullable: true }) caseTitle: string | null;
  @ApiProperty({ type: String, nullable: true }) selectionReason: string | null;
  @ApiProperty({ example: '2026-12-01T02:00:00.000Z' }) createdAt: string;
}

export class ExperienceReportPage {
  @ApiProperty({ type: [ExperienceReportView] }) items: ExperienceReportView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
