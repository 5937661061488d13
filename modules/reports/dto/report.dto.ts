import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { NestedObject } from '../../../src/http/nested';
import {
  EVALUATION_KINDS,
  EvaluationKind,
  REPORT_FORMATS,
  REPORT_KINDS,
  REPORT_LEVELS,
  REPORT_STATUSES,
  ReportFormat,
  ReportKind,
  ReportLevel,
  ReportStatus,
} from '../domain/report';

export class ReportScopeDto {
  @ApiProperty({ enum: REPORT_LEVELS, enumName: 'ReportLevel', example: 'college', description: '报表层级：cohort 班级 / programme 专业 / college 学院 / province 全省（仅省级用户）' })
  @IsIn(REPORT_LEVELS)
  level: ReportLevel;

  @ApiPropertyOptional({
    format: 'uuid',
    description: '班级或专业的 id；学院报表由省级用户生成时为学院 id（院校用户可省略，即本校）；全省报表不填',
  })
  @IsOptional()
  @IsUUID()
  id?: string;
}

export class RequestReportDto {
  @ApiProperty({ enum: REPORT_KINDS, enumName: 'ReportKind', example: 'kpi', description: 'kpi 关键指标报表 / evaluation-dossier 试点专业评估材料汇编（PDF）' })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiProperty({ type: ReportScopeDto })
  @NestedObject(() => ReportScopeDto)
  scope: ReportScopeDto;

  @ApiProperty({ enum: REPORT_FORMATS, enumName: 'ReportFormat', example: 'pdf', description: 'xlsx（每个层级一个工作表，中文表头）或 pdf（中文、表格与指标对比图）' })
  @IsIn(REPORT_FORMATS)
  format: ReportFormat;

  @ApiPropertyOptional({ enum: EVALUATION_KINDS, enumName: 'EvaluationKind', description: '评估材料汇编必填：mid-term 中期评估 / completion 结业质量评估（R-GOV-3）' })
  @ValidateIf((o: RequestReportDto) => o.kind === 'evaluation-dossier' || o.evaluationKind !== undefined)
  @IsIn(EVALUATION_KINDS)
  evaluationKind?: EvaluationKind;
}

export class ReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_KINDS, enumName: 'ReportKind' }) kind: ReportKind;
  @ApiProperty({ enum: REPORT_LEVELS, enumName: 'ReportLevel' }) level: ReportLevel;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: '报表所涉学院；全省报表为 null' }) collegeId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: '班级、专业或学院的 id；全省报表为 null' }) subjectId: string | null;
  @ApiPropertyOptional({ enum: EVALUATION_KINDS, enumName: 'EvaluationKind', nullable: true }) evaluationKind: EvaluationKind | null;
  @ApiProperty({ enum: REPORT_FORMATS, enumName: 'ReportFormat' }) format: ReportFormat;
  @ApiProperty({ example: '广州市技师学院 关键指标报表', maxLength: 200 }) title: string;
  @ApiProperty({ enum: REPORT_STATUSES, enumName: 'ReportStatus', description: 'queued 排队中 → running 生成中 → done 已完成 / failed 失败' }) status: ReportStatus;
  @ApiProperty({ minimum: 0, maximum: 100, example: 100, description: '进度（百分比）' }) progress: number;
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, description: '文件大小（字节），完成后才有' }) sizeBytes: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500, description: '失败原因' }) error: string | null;
  @ApiProperty({ description: '按计划自动生成（如每月全省报表）' }) scheduled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}

export class ReportPage {
  @ApiProperty({ type: [ReportView], maxItems: 200 }) items: ReportView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class ReportListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], enumName: 'BooleanFlag', description: 'true：只看我申请的报表' })
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';

  @ApiPropertyOptional({ enum: REPORT_STATUSES, enumName: 'ReportStatus' })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

export class ReportLinkView {
  @ApiProperty({ example: '/api/v1/reports/files/eyJ…', description: '下载地址（相对路径，无需登录；到期后 410）' }) url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
