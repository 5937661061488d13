import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { AcceptWorkOrderDto, AppendRecordDto, IssueWorkOrderDto, RejectWorkOrderDto, WorkOrderListQuery, WorkOrderPage, WorkOrderView } from './dto/work-order.dto';
import { WorkOrderErrors } from './work-orders.errors';
import { WorkOrdersService } from './work-orders.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(WorkOrderErrors.NOT_FOUND) });

@ApiTags('任务工单 work orders')
@Controller('work-orders')
export class WorkOrdersController {
  constructor(private readonly orders: WorkOrdersService) {}

  @Post()
  @RequirePermission('work-orders.issue')
  @ApiOperation({ summary: '下达任务工单（R-ENT-3）', description: '该生在任的企业导师向其实践中的学生下达：标题、类型、说明、覆盖的技能标准条目、完成期限、预计工时。' })
  @ApiCreatedResponse({ type: WorkOrderView })
  issue(@Body() dto: IssueWorkOrderDto): Promise<WorkOrderView> {
    return this.orders.issue(dto);
  }

  @Get()
  @RequirePermission('work-orders.read')
  @ApiOperation({ summary: '任务工单列表', description: '按下达时间倒序，游标分页。导师只看自己在带学生的；企业管理员只看本企业的；院校管理员和教务人员看全校。' })
  @ApiOkResponse({ type: WorkOrderPage })
  list(@Query() query: WorkOrderListQuery) {
    return this.orders.list(query);
  }

  @Get(':id')
  @RequirePermission('work-orders.read')
  @ApiOperation({ summary: '任务工单详情与完整历史（过程记录、提交、验收、退回）' })
  @ApiOkResponse({ type: WorkOrderView })
  get(@Param('id', uuid) id: string): Promise<WorkOrderView> {
    return this.orders.get(id);
  }

  @Post(':id/records')
  @RequirePermission('work-orders.record')
  @ApiOperation({ summary: '追加过程记录', description: '文字、附件、工时；只能追加，不能修改或删除。已下达的工单在第一条过程记录后进入进行中；已提交或已验收的工单不能追加（409）。' })
  @ApiCreatedResponse({ type: WorkOrderView })
  appendRecord(@Param('id', uuid) id: string, @Body() dto: AppendRecordDto): Promise<WorkOrderView> {
    return this.orders.appendRecord(id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @RequirePermission('work-orders.record')
  @ApiOperation({ summary: '提交验收', description: '进行中且至少有一条过程记录的工单才能提交。' })
  @ApiOkResponse({ type: WorkOrderView })
  submit(@Param('id', uuid) id: string): Promise<WorkOrderView> {
    return this.orders.submit(id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @RequirePermission('work-orders.accept')
  @ApiOperation({ summary: '成果验收（该生在任企业导师）', description: '评分 0–100 与评语；验收后工单的过程记录工时计入已确认实践学时。' })
  @ApiOkResponse({ type: WorkOrderView })
  accept(@Param('id', uuid) id: string, @Body() dto: AcceptWorkOrderDto): Promise<WorkOrderView> {
    return this.orders.accept(id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('work-orders.accept')
  @ApiOperation({ summary: '退回（该生在任企业导师，须说明原因）', description: '工单回到进行中，退回原因保留在历史中。' })
  @ApiOkResponse({ type: WorkOrderView })
  reject(@Param('id', uuid) id: string, @Body() dto: RejectWorkOrderDto): Promise<WorkOrderView> {
    return this.orders.reject(id, dto.reason);
  }
}
