import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Trim } from '../../../src/http/transforms';
import { KPI_KEYS } from '../domain/kpi';

export class KpiValueView {
  @ApiProperty({ enum: KPI_KEYS, enumName: 'KpiKey', example: 'technicianAttainment' }) key: string;
  @ApiProperty({ example: '技师水平达成率' }) name: string;
  @ApiProperty({ example: 'Technician attainment' }) nameEn: string;
  @ApiProperty({ example: 'R-EVA-3' }) rule: string;
  @ApiProperty({ example: 8 }) numerator: number;
  @ApiProperty({ example: 10 }) denominator: number;
  @ApiPropertyOptional({ example: 0.8, nullable: true, type: Number, description: '分母为 0 时为 null（无数据），不是 0%' }) ratio: number | null;
  @ApiPropertyOptional({ example: 0.8, nullable: true, type: Number }) target: number | null;
  @ApiPropertyOptional({ example: 'at-least', nullable: true, enum: ['at-least', 'more-than'], enumName: 'KpiComparison', description: 'at-least：≥ 目标；more-than：> 目标（薪酬须严格高于 60%）' })
  comparison: string | null;
  @ApiPropertyOptional({ example: true, nullable: true, type: Boolean, description: '无数据或无目标时为 null' }) met: boolean | null;
  @ApiProperty({ example: 'green', enum: ['green', 'amber', 'red', 'no-data', 'shown'], enumName: 'KpiRag', description: '红黄绿：达标绿；低于目标 10 个百分点以内黄；其余红' }) rag: string;
}

export class KpiCountsView {
  @ApiProperty({ example: 12, description: '学生总数（含已离校、分流）' }) students: number;
  @ApiProperty({ example: 10, description: '毕业生（分流、退学的学生不计入）' }) graduates: number;
  @ApiProperty({ example: 2, description: '分流或退学' }) left: number;
  @ApiProperty({ example: 9, description: '就业毕业生（升学、参军、未就业、无法联系不计入）' }) employed: number;
}

export class StudentFactView {
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ example: '李明' }) name: string;
  @ApiProperty({ example: 'graduated' }) status: string;
  @ApiProperty({ example: true }) graduate: boolean;
  @ApiProperty({ example: true, description: '达到技师水平（计入达成率分子）' }) attained: boolean;
  @ApiProperty({ example: true }) employed: boolean;
  @ApiProperty({ example: true }) matched: boolean;
  @ApiProperty({ example: true }) payAbove: boolean;
  @ApiProperty({ example: false }) stable: boolean;
}

export class KpiSetView {
  @ApiProperty({ example: 'cohort', enum: ['cohort', 'programme', 'college', 'province'], enumName: 'KpiLevel' }) level: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({ example: '2025级数控加工技师班' }) name: string;
  @ApiProperty({ example: '2026-12-01T23:00:00.000Z', description: '响应生成时间' }) asOf: string;
  @ApiPropertyOptional({
    example: '2026-12-01T22:59:50.000Z',
    nullable: true,
    type: String,
    format: 'date-time',
    description: '数字的计算时间：班级、专业、院校 KPI 接口为实时计算（= asOf）；看板与全省 KPI 为所汇总班级统计中最早的一次计算时间；尚无统计时为 null',
  })
  computedAt?: string | null;
  @ApiProperty({ type: KpiCountsView }) counts: KpiCountsView;
  @ApiProperty({ type: [KpiValueView] }) kpis: KpiValueView[];
  @ApiPropertyOptional({ type: [StudentFactView], nullable: true, description: '每个数字背后的学生：院校用户可见姓名；省级用户只见人数（null）' })
  students?: StudentFactView[] | null;
}

export class CollegeQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '省级用户：必填，指定院校；院校用户：忽略（只能看本校）' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

const SORTABLE = ['name', ...KPI_KEYS] as const;

export class ProvinceQuery {
  @ApiPropertyOptional({ example: 'batch1', enum: ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating', 'other'], enumName: 'PilotBatch' })
  @IsOptional()
  @IsIn(['batch1', 'batch2', 'batch2-building', 'batch2-cultivating', 'other'])
  tier?: string;

  @ApiPropertyOptional({ example: '广州市' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(32)
  city?: string;

  @ApiPropertyOptional({ example: 'E02', description: '双十产业集群代码' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(16)
  cluster?: string;

  @ApiPropertyOptional({ example: 2025, description: '班级入学年度' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: SORTABLE, enumName: 'KpiSortKey', example: 'technicianAttainment', description: '按任一 KPI 的比率排序（无数据排最后）或按名称' })
  @IsOptional()
  @IsIn(SORTABLE)
  sort?: (typeof SORTABLE)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], enumName: 'SortDirection', example: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export class TeamComplianceView {
  @ApiProperty({ example: true }) hasTeam: boolean;
  @ApiProperty({ example: true, description: 'R-EVA-2：企业导师 ≥ 30% 且专家 ≥ 5' }) compliant: boolean;
  @ApiProperty({ example: 3 }) enterprise: number;
  @ApiProperty({ example: 10 }) total: number;
  @ApiPropertyOptional({ example: 0.3, nullable: true, type: Number }) enterpriseShare: number | null;
  @ApiProperty({ example: 5 }) experts: number;
}

export class ProgrammeRowView extends KpiSetView {
  @ApiPropertyOptional({ example: 'active', nullable: true, type: String }) pilotStatus: string | null;
  @ApiProperty({ type: TeamComplianceView }) team: TeamComplianceView;
}

export class CohortRowView extends KpiSetView {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) programmeId: string | null;
  @ApiPropertyOptional({ example: 2025, nullable: true, type: Number }) intakeYear: number | null;
  @ApiPropertyOptional({ example: 'completed', nullable: true, type: String }) status: string | null;
}

export class StageCountView {
  @ApiProperty({ example: 'technician-stage' }) stage: string;
  @ApiProperty({ example: 28 }) count: number;
}

export class PracticeRiskView {
  @ApiProperty({ example: 3, description: '进度落后的在岗实践（R-TRN-4）' }) placements: number;
  @ApiProperty({ example: 3 }) students: number;
  @ApiProperty({ example: 120, description: '按时间进度尚缺的已确认学时' }) missingHours: number;
}

export class PendingResultsView {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) enterpriseId: string | null;
  @ApiProperty({ example: '广州精工机械有限公司' }) enterpriseName: string;
  @ApiProperty({ example: 12, description: '企业方尚未提交的考核结果（实践、终结性）' }) pending: number;
}

export class CollegeDashboardView {
  @ApiProperty({ example: '2026-12-01T23:00:00.000Z', description: '响应生成时间（学生阶段、实践预警、团队、待录入为此时实时数字）' }) asOf: string;
  @ApiPropertyOptional({
    example: '2026-12-01T22:59:50.000Z',
    nullable: true,
    type: String,
    format: 'date-time',
    description: '看板数字的新鲜度：所汇总的各班级统计中最早的计算时间（考核提交、证书审核、毕业、就业记录与回访、分流、实践学时确认后约 15 秒内重算该班级，每晚全部重算）；尚无统计时为 null',
  })
  computedAt: string | null;
  @ApiProperty({ example: 0, minimum: 0, description: '尚未计算统计的班级数（新班级在其第一次相关写入或当晚重算后计入）' }) cohortsNotYetCounted: number;
  @ApiProperty({ type: KpiSetView }) college: KpiSetView;
  @ApiProperty({ type: [ProgrammeRowView] }) programmes: ProgrammeRowView[];
  @ApiProperty({ type: [CohortRowView] }) cohorts: CohortRowView[];
  @ApiProperty({ type: [StageCountView] }) studentsByStage: StageCountView[];
  @ApiProperty({ type: PracticeRiskView }) practiceAtRisk: PracticeRiskView;
  @ApiProperty({ type: [PendingResultsView] }) pendingResults: PendingResultsView[];
}

export class PilotStatusCountView {
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ example: 4 }) count: number;
}

export class CollegeRowView extends KpiSetView {
  @ApiProperty({ example: 'batch1' }) tier: string;
  @ApiProperty({ example: '广州市' }) city: string;
  @ApiProperty({ type: [PilotStatusCountView] }) pilots: PilotStatusCountView[];
}

export class ProvinceDashboardView {
  @ApiProperty({ example: '2026-12-01T23:00:00.000Z', description: '响应生成时间' }) asOf: string;
  @ApiPropertyOptional({
    example: '2026-12-01T22:59:50.000Z',
    nullable: true,
    type: String,
    format: 'date-time',
    description: '看板数字的新鲜度：所汇总的各班级统计中最早的计算时间（考核提交、证书审核、毕业、就业记录与回访、分流、实践学时确认后约 15 秒内重算该班级，每晚全部重算）；尚无统计时为 null',
  })
  computedAt: string | null;
  @ApiProperty({ example: 0, minimum: 0, description: '尚未计算统计的班级数（新班级在其第一次相关写入或当晚重算后计入）' }) cohortsNotYetCounted: number;
  @ApiProperty({ type: KpiSetView, description: '全省：各院校之和（按人数相加，不是比率平均）' }) province: KpiSetView;
  @ApiProperty({ type: [CollegeRowView] }) colleges: CollegeRowView[];
  @ApiProperty({ type: [PilotStatusCountView], description: '试点专业按状态' }) pilotsByStatus: PilotStatusCountView[];
}
