import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsNotEmpty,

  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedObjects } from '../../../src/http/nested';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { ENTRY_LEVELS } from '../../cohorts';
import { IsDateOnly } from '../../reference-data';
import { GENDERS, LIFECYCLE_STATUSES, LifecycleStatus, STREAMING_DECISIONS, StreamingDecision } from '../student.entity';
import { NoticeView } from '../../../src/http/openapi/views';

export class StudentFieldsDto {
  @ApiProperty({ example: '陈嘉豪' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiPropertyOptional({ enum: GENDERS, enumName: 'Gender', description: '可省略：由身份证号读出；填写时须一致' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: string;

  @ApiPropertyOptional({ example: '2008-05-17', description: '可省略：由身份证号读出；填写时须一致' })
  @IsOptional()
  @IsDateOnly()
  dateOfBirth?: string;

  @ApiProperty({ example: '440106200805172317', description: '居民身份证号（校验位按 GB 11643-1999 校验；加密存储，响应中脱敏）' })
  @Trim()
  @IsString()
  @MaxLength(24)
  idNumber: string;

  @ApiPropertyOptional({ example: '13912345678', description: '手机号（加密存储，响应中脱敏）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(20)
  mobile?: string;

  @ApiProperty({ enum: ENTRY_LEVELS, enumName: 'EntryLevel', example: 'senior-high', description: '入学起点；须与班级学制一致（R-TRK-3，弹性学制除外）' })
  @IsIn(ENTRY_LEVELS)
  entryLevel: string;
}

export class CreateStudentDto extends StudentFieldsDto {
  @ApiPropertyOptional({ example: '2025-08-20', description: '录取日期，默认今天' })
  @IsOptional()
  @IsDateOnly()
  admittedOn?: string;
}

export class StudentListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cohortId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STATUSES, enumName: 'StudentStatus', description: '状态（阶段按班级日期导出）' })
  @IsOptional()
  @IsIn(LIFECYCLE_STATUSES)
  status?: LifecycleStatus;

  @ApiPropertyOptional({ description: '按姓名搜索' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(64)
  q?: string;
}

export class StreamingStateView {
  @ApiProperty({ enum: STREAMING_DECISIONS, enumName: 'StreamingDecision' }) decision: StreamingDecision;
  @ApiProperty() reason: string;
  @ApiProperty({ example: '2027-09-01' }) checkpointOn: string;
}

export class StatusChangeView {
  @ApiProperty({ nullable: true, type: String }) fromStatus: string | null;
  @ApiProperty() toStatus: string;
  @ApiProperty({ example: '2025-09-01' }) effectiveOn: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class StudentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) cohortId: string;
  @ApiProperty() cohortName: string;
  @ApiProperty({ format: 'uuid' }) programmeId: string;
  @ApiProperty({ example: '陈嘉豪' }) name: string;
  @ApiProperty({ enum: GENDERS, enumName: 'Gender' }) gender: string;
  @ApiProperty({ example: '2008-05-17' }) dateOfBirth: string;
  @ApiProperty({ example: '440106********2317', description: '脱敏身份证号；完整号码须经“查看敏感信息”并记录理由' }) idNumber: string;
  @ApiProperty({ example: '139****5678', nullable: true, type: String }) mobile: string | null;
  @ApiProperty({ enum: ENTRY_LEVELS, enumName: 'EntryLevel' }) entryLevel: string;
  @ApiProperty({ enum: LIFECYCLE_STATUSES, enumName: 'StudentStatus', description: 'DOMAIN §5；在读学生的阶段按班级日期导出，不单独填写' }) status: LifecycleStatus;
  @ApiProperty({ example: '2025-08-20' }) admittedOn: string;
  @ApiProperty({ nullable: true, type: String }) enrolledOn: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2027-09-01', description: '技师阶段开始日期（无高级工阶段为空）' }) technicianStageFrom: string | null;
  @ApiProperty({ example: '2029-09-01' }) expectedGraduation: string;
  @ApiProperty({ nullable: true, type: String }) leftOn: string | null;
  @ApiProperty({ nullable: true, type: String }) leftReason: string | null;
  @ApiProperty({ type: StreamingStateView, nullable: true }) streaming: StreamingStateView | null;
  @ApiPropertyOptional({ type: [StatusChangeView], description: '状态变更记录（详情中返回）' }) history?: StatusChangeView[];
  @ApiProperty() version: number;
}

export class StudentPage {
  @ApiProperty({ type: [StudentView] }) items: StudentView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class RevealDto {
  @ApiProperty({ example: '办理学籍注册需核对身份证号', description: '查看理由（写入审计日志）' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class RevealView {
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ example: '440106200805172317' }) idNumber: string;
  @ApiProperty({ example: '13912345678', nullable: true, type: String }) mobile: string | null;
}

export const STATUS_TARGETS = ['graduated', 'withdrawn'] as const;

export class StatusChangeDto {
  @ApiProperty({ enum: STATUS_TARGETS, enumName: 'StudentStatusTarget', description: '毕业或退学；分流请用班级分流接口（R-EVA-1）' })
  @IsIn(STATUS_TARGETS)
  to: (typeof STATUS_TARGETS)[number];

  @ApiProperty({ example: '2029-07-01', description: '生效日期' })
  @IsDateOnly()
  on: string;

  @ApiPropertyOptional({ example: '个人原因申请退学' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  version: number;
}

// ---- applicants (R-EVA-1)

export class CreateApplicantDto extends StudentFieldsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { 笔试: 86.5, 面试: 90 }, description: '甄别成绩（科目 → 分数）；总分为各项之和' })
  @IsObject()
  scores: Record<string, number>;
}

export class ApplicantView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) cohortId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: GENDERS, enumName: 'Gender' }) gender: string;
  @ApiProperty() dateOfBirth: string;
  @ApiProperty({ example: '440106********2317' }) idNumber: string;
  @ApiProperty({ nullable: true, type: String }) mobile: string | null;
  @ApiProperty({ enum: ENTRY_LEVELS, enumName: 'EntryLevel' }) entryLevel: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { 笔试: 86.5, 面试: 90 } }) scores: Record<string, number>;
  @ApiProperty({ example: 176.5 }) totalScore: number;
  @ApiProperty({ enum: ['pending', 'admitted', 'rejected'], enumName: 'ApplicantResult' }) result: string;
  @ApiProperty({ nullable: true, type: String }) resultReason: string | null;
  @ApiProperty({ nullable: true, type: Number }) admissionRank: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) studentId: string | null;
}

export class ApplicantListView {
  @ApiProperty({ type: [ApplicantView], description: '按总分从高到低；同分者报名登记在先者优先' }) items: ApplicantView[];
}

export class RejectApplicantDto {
  @ApiProperty({ example: '体检不合格' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class AdmissionDto {
  @ApiProperty({ example: 30, description: '录取名额：按总分从高到低录取前 N 名' })
  @IsInt()
  @Min(1)
  @Max(500)
  count: number;

  @ApiPropertyOptional({ example: '2025-08-20', description: '录取日期，默认今天' })
  @IsOptional()
  @IsDateOnly()
  admittedOn?: string;
}

export class AdmissionResultView {
  @ApiProperty({ type: [ApplicantView] }) admitted: ApplicantView[];
  @ApiProperty({ type: [ApplicantView] }) rejected: ApplicantView[];
  @ApiProperty({ example: '按总分从高到低录取；同分者以报名登记时间先者优先' }) tieRule: string;
  @ApiProperty({ type: [NoticeView], description: '提示，如班级规模超过建议值' }) warnings: { code: string; zh: string; en: string }[];
}

// ---- streaming (R-EVA-1)

export class StreamingDecisionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  studentId: string;

  @ApiProperty({ enum: STREAMING_DECISIONS, enumName: 'StreamingDecision', description: 'continue 继续技师阶段 / senior-worker-route 转高级工方向 / leave 离开' })
  @IsIn(STREAMING_DECISIONS)
  decision: StreamingDecision;

  @ApiProperty({ example: '高级工阶段考核合格，企业导师推荐继续' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class StreamingDto {
  @ApiProperty({ type: [StreamingDecisionDto] })
  @NestedObjects(() => StreamingDecisionDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  decisions: StreamingDecisionDto[];
}

export class MidTermResultView {
  @ApiPropertyOptional({ example: 72.5, nullable: true, type: Number, minimum: 0, maximum: 100 }) score: number | null;
  @ApiProperty({ example: true }) passed: boolean;
  @ApiPropertyOptional({ example: 60, nullable: true, type: Number, minimum: 0, maximum: 100 }) passMark: number | null;
  @ApiProperty({ example: '2027-07-01', format: 'date' }) assessedOn: string;
}

export class StreamingProposalView {
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ example: '陈嘉豪' }) name: string;
  @ApiPropertyOptional({ type: MidTermResultView, nullable: true, description: '该生当前已提交的中期考核成绩；无则为 null' }) midTerm: MidTermResultView | null;
  @ApiPropertyOptional({
    enum: ['continue', 'senior-worker-route'], enumName: 'StreamingProposal',
    nullable: true,
    description: 'R-EVA-1 分流建议（依据中期考核）：合格 → continue 继续技师阶段；不合格 → senior-worker-route 转高级工方向；无成绩 → null。仅为建议，决定仍由院校填写理由后记录',
  })
  proposed: string | null;
  @ApiProperty({ example: '中期考核 72.5 分合格（合格线 60 分），建议继续技师阶段' }) basis: string;
}

export class StreamingSummaryView {
  @ApiProperty({ format: 'uuid' }) cohortId: string;
  @ApiProperty({ example: '2027-09-01' }) checkpoint: string;
  @ApiProperty({ example: 28, description: '技师类指标分母：不含已分流（转高级工方向或离开）和退学学生' }) technicianDenominator: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 100000 }, example: { continue: 25, 'senior-worker-route': 2, leave: 1, undecided: 0 } }) counts: Record<string, number>;
  @ApiProperty({ type: [StreamingProposalView], description: '尚未分流的在读学生：依据中期考核成绩的分流建议（R-EVA-1）' }) proposals: StreamingProposalView[];
  @ApiProperty({ type: [StudentView] }) students: StudentView[];
}

export class ImportErrorView {
  @ApiProperty({ example: 5, description: '表格行号（表头为第 1 行）' }) row: number;
  @ApiProperty({ example: '身份证号' }) column: string;
  @ApiProperty({ example: '身份证号校验位不正确，请核对' }) message: string;
}

export class ImportResultView {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '后台导入任务（大文件）' }) importId: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'], enumName: 'ImportStatus' }) status: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ example: 40 }) totalRows: number;
  @ApiProperty({ example: 40 }) processedRows: number;
  @ApiProperty({ example: 38, description: '新增学生（试导入时为将新增的人数）' }) created: number;
  @ApiProperty({ example: 2, description: '已在本班、无需变更（按身份证号识别，重复导入不改变数据）' }) unchanged: number;
  @ApiProperty({ type: [ImportErrorView], description: '前 IMPORT_MAX_ERRORS 条（默认 200）行错误' }) errors: ImportErrorView[];
  @ApiProperty({ example: 0, description: '行错误总数（errors 只列出前若干条）' }) errorCount: number;
  @ApiProperty({ type: [NoticeView] }) warnings: { code: string; zh: string; en: string }[];
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'true：只校验、不写入（返回全部错误）' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: string;
}

