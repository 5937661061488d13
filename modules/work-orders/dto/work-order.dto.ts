import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { EVENT_KINDS, EventKind, WORK_ORDER_KINDS, WORK_ORDER_STATUSES, WorkOrderKind, WorkOrderStatus } from '../work-order.entity';
import { NamedRefView } from '../../../src/http/openapi/views';

export class IssueWorkOrderDto {
  @ApiProperty({ format: 'uuid', description: '学生的企业实践安排' }) @IsUUID() placementId: string;
  @ApiProperty({ example: '法兰盘批量数控车削首件加工与检验' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty({ enum: WORK_ORDER_KINDS, enumName: 'WorkOrderKind', description: 'equipment-operation 设备操作 / process-optimisation 工艺优化 / technical-problem 技术攻关 / other 其他' })
  @IsIn(WORK_ORDER_KINDS)
  kind: WorkOrderKind;
  @ApiProperty({ example: '按图纸 FL-2026-031 完成首件加工，编制加工工艺卡并进行首件三坐标检测。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(8000) description: string;
  @ApiProperty({ type: [String], example: ['2.1.1 能编制复杂零件数控车削加工工艺', '2.2.3 能进行首件检验'], description: '覆盖的职业技能标准条目' })
  @IsArray()
  @ArrayMaxSize(50)
  @Trim()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(300, { each: true })
  skillStandardItems: string[];
  @ApiProperty({ example: '2026-12-20' }) @IsDateOnly() dueOn: string;
  @ApiProperty({ example: 16, description: '预计工时（小时）' }) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0.5) @Max(2000) expectedHours: number;
}

export class AppendRecordDto {
  @ApiProperty({ example: '完成 FL-2026-031 首件粗车、半精车，外圆尺寸 Φ120±0.02 检测合格。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(8000) text: string;
  @ApiProperty({ example: 4, description: '本次过程记录的工时（小时）；工单验收后计入已确认实践学时' }) @IsNumber({ maxDecimalPlaces: 1 }) @Min(0) @Max(24) hours: number;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: '附件（先通过 /attachments 上传）' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

export class AcceptWorkOrderDto {
  @ApiProperty({ example: 88, minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100) score: number;
  @ApiProperty({ example: '工艺卡编制规范，首件一次合格，达到岗位要求。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(4000) comment: string;
}

export class RejectWorkOrderDto {
  @ApiProperty({ example: '内孔表面粗糙度未达到 Ra1.6，请调整精车参数后重新加工。' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(4000) reason: string;
}

export class WorkOrderListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() placementId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES, enumName: 'WorkOrderStatus' }) @IsOptional() @IsIn(WORK_ORDER_STATUSES) status?: WorkOrderStatus;
}

export class WorkOrderEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: EVENT_KINDS, enumName: 'WorkOrderEventKind', description: 'issued 下达 / record 过程记录 / submitted 提交 / accepted 验收 / rejected 退回' }) kind: EventKind;
  @ApiPropertyOptional({ nullable: true, type: String }) text: string | null;
  @ApiProperty({ example: 4 }) hours: number;
  @ApiProperty({ type: [String] }) attachmentIds: string[];
  @ApiPropertyOptional({ nullable: true, type: Number }) score: number | null;
  @ApiPropertyOptional({ nullable: true, type: NamedRefView }) by: { id: string; name: string } | null;
  @ApiProperty() at: string;
}

export class WorkOrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) placementId: string;
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '李明轩' } }) student: { id: string; name: string };
  @ApiProperty({ type: NamedRefView, example: { id: '2f0c7e7a-4d0b-4a53-9a53-0f1e2d3c4b5a', name: '黎国栋' } }) issuedBy: { id: string; name: string };
  @ApiProperty() title: string;
  @ApiProperty({ enum: WORK_ORDER_KINDS, enumName: 'WorkOrderKind' }) kind: WorkOrderKind;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) skillStandardItems: string[];
  @ApiProperty() dueOn: string;
  @ApiProperty() expectedHours: number;
  @ApiProperty({ description: '过程记录工时合计' }) recordedHours: number;
  @ApiProperty({ enum: WORK_ORDER_STATUSES, enumName: 'WorkOrderStatus', description: 'issued 已下达 / in-progress 进行中 / submitted 已提交 / accepted 已验收' }) status: WorkOrderStatus;
  @ApiProperty({ description: '被退回次数' }) rejections: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastRejectionReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) score: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) acceptanceComment: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) acceptedAt: string | null;
  @ApiPropertyOptional({ type: [WorkOrderEventView], description: '完整历史（详情接口返回）' }) history?: WorkOrderEventView[];
  @ApiProperty({ example: 1 }) version: number;
}

export class WorkOrderPage {
  @ApiProperty({ type: [WorkOrderView] }) items: WorkOrderView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
