import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { DECISIONS, Decision, RECOMMENDATIONS, Recommendation } from '../domain/process';
import { NestedObject, NestedObjects } from '../../../src/http/nested';

// ---------------------------------------------------------------- notices

export class ReviewCriterionDto {
  @ApiProperty({ example: 'industry-fit', description: '指标代码（小写字母、数字、连字符）' })
  @Matches(/^[a-z0-9-]{2,40}$/)
  code: string;

  @ApiProperty({ example: '专业与产业契合度' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameZh: string;

  @ApiProperty({ example: 'Programme–industry fit' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn: string;
}

export class AddressedCollegeDto {
  @ApiProperty({ format: 'uuid', description: '不在当年推广范围内的院校' })
  @IsUUID()
  collegeId: string;

  @ApiProperty({ example: '该校数控专业承接省级技能人才培养基地，纳入先行试点', description: '点名理由（R-COL-2）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class CreateNoticeDto {
  @ApiProperty({ example: 2026, description: '试点年度（R-COL-2 推广表按年度确定可申报的院校层级）' })
  @IsInt()
  @Min(2025)
  @Max(2100)
  year: number;

  @ApiProperty({ example: '关于组织申报 2026 年学制技师培养试点专业的通知' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '申报专业须服务“双十”产业集群，校企双主体联合培养，专业教学和考评团队符合要求。' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  requirements: string;

  @ApiProperty({ type: [String], example: ['人才培养方案', '合作企业资质材料及联合培养协议', '考核评价方案、管理制度、招生与就业计划'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  materials: string[];

  @ApiProperty({ example: '2026-06-30', description: '申报截止日期（中国日期，当日 24:00 前）' })
  @IsDateOnly()
  deadline: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: '发送院校：缺省为当年推广表允许的全部院校（R-COL-2）；列出的院校须在推广范围内，范围外的院校写入 extraColleges 并说明理由',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  collegeIds?: string[];

  @ApiPropertyOptional({ type: [AddressedCollegeDto], description: '推广范围外、须说明理由的院校（R-COL-2）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @NestedObjects(() => AddressedCollegeDto)
  extraColleges?: AddressedCollegeDto[];

  @ApiPropertyOptional({ type: [ReviewCriterionDto], description: '评审指标：缺省为 R-APP-4 的三项；自定义时须包含这三项' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(20)
  @NestedObjects(() => ReviewCriterionDto)
  reviewCriteria?: ReviewCriterionDto[];
}

export class ReopenNoticeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  collegeId: string;

  @ApiProperty({ example: '2026-07-10', description: '为该院校延长至（含当日）' })
  @IsDateOnly()
  until: string;

  @ApiProperty({ example: '受台风影响，该校材料盖章延误' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class RecipientView {
  @ApiProperty({ format: 'uuid' }) collegeId: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) collegeName: string;
  @ApiProperty({ example: 'batch1' }) tier: string;
  @ApiProperty({ example: '广州' }) city: string;
  @ApiProperty({ description: '是否属当年推广范围（R-COL-2）' }) eligible: boolean;
  @ApiProperty({ type: String, nullable: true, description: '范围外院校的点名理由' }) reason: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: '补报截止日期' }) reopenedUntil: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) reopenReason: string | null;
}

export class ReviewCriterionView {
  @ApiProperty({ example: 'industry-fit' }) code: string;
  @ApiProperty({ example: '专业与产业契合度' }) nameZh: string;
  @ApiProperty({ example: 'Programme–industry fit' }) nameEn: string;
}

export class PilotNoticeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: '关于组织申报 2026 年学制技师培养试点专业的通知' }) title: string;
  @ApiProperty({ example: '申报专业须服务“双十”产业集群……' }) requirements: string;
  @ApiProperty({ type: [String], example: ['人才培养方案'] }) materials: string[];
  @ApiProperty({ type: [ReviewCriterionView] }) reviewCriteria: ReviewCriterionView[];
  @ApiProperty({ example: '2026-06-30' }) deadline: string;
  @ApiProperty({ type: [RecipientView], description: '省级用户看全部发送院校；院校只看本校一行' }) recipients: RecipientView[];
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ example: '2026-05-06T02:00:00.000Z' }) createdAt: string;
}

export class NoticePage {
  @ApiProperty({ type: [PilotNoticeView] }) items: PilotNoticeView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class NoticeListQuery extends PageQuery {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2025)
  @Max(2100)
  year?: number;
}

// ---------------------------------------------------------------- applications

export class PartnerMaterialsDto {
  @ApiProperty({ format: 'uuid', description: '合作企业' })
  @IsUUID()
  enterpriseId: string;

  @ApiProperty({ type: [String], format: 'uuid', description: '企业资质材料（附件）' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  qualificationAttachmentIds: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: '校企联合培养协议' })
  @IsOptional()
  @IsUUID()
  agreementId?: string | null;
}

export class ApplicationProgrammeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programmeId: string;

  @ApiProperty({ type: [PartnerMaterialsDto], description: '每家合作企业的资质材料与协议（R-APP-7 ②）' })
  @IsArray()
  @ArrayMaxSize(5)
  @NestedObjects(() => PartnerMaterialsDto)
  partners: PartnerMaterialsDto[];
}

export class ManagementSchemeDto {
  @ApiPropertyOptional({ format: 'uuid', description: '考核评价方案' })
  @IsOptional()
  @IsUUID()
  assessmentSchemeAttachmentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '管理制度' })
  @IsOptional()
  @IsUUID()
  managementRulesAttachmentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '招生与就业计划' })
  @IsOptional()
  @IsUUID()
  enrolmentEmploymentPlanAttachmentId?: string;
}

export class TeachingCommitteeDto {
  @ApiProperty({ example: '2026-06-10', description: '教学指导委员会审议日期（R-APP-3）' })
  @IsDateOnly()
  decidedOn: string;

  @ApiProperty({ enum: ['approved', 'rejected'], enumName: 'CommitteeDecision', example: 'approved' })
  @IsIn(['approved', 'rejected'])
  decision: 'approved' | 'rejected';

  @ApiPropertyOptional({ example: '全体委员一致同意申报' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

export class CreateApplicationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  noticeId: string;

  @ApiProperty({ type: [ApplicationProgrammeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @NestedObjects(() => ApplicationProgrammeDto)
  programmes: ApplicationProgrammeDto[];

  @ApiPropertyOptional({ type: ManagementSchemeDto, description: 'R-APP-7 ③' })
  @IsOptional()
  @IsObject()
  @NestedObject(() => ManagementSchemeDto)
  managementScheme?: ManagementSchemeDto;

  @ApiPropertyOptional({ type: TeachingCommitteeDto })
  @IsOptional()
  @IsObject()
  @NestedObject(() => TeachingCommitteeDto)
  teachingCommittee?: TeachingCommitteeDto;
}

export class UpdateApplicationDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ type: [ApplicationProgrammeDto], description: '替换全部申报专业（已获批的专业保留原决定）' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @NestedObjects(() => ApplicationProgrammeDto)
  programmes?: ApplicationProgrammeDto[];

  @ApiPropertyOptional({ type: ManagementSchemeDto })
  @IsOptional()
  @IsObject()
  @NestedObject(() => ManagementSchemeDto)
  managementScheme?: ManagementSchemeDto;

  @ApiPropertyOptional({ type: TeachingCommitteeDto })
  @IsOptional()
  @IsObject()
  @NestedObject(() => TeachingCommitteeDto)
  teachingCommittee?: TeachingCommitteeDto;
}

export class VersionDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class AssignExpertDto {
  @ApiProperty({ format: 'uuid', description: '省级评审专家（province-expert）的用户 id' })
  @IsUUID()
  expertUserId: string;
}

export class CreatePilotReviewDto {
  @ApiProperty({ format: 'uuid', description: '申报中的专业（applicationProgrammes[].id）' })
  @IsUUID()
  applicationProgrammeId: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: 100 },
    example: { 'industry-fit': 88, 'enterprise-resources': 82, 'assessment-scheme': 85 },
    description: '按通知的评审指标逐项评分（0–100）',
  })
  @IsObject()
  scores: Record<string, number>;

  @ApiProperty({ example: '产业契合度高，合作企业岗位真实充足；建议细化技师阶段考核标准。' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  comments: string;

  @ApiProperty({ enum: RECOMMENDATIONS, enumName: 'PilotRecommendation', example: 'approve', description: 'approve 建议通过 / reject 不予通过 / revise 修改后再审' })
  @IsIn(RECOMMENDATIONS)
  recommendation: Recommendation;
}

export class CreateSiteCheckDto {
  @ApiProperty({ example: '2026-07-08' })
  @IsDateOnly()
  checkedOn: string;

  @ApiProperty({ example: '实地查看合作企业数控车间与校内学习型工厂，设备与岗位与申报材料一致。' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  findings: string;
}

export class ProgrammeDecisionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  applicationProgrammeId: string;

  @ApiProperty({ enum: DECISIONS, enumName: 'PilotDecision', example: 'approve', description: 'approve 通过 / reject 不予通过 / return 退回修改' })
  @IsIn(DECISIONS)
  decision: Decision;

  @ApiPropertyOptional({ example: '专家评审平均 85 分，同意列入试点公示' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class DecideDto {
  @ApiProperty({ type: [ProgrammeDecisionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @NestedObjects(() => ProgrammeDecisionDto)
  decisions: ProgrammeDecisionDto[];
}

export class ApplicationListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  noticeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '省级用户：只看某院校' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: ['draft', 'submitted', 'under-review', 'returned', 'decided'], enumName: 'PilotApplicationStatus' })
  @IsOptional()
  @IsIn(['draft', 'submitted', 'under-review', 'returned', 'decided'])
  status?: string;
}

export class PartnerMaterialsView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ type: [String] }) qualificationAttachmentIds: string[];
  @ApiProperty({ type: String, nullable: true }) agreementId: string | null;
}

export class PilotReviewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) expertUserId: string;
  @ApiProperty({ example: '李明' }) expertName: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { 'industry-fit': 88 } }) scores: Record<string, number>;
  @ApiProperty({ example: 85 }) total: number;
  @ApiProperty({ example: '产业契合度高' }) comments: string;
  @ApiProperty({ enum: RECOMMENDATIONS, enumName: 'PilotRecommendation' }) recommendation: string;
  @ApiProperty({ example: '2026-07-05T02:00:00.000Z' }) createdAt: string;
}

export class ApplicationProgrammeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: 'SKJG-01' }) programmeCode: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) programmeName: string;
  @ApiProperty({ example: 'applied', description: '专业当前的试点状态' }) pilotStatus: string;
  @ApiProperty({ type: Number, nullable: true, example: 1, description: '提交时冻结的方案版本' }) planVersionNo: number | null;
  @ApiProperty({ type: [PartnerMaterialsView] }) partners: PartnerMaterialsView[];
  @ApiProperty({ example: 'pending', description: 'pending 待决定 / approved 通过 / returned 退回 / rejected 不予通过 / in-publicity 公示中 / announced 已公布 / filed 已备案' })
  stage: string;
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) batchId: string | null;
  @ApiProperty({ type: [PilotReviewView], description: '专家评审（院校不可见；专家只见本人评审）' }) reviews: PilotReviewView[];
}

export class AssignmentView {
  @ApiProperty({ format: 'uuid' }) expertUserId: string;
  @ApiProperty({ example: '李明' }) expertName: string;
  @ApiProperty({ example: '2026-07-01T02:00:00.000Z' }) assignedAt: string;
}

export class SiteCheckView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-07-08' }) checkedOn: string;
  @ApiProperty({ example: '设备与岗位与申报材料一致' }) findings: string;
}

export class CommitteeView {
  @ApiProperty({ example: '2026-06-10' }) decidedOn: string;
  @ApiProperty({ example: 'approved' }) decision: string;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
}

export class ManagementSchemeView {
  @ApiPropertyOptional({ format: 'uuid' }) assessmentSchemeAttachmentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) managementRulesAttachmentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) enrolmentEmploymentPlanAttachmentId?: string;
}

export class ApplicationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) collegeName: string;
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ example: '关于组织申报 2026 年学制技师培养试点专业的通知' }) noticeTitle: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 'draft', description: 'draft 草稿 / submitted 已提交 / under-review 评审中 / returned 退回修改 / decided 已决定' }) status: string;
  @ApiProperty({ type: ManagementSchemeView }) managementScheme: ManagementSchemeView;
  @ApiProperty({ type: CommitteeView, nullable: true }) teachingCommittee: CommitteeView | null;
  @ApiProperty({ type: String, nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: '提交时冻结的快照：专业、方案版本、团队、合作企业' })
  snapshot: Record<string, unknown> | null;
  @ApiProperty({ type: [ApplicationProgrammeView] }) programmes: ApplicationProgrammeView[];
  @ApiProperty({ type: [AssignmentView], description: '评审专家（院校不可见）' }) experts: AssignmentView[];
  @ApiProperty({ type: [SiteCheckView] }) siteChecks: SiteCheckView[];
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ example: '2026-06-01T02:00:00.000Z' }) createdAt: string;
}

export class ApplicationSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) collegeName: string;
  @ApiProperty({ format: 'uuid' }) noticeId: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 'submitted' }) status: string;
  @ApiProperty({ example: 2 }) programmeCount: number;
  @ApiProperty({ type: String, nullable: true }) submittedAt: string | null;
  @ApiProperty({ example: 3 }) version: number;
  @ApiProperty({ example: '2026-06-01T02:00:00.000Z' }) createdAt: string;
}

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationSummaryView] }) items: ApplicationSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

// ---------------------------------------------------------------- public notice

export class CreateBatchDto {
  @ApiProperty({ example: '2026 年学制技师培养试点专业名单公示' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: '2026-09-24', description: '发布日期（缺省为今天，中国日期；当日不计入公示期）' })
  @IsOptional()
  @IsDateOnly()
  publishedOn?: string;

  @ApiProperty({ type: [String], format: 'uuid', description: '已获批的申报专业（applicationProgrammes[].id）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  applicationProgrammeIds: string[];
}

export class AdjustEndDto {
  @ApiProperty({ example: '2026-10-12', description: '调整后的公示截止日期（当日 24:00 结束）' })
  @IsDateOnly()
  endsOn: string;

  @ApiProperty({ example: '国务院 2027 年放假安排公布后核定' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class CreateObjectionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  applicationProgrammeId: string;

  @ApiProperty({ example: '2026-09-27' })
  @IsDateOnly()
  receivedOn: string;

  @ApiProperty({ example: '反映合作企业实际未提供数控车间岗位' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  content: string;
}

export class ResolveObjectionDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'], enumName: 'ObjectionResolution', example: 'dismissed', description: 'upheld 成立（该专业不予通过）/ dismissed 不成立' })
  @IsIn(['upheld', 'dismissed'])
  outcome: 'upheld' | 'dismissed';

  @ApiProperty({ example: '经核实，合作企业已提供 12 个数控车间岗位，异议不成立' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  resolution: string;
}

export class FilingDto {
  @ApiProperty({ example: '2026-10-20' })
  @IsDateOnly()
  filedOn: string;

  @ApiProperty({ example: '人社厅函〔2026〕318号' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reference: string;
}

export class ObjectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationProgrammeId: string;
  @ApiProperty({ example: '2026-09-27' }) receivedOn: string;
  @ApiProperty({ example: '反映合作企业实际未提供岗位' }) content: string;
  @ApiProperty({ example: 'open', description: 'open 待处理 / upheld 成立 / dismissed 不成立' }) status: string;
  @ApiProperty({ type: String, nullable: true }) resolution: string | null;
}

export class BatchItemView {
  @ApiProperty({ format: 'uuid' }) applicationProgrammeId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: '广州市工贸技师学院' }) collegeName: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '数控加工（数控车工）' }) programmeName: string;
  @ApiProperty({ example: 'in-publicity' }) stage: string;
  @ApiProperty({ type: [ObjectionView] }) objections: ObjectionView[];
}

export class BatchView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026 年学制技师培养试点专业名单公示' }) title: string;
  @ApiProperty({ example: '2026-09-24', description: '发布日（不计入）' }) publishedOn: string;
  @ApiProperty({ example: '2026-10-12', description: '按工作日历计算的截止日（R-APP-5）' }) computedEndsOn: string;
  @ApiProperty({ example: '2026-10-12', description: '现行截止日（省级管理员可调整）' }) endsOn: string;
  @ApiProperty({ example: '2026-10-12T16:00:00.000Z', description: '截止时刻：截止日 24:00（北京时间）' }) endsAt: string;
  @ApiProperty({ description: '计算经过暂定年份的工作日历（R-APP-5）' }) provisional: boolean;
  @ApiProperty({ type: [Number], example: [] }) provisionalYears: number[];
  @ApiProperty({ type: String, nullable: true }) endAdjustReason: string | null;
  @ApiProperty({ example: 'open', description: 'open 公示中 / announced 已公布 / filed 已备案' }) status: string;
  @ApiProperty({ type: String, nullable: true }) announcedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) filedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) filingReference: string | null;
  @ApiProperty({ type: [BatchItemView], description: '院校只看到本校的专业' }) items: BatchItemView[];
  @ApiProperty({ example: 1 }) version: number;
}

export class BatchSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026 年学制技师培养试点专业名单公示' }) title: string;
  @ApiProperty({ example: '2026-09-24' }) publishedOn: string;
  @ApiProperty({ example: '2026-10-12' }) endsOn: string;
  @ApiProperty() provisional: boolean;
  @ApiProperty({ example: 'open' }) status: string;
}

export class BatchPage {
  @ApiProperty({ type: [BatchSummaryView] }) items: BatchSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AcknowledgeView {
  @ApiProperty({ example: true }) ok: boolean;
}

export class ReopenView extends RecipientView {}

