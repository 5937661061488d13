import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { HOURS_STATUSES, HoursStatus, SITES, Site } from '../placement.entity';
import { NamedRefView } from '../../../src/http/openapi/views';

/** HH:MM, 00:00–23:59, or 24:00 as the end of the day */
export const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export class CreatePlacementDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
  @ApiProperty({ format: 'uuid', description: '合作企业（须为该生所在专业的在合作企业）' }) @IsUUID() enterpriseId: string;
  @ApiProperty({ example: 0, description: '培养方案中企业实践阶段的序号（从 0 开始）；计划学时取自该阶段' }) @IsInt() @Min(0) stageIndex: number;
  @ApiPropertyOptional({ enum: SITES, enumName: 'PracticeSite', description: 'enterprise 企业现场 / learning-factory 校内学习型工厂；默认取实践阶段的场所类型' })
  @IsOptional()
  @IsIn(SITES)
  site?: Site;
  @ApiProperty({ example: '数控车间 CK6150 数控车床操作岗' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) post: string;
  @ApiPropertyOptional({ format: 'uuid', description: '企业发布的实践岗位（offerings 中 kind=post）' }) @IsOptional() @IsUUID() offeringId?: string;
  @ApiProperty({ example: '2026-09-01' }) @IsDateOnly() startsOn: string;
  @ApiProperty({ example: '2027-01-15' }) @IsDateOnly() endsOn: string;
}

export class PlacementListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() enterpriseId?: string;
}

export class LogHoursDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() placementId: string;
  @ApiProperty({ example: '2026-10-12', description: '工作日期（北京时间），不能是未来日期' }) @IsDateOnly() workDate: string;
  @ApiProperty({ example: '08:30', description: '开始时间 HH:MM' }) @Matches(TIME_OF_DAY) startTime: string;
  @ApiProperty({ example: '12:00', description: '结束时间 HH:MM（同一天内，最晚 24:00）' }) @Matches(TIME_OF_DAY) endTime: string;
  @ApiProperty({ example: '在企业导师指导下完成法兰盘数控车削首件加工与自检' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(2000) activity: string;
}

export class EditHoursDto {
  @ApiPropertyOptional({ example: '2026-10-12' }) @IsOptional() @IsDateOnly() workDate?: string;
  @ApiPropertyOptional({ example: '13:30' }) @IsOptional() @Matches(TIME_OF_DAY) startTime?: string;
  @ApiPropertyOptional({ example: '17:30' }) @IsOptional() @Matches(TIME_OF_DAY) endTime?: string;
  @ApiPropertyOptional({ example: '补充：完成首件三坐标检测' }) @IsOptional() @Trim() @IsString() @IsNotEmpty() @MaxLength(2000) activity?: string;
  @ApiProperty({ example: 1, description: '读取时的版本号；已被他人修改则 409' }) @IsInt() @Min(1) version: number;
}

export class RejectHoursDto {
  @ApiProperty({ example: '当天下午车间停电检修，未安排实操' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class HoursListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() placementId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({ enum: HOURS_STATUSES, enumName: 'HoursStatus' }) @IsOptional() @IsIn(HOURS_STATUSES) status?: HoursStatus;
}

export class ProgressQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
}

export class StageProgressView {
  @ApiProperty({ example: 1 }) stageIndex: number;
  @ApiProperty({ example: '企业岗位实践（二）：数控车间顶岗' }) stageName: string;
  @ApiProperty({ example: '2026-09-01' }) startsOn: string;
  @ApiProperty({ example: '2027-01-15' }) endsOn: string;
  @ApiProperty({ example: 480 }) plannedHours: number;
  @ApiProperty({ example: 236.5, description: '已登记（待确认 + 已确认 + 工单过程记录）' }) loggedHours: number;
  @ApiProperty({ example: 180, description: '已确认（企业导师确认的工时 + 已验收工单的工时）' }) confirmedHours: number;
  @ApiProperty({ example: 37.5, description: '已确认学时占计划学时的百分比' }) confirmedShare: number;
  @ApiProperty({ example: 55.2, description: '阶段已过天数占比（百分比）' }) elapsedShare: number;
  @ApiProperty({ example: 17.7, description: '落后百分点' }) lagPoints: number;
  @ApiProperty({ description: '落后超过设置（默认 20 个百分点）即为 true' }) atRisk: boolean;
  @ApiProperty({ example: 20 }) riskPoints: number;
}

/** The training-plan stage a placement serves. */
export class StageRefView {
  @ApiProperty({ format: 'uuid' }) trainingPlanId: string;
  @ApiProperty({ example: 1, minimum: 0, maximum: 1000 }) index: number;
  @ApiProperty({ example: '企业岗位实践（二）：数控车间顶岗', maxLength: 200 }) name: string;
  @ApiProperty({ example: 480, minimum: 0, maximum: 100000 }) plannedHours: number;
}

export class PlacementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '李明轩' } }) student: { id: string; name: string };
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '广州精工数控设备有限公司' } }) enterprise: { id: string; name: string };
  @ApiProperty({ enum: SITES, enumName: 'PracticeSite' }) site: Site;
  @ApiProperty({ example: '数控车间 CK6150 数控车床操作岗' }) post: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) offeringId: string | null;
  @ApiProperty({ type: () => StageRefView, example: { trainingPlanId: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', index: 1, name: '企业岗位实践（二）：数控车间顶岗', plannedHours: 480 } })
  stage: { trainingPlanId: string; index: number; name: string; plannedHours: number };
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ type: StageProgressView, description: '该生本实践阶段的进度（同阶段多个安排合并计算）' }) progress: StageProgressView;
  @ApiProperty({ example: 1 }) version: number;
}

export class PlacementPage {
  @ApiProperty({ type: [PlacementView] }) items: PlacementView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class HoursEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) placementId: string;
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '李明轩' } }) student: { id: string; name: string };
  @ApiProperty({ example: '2026-10-12' }) workDate: string;
  @ApiProperty({ example: '08:30' }) startTime: string;
  @ApiProperty({ example: '12:00' }) endTime: string;
  @ApiProperty({ example: 3.5 }) hours: number;
  @ApiProperty() activity: string;
  @ApiProperty({ enum: HOURS_STATUSES, enumName: 'HoursStatus', description: 'pending 待确认 / confirmed 已确认 / rejected 已退回' }) status: HoursStatus;
  @ApiPropertyOptional({ nullable: true, type: String }) rejectionReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '黎国栋' } }) decidedBy: { id: string; name: string } | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ example: 1 }) version: number;
}

export class HoursPage {
  @ApiProperty({ type: [HoursEntryView] }) items: HoursEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
