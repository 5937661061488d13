import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedObject, NestedObjects } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { IsDateOnly } from '../../reference-data';
import {
  ASSESSMENT_KINDS,
  AssessmentKind,
  PLAN_AREAS,
  PLAN_TRACKS,
  PlanArea,
  PlanContent,
  PlanContentInput,
  PlanTrack,
  SITE_TYPES,
  SiteType,
} from '../domain/plan-content';
import { Trim } from '../../../src/http/transforms';

export const PLAN_STATUSES = ['draft', 'current', 'pending-filing', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const CHANGE_KINDS = ['minor', 'major'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export const REVIEW_CONCLUSIONS = ['passed', 'revise', 'failed'] as const;
export type ReviewConclusion = (typeof REVIEW_CONCLUSIONS)[number];

// ---- content (R-TRN-2)

export class OccupationStandardDto {
  @ApiProperty({ example: '6-18-01-01', description: '国家职业技能标准对应的职业代码' })
  @Trim()
  @IsString()
  @Matches(/^\d-\d{2}-\d{2}-\d{2}(-\d{2})?$/)
  code: string;

  @ApiProperty({ example: '车工（2018 年版）', description: '国家职业技能标准名称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class PlanCourseDto {
  @ApiProperty({ example: '复杂轴类零件数控车削加工', description: '一体化课程（由典型工作任务转化）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: '多台阶细长轴车削', nullable: true, type: String, description: '对应的典型工作任务' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  workTask?: string | null;

  @ApiProperty({ example: 120, description: '学时' })
  @IsInt()
  @Min(1)
  @Max(3000)
  hours: number;

  @ApiProperty({ type: [String], example: ['2.1.1 能编制细长轴加工工艺', '2.2.3 能使用跟刀架车削细长轴'], description: '覆盖的职业技能标准条目' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Trim()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  skillStandardItems: string[];
}

export class PlanStageDto {
  @ApiProperty({ enum: PLAN_TRACKS, enumName: 'PlanTrack', example: 'technician', description: '阶段：senior-worker 高级工阶段 / technician 技师阶段' })
  @IsIn(PLAN_TRACKS)
  track: PlanTrack;

  @ApiProperty({ example: '技师阶段（第五、六学期）', description: '阶段名称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ type: [PlanCourseDto], description: '本阶段的一体化课程' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @NestedObjects(() => PlanCourseDto)
  courses: PlanCourseDto[];
}

export class PracticeStageDto {
  @ApiProperty({ example: '企业岗位实践（一）：数控车间顶岗', description: '实践阶段名称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ enum: PLAN_TRACKS, enumName: 'PlanTrack', nullable: true, example: 'technician' })
  @IsOptional()
  @IsIn(PLAN_TRACKS)
  track?: PlanTrack | null;

  @ApiProperty({ example: 320, description: '计划学时' })
  @IsInt()
  @Min(1)
  @Max(5000)
  plannedHours: number;

  @ApiProperty({ enum: SITE_TYPES, enumName: 'PlanSiteType', example: 'enterprise', description: '场所：enterprise 企业 / learning-factory 校内学习型工厂（R-TRN-4）' })
  @IsIn(SITE_TYPES)
  siteType: SiteType;
}

export class AssessmentArrangementDto {
  @ApiProperty({ enum: ASSESSMENT_KINDS, enumName: 'PlanAssessmentKind', example: 'terminal', description: 'process 过程性考评 / terminal 终结性考评' })
  @IsIn(ASSESSMENT_KINDS)
  kind: AssessmentKind;

  @ApiProperty({ example: '技师阶段终结性考评（企业参与）', description: '考评名称' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 60, minimum: 0, maximum: 100, description: '合格分数线（0–100）' })
  @IsInt()
  @Min(0)
  @Max(100)
  passMark: number;

  @ApiPropertyOptional({ example: '实操作品 + 答辩，校企双方共同评分', nullable: true, type: String })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  method?: string | null;
}

export class FiveIntegrationsDto {
  @ApiProperty({ example: '以车工国家职业技能标准为依据，将企业典型工作任务转化为一体化课程', description: '课程一体化' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  curriculum: string;

  @ApiProperty({ example: '校企共建工作页、微课和企业真实图纸资源库', description: '资源一体化' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  resources: string;

  @ApiProperty({ example: '任务驱动、项目教学，按“任务工单－过程记录－成果验收”组织', description: '教法一体化' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  methods: string;

  @ApiProperty({ example: '校内学习型工厂与合作企业车间一体化设置', description: '场地一体化' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  venues: string;

  @ApiProperty({ example: '院校导师与企业导师 1+1 组成教学团队', description: '师资一体化' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  teachers: string;
}

export class PlanContentDto implements PlanContentInput {
  @ApiProperty({ type: OccupationStandardDto })
  @IsDefined()
  @NestedObject(() => OccupationStandardDto)
  occupationStandard: OccupationStandardDto;

  @ApiProperty({ type: [PlanStageDto], description: '分阶段课程（高级工阶段 / 技师阶段）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @NestedObjects(() => PlanStageDto)
  stages: PlanStageDto[];

  @ApiProperty({ type: [PracticeStageDto], description: '企业实践阶段（实训项目）' })
  @IsArray()
  @ArrayMaxSize(20)
  @NestedObjects(() => PracticeStageDto)
  practiceStages: PracticeStageDto[];

  @ApiProperty({ type: [AssessmentArrangementDto], description: '考核评价安排' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @NestedObjects(() => AssessmentArrangementDto)
  assessments: AssessmentArrangementDto[];

  @ApiProperty({ type: FiveIntegrationsDto, description: '五个一体化（R-TRN-2）' })
  @IsDefined()
  @NestedObject(() => FiveIntegrationsDto)
  integrations: FiveIntegrationsDto;

  @ApiProperty({ example: 28, description: '计划班级规模；超过本校设置（默认 30 人）时给出提示，不拒绝' })
  @IsInt()
  @Min(1)
  @Max(500)
  classSize: number;
}

// ---- requests

export class CreatePlanDto {
  @ApiProperty({ type: PlanContentDto })
  @IsDefined()
  @NestedObject(() => PlanContentDto)
  content: PlanContentDto;

  @ApiPropertyOptional({ example: '2026 级学制技师班人才培养方案（初稿）', description: '说明' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  summary?: string;
}

export class UpdateDraftDto {
  @ApiProperty({ type: PlanContentDto })
  @IsDefined()
  @NestedObject(() => PlanContentDto)
  content: PlanContentDto;

  @ApiProperty({ example: 1, description: '读取时的版本号（乐观锁）；不一致时返回 409' })
  @IsInt()
  @Min(1)
  version: number;
}

export class AdoptPlanDto {
  @ApiProperty({ example: 1, description: '读取时的版本号（乐观锁）' })
  @IsInt()
  @Min(1)
  version: number;
}

export class PlanChangeDto {
  @ApiProperty({
    enum: CHANGE_KINDS, enumName: 'PlanChangeKind',
    example: 'minor',
    description: 'minor 一般调整：立即生成并启用新版本；major 重大调整（课程体系、考核评价、实训项目）：须党委会决定并报省备案后生效（R-GOV-2）',
  })
  @IsIn(CHANGE_KINDS)
  kind: ChangeKind;

  @ApiProperty({ example: '根据合作企业新产线调整技师阶段课程，新增“五轴零件加工”', description: '调整说明' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  summary: string;

  @ApiProperty({ type: PlanContentDto, description: '调整后的完整内容' })
  @IsDefined()
  @NestedObject(() => PlanContentDto)
  content: PlanContentDto;
}

export class ReviewExpertDto {
  @ApiProperty({ example: '陈国华' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiProperty({ example: '正高级工程师', description: '职称或技能等级' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  title: string;

  @ApiProperty({ example: '广州数控设备有限公司（演示）', description: '工作单位' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  organisation: string;
}

export class CreateReviewDto {
  @ApiProperty({ example: '2026-03-18', description: '专业建设指导委员会评审日期（YYYY-MM-DD）' })
  @IsDateOnly()
  reviewedOn: string;

  @ApiProperty({ type: [ReviewExpertDto], description: '参加评审的专家' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(40)
  @NestedObjects(() => ReviewExpertDto)
  experts: ReviewExpertDto[];

  @ApiProperty({ enum: REVIEW_CONCLUSIONS, enumName: 'PlanReviewConclusion', example: 'passed', description: '结论：passed 通过 / revise 修改后再审 / failed 不通过' })
  @IsIn(REVIEW_CONCLUSIONS)
  conclusion: ReviewConclusion;

  @ApiPropertyOptional({ example: '方案符合工学一体化要求，建议增加企业实践学时', nullable: true, type: String })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(4000)
  notes?: string | null;
}

export class PartyDecisionDto {
  @ApiProperty({ example: '2026-04-02', description: '院校党委会决定日期' })
  @IsDateOnly()
  decidedOn: string;

  @ApiProperty({ format: 'uuid', description: '会议纪要附件 id（先通过附件接口上传）' })
  @IsUUID()
  minutesAttachmentId: string;

  @ApiPropertyOptional({ example: '党委会研究同意数控加工专业培养方案重大调整', nullable: true, type: String })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;
}

export class PlanFilingDto {
  @ApiProperty({ example: '粤技教研备〔2026〕017号', description: '省级备案文号或回执编号' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reference: string;
}

export class PlanListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLAN_STATUSES, enumName: 'PlanStatus' })
  @IsOptional()
  @IsIn(PLAN_STATUSES)
  status?: PlanStatus;
}

export class FilingListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: '按院校筛选' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '按专业筛选' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: '备案日期起（含，北京时间）' })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: '备案日期止（含，北京时间）' })
  @IsOptional()
  @IsDateOnly()
  to?: string;
}

// ---- views

export class PlanWarningView {
  @ApiProperty({ example: 'PLANS.CLASS_SIZE_ABOVE_RECOMMENDED' }) code: string;
  @ApiProperty({ example: '计划班级规模 32 人，超过建议的 30 人；学制技师培养提倡小班化、项目化教学（R-TRN-2）' }) zh: string;
  @ApiProperty({ example: 'The intended class size of 32 is above the recommended 30; small classes and project teaching are encouraged (R-TRN-2)' })
  en: string;
}

export class PlanTotalsView {
  @ApiProperty({ example: 1200, description: '高级工阶段课程学时' }) seniorWorkerHours: number;
  @ApiProperty({ example: 960, description: '技师阶段课程学时' }) technicianHours: number;
  @ApiProperty({ example: 2160 }) courseHours: number;
  @ApiProperty({ example: 800, description: '企业实践计划学时' }) practiceHours: number;
}

export class ReviewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-03-18' }) reviewedOn: string;
  @ApiProperty({ type: [ReviewExpertDto] }) experts: ReviewExpertDto[];
  @ApiProperty({ enum: REVIEW_CONCLUSIONS, enumName: 'PlanReviewConclusion' }) conclusion: ReviewConclusion;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() createdAt: string;
}

export class DecisionView {
  @ApiProperty({ example: '2026-04-02' }) decidedOn: string;
  @ApiProperty({ format: 'uuid' }) minutesAttachmentId: string;
  @ApiProperty({ example: '党委会会议纪要（2026年第5次）.pdf' }) minutesFilename: string;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }) minutesSha256: string;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() createdAt: string;
}

export class FilingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '粤技教研备〔2026〕017号' }) reference: string;
  @ApiProperty({ description: '备案时间（UTC）' }) filedAt: string;
}

export class PlanSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 2, description: '方案版本号' }) versionNo: number;
  @ApiProperty({ enum: PLAN_STATUSES, enumName: 'PlanStatus', example: 'current', description: 'draft 草稿 / current 现行 / pending-filing 待备案 / superseded 已替代' })
  status: PlanStatus;
  @ApiProperty({ enum: ['initial', 'minor', 'major'], enumName: 'PlanVersionChange', example: 'minor' }) changeKind: 'initial' | ChangeKind;
  @ApiProperty({ nullable: true, type: String, example: '调整五个一体化中的师资安排' }) changeSummary: string | null;
  @ApiProperty({ enum: PLAN_AREAS, enumName: 'PlanArea', isArray: true, example: ['integrations'] }) changedAreas: PlanArea[];
  @ApiProperty({ nullable: true, type: Number, example: 1 }) basedOnVersion: number | null;
  @ApiProperty({ example: 28 }) classSize: number;
  @ApiProperty({ description: '是否可直接修改（仅草稿）' }) editable: boolean;
  @ApiProperty({ nullable: true, type: String, description: '生效时间' }) effectiveAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: '被替代时间' }) supersededAt: string | null;
  @ApiProperty({ example: 1, description: '乐观锁版本号' }) version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class PlanView extends PlanSummaryView {
  @ApiProperty({ type: PlanContentDto }) content: PlanContent;
  @ApiProperty({ type: PlanTotalsView }) totals: PlanTotalsView;
  @ApiProperty({ type: [PlanWarningView], description: '提示（不影响保存），如班级规模超过建议值' }) warnings: PlanWarningView[];
  @ApiProperty({ type: [ReviewView], description: '专业建设指导委员会评审记录（R-PRG-2）' }) reviews: ReviewView[];
  @ApiProperty({ description: '最近一次评审结论为通过' }) reviewPassed: boolean;
  @ApiProperty({ type: DecisionView, nullable: true, description: '党委会决定（重大调整，R-GOV-2）' }) partyDecision: DecisionView | null;
  @ApiProperty({ type: FilingView, nullable: true, description: '报省备案记录（R-GOV-2）' }) filing: FilingView | null;
}

export class PlanPage {
  @ApiProperty({ type: [PlanSummaryView] }) items: PlanSummaryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class FilingListItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) collegeName: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 'SKJG-01' }) programmeCode: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) programmeName: string;
  @ApiProperty({ format: 'uuid' }) planId: string;
  @ApiProperty({ example: 3 }) versionNo: number;
  @ApiProperty({ enum: PLAN_AREAS, enumName: 'PlanArea', isArray: true, example: ['course-system'] }) changedAreas: PlanArea[];
  @ApiProperty({ nullable: true, type: String }) changeSummary: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-04-02', description: '党委会决定日期' }) decidedOn: string | null;
  @ApiProperty({ example: '粤技教研备〔2026〕017号' }) reference: string;
  @ApiProperty() filedAt: string;
}

export class FilingPage {
  @ApiProperty({ type: [FilingListItemView] }) items: FilingListItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
