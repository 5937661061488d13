import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  CreatePlacementDto,
  EditHoursDto,
  HoursEntryView,
  HoursListQuery,
  HoursPage,
  LogHoursDto,
  PlacementListQuery,
  PlacementPage,
  PlacementView,
  ProgressQuery,
  RejectHoursDto,
  StageProgressView,
} from './dto/practice.dto';
import { PracticeErrors } from './practice.errors';
import { PracticeService } from './practice.service';

const placementId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PracticeErrors.PLACEMENT_NOT_FOUND) });
const entryId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PracticeErrors.ENTRY_NOT_FOUND) });
const VISIBILITY = '企业导师和院校导师只看自己在带学生的；企业管理员只看本企业的；院校管理员和教务人员看全校。看不到的记录一律 404。';

@ApiTags('企业实践 practice')
@Controller('practice')
export class PracticeController {
  constructor(private readonly practice: PracticeService) {}

  @Post('placements')
  @RequirePermission('practice.manage')
  @ApiOperation({
    summary: '安排企业实践（R-TRN-4）',
    description: '企业须为该生所在专业的在合作企业；实践阶段取自现行培养方案的企业实践阶段（序号从 0 开始），计划学时与场所类型随之确定。',
  })
  @ApiCreatedResponse({ type: PlacementView })
  createPlacement(@Body() dto: CreatePlacementDto): Promise<PlacementView> {
    return this.practice.createPlacement(dto);
  }

  @Get('placements')
  @RequirePermission('practice.read')
  @ApiOperation({ summary: '企业实践安排列表', description: `按开始日期倒序，游标分页。${VISIBILITY}` })
  @ApiOkResponse({ type: PlacementPage })
  listPlacements(@Query() query: PlacementListQuery) {
    return this.practice.listPlacements(query);
  }

  @Get('placements/:id')
  @RequirePermission('practice.read')
  @ApiOperation({ summary: '企业实践安排详情（含本阶段进度）', description: VISIBILITY })
  @ApiOkResponse({ type: PlacementView })
  getPlacement(@Param('id', placementId) id: string): Promise<PlacementView> {
    return this.practice.getPlacement(id);
  }

  @Get('progress')
  @RequirePermission('practice.read')
  @ApiOperation({
    summary: '学生各实践阶段进度',
    description: '计划、已登记、已确认学时（含已验收工单的工时）；已确认占比落后于阶段时间进度超过设置（默认 20 个百分点）时标记为预警 atRisk。',
  })
  @ApiOkResponse({ type: [StageProgressView] })
  progress(@Query() query: ProgressQuery): Promise<StageProgressView[]> {
    return this.practice.progress(query.studentId);
  }

  @Post('hours')
  @RequirePermission('practice.log-hours')
  @ApiOperation({
    summary: '登记实践工时',
    description: '同一学生的工时不能重叠（同一天内的 [开始, 结束) 时段相交即重叠，已退回的记录不计）；不能登记未来日期（北京时间）；每天最多 24 小时；须在实践安排的起止日期内。新记录为待确认。',
  })
  @ApiCreatedResponse({ type: HoursEntryView })
  logHours(@Body() dto: LogHoursDto): Promise<HoursEntryView> {
    return this.practice.logHours(dto);
  }

  @Get('hours')
  @RequirePermission('practice.read')
  @ApiOperation({ summary: '实践工时记录', description: `按工作日期倒序，游标分页。${VISIBILITY}` })
  @ApiOkResponse({ type: HoursPage })
  listHours(@Query() query: HoursListQuery) {
    return this.practice.listHours(query);
  }

  @Patch('hours/:id')
  @RequirePermission('practice.log-hours')
  @ApiOperation({ summary: '修改工时记录', description: '任何修改都使记录回到待确认（原确认或退回作废）；须带读取时的 version。' })
  @ApiOkResponse({ type: HoursEntryView })
  editHours(@Param('id', entryId) id: string, @Body() dto: EditHoursDto): Promise<HoursEntryView> {
    return this.practice.editHours(id, dto);
  }

  @Post('hours/:id/confirm')
  @HttpCode(200)
  @RequirePermission('practice.confirm-hours')
  @ApiOperation({ summary: '确认工时（该生在任企业导师）' })
  @ApiOkResponse({ type: HoursEntryView })
  confirmHours(@Param('id', entryId) id: string): Promise<HoursEntryView> {
    return this.practice.confirmHours(id);
  }

  @Post('hours/:id/reject')
  @HttpCode(200)
  @RequirePermission('practice.confirm-hours')
  @ApiOperation({ summary: '退回工时（该生在任企业导师，须说明原因）' })
  @ApiOkResponse({ type: HoursEntryView })
  rejectHours(@Param('id', entryId) id: string, @Body() dto: RejectHoursDto): Promise<HoursEntryView> {
    return this.practice.rejectHours(id, dto.reason);
  }
}
