import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import {
  CalendarYearList,
  CalendarYearView,
  PutCalendarYearDto,
  WorkingDaysQuery,
  WorkingDaysView,
} from './dto/calendar.dto';
import {
  EligibleTiersView,
  IndustryClusterList,
  ProfessionalTitleList,
  RolloutRuleList,
  SchoolingTrackList,
  SkillLevelList,
} from './dto/reference-views.dto';
import { ReferenceDataService } from './reference-data.service';

const YEAR_PARAM = { name: 'year', example: 2026, description: '年份（2000–2100）' };
const whole = <T>(items: T[]) => ({ items, nextCursor: null });

@ApiTags('基础数据 reference-data')
@Controller('reference')
export class ReferenceDataController {
  constructor(private readonly service: ReferenceDataService) {}

  @Get('industry-clusters')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '双十产业集群列表', description: '广东省十大战略性支柱产业集群与十大战略性新兴产业集群（R-PRG-1）。' })
  @ApiOkResponse({ type: IndustryClusterList })
  async industryClusters(): Promise<IndustryClusterList> {
    return whole(await this.service.industryClusters());
  }

  @Get('skill-levels')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '职业技能等级列表', description: '从学徒工到首席技师，按等级由低到高；technicianOrAbove 标出技师（二级）及以上（R-EVA-2、R-EVA-3）。' })
  @ApiOkResponse({ type: SkillLevelList })
  async skillLevels(): Promise<SkillLevelList> {
    return whole(await this.service.skillLevels());
  }

  @Get('professional-titles')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '职称级别列表', description: '员级至正高级；senior 标出高级职称（副高级、正高级，R-EVA-2），并给出技工院校教师系列的对应职称。' })
  @ApiOkResponse({ type: ProfessionalTitleList })
  async professionalTitles(): Promise<ProfessionalTitleList> {
    return whole(await this.service.professionalTitles());
  }

  @Get('schooling-tracks')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '学制列表', description: '按招生起点划分的学制年限与高级工阶段（R-TRK-1），以及弹性学制（R-TRK-2）。' })
  @ApiOkResponse({ type: SchoolingTrackList })
  async schoolingTracks(): Promise<SchoolingTrackList> {
    return whole(await this.service.schoolingTracks());
  }

  @Get('rollout')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '试点推进规则', description: '各年份可作为候选的院校层级（R-COL-2）：每条规则自 fromYear 起适用，直到下一条。' })
  @ApiOkResponse({ type: RolloutRuleList })
  async rollout(): Promise<RolloutRuleList> {
    return whole(await this.service.rolloutRules());
  }

  @Get('rollout/:year')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '某年可参与试点的院校层级', description: '2025 年第一批；2026 年增加第二批（含创建、培育单位）；2027 年起全部；2025 年以前为空（R-COL-2）。' })
  @ApiParam(YEAR_PARAM)
  @ApiOkResponse({ type: EligibleTiersView })
  @ApiBadRequestResponse({ description: '年份超出范围 (REFERENCE.YEAR_OUT_OF_RANGE)' })
  async eligibleTiers(@Param('year', ParseIntPipe) year: number): Promise<EligibleTiersView> {
    return { year, tiers: await this.service.eligibleTiers(year) };
  }

  @Get('calendar')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '已录入的工作日历年份', description: '每年的状态：official 已按国务院通知正式录入，provisional 暂定。未列出的年份视为未录入。' })
  @ApiOkResponse({ type: CalendarYearList })
  async calendarYears(): Promise<CalendarYearList> {
    return whole(await this.service.calendarYears());
  }

  // Declared before calendar/:year so the literal path is matched first.
  @Get('calendar/working-days')
  @RequirePermission('reference.read')
  @ApiOperation({
    summary: '计算 N 个工作日后的截止日期',
    description:
      '按法定工作日历（含调休）计算（R-APP-5）：发布当天不计入，截止于第 N 个工作日 24:00（北京时间）。' +
      '经过的日期中有年份尚未正式录入时，结果标为暂定（provisional = true）。',
  })
  @ApiOkResponse({ type: WorkingDaysView })
  @ApiBadRequestResponse({ description: '日期无效或天数超出范围 (COMMON.VALIDATION_FAILED)' })
  async workingDays(@Query() query: WorkingDaysQuery): Promise<WorkingDaysView> {
    return this.service.workingDays(query.from, query.days);
  }

  @Get('calendar/:year')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: '某年的工作日历', description: '该年的状态与全部放假日、调休上班日；其余日期周一至周五上班、周末休息。' })
  @ApiParam(YEAR_PARAM)
  @ApiOkResponse({ type: CalendarYearView })
  @ApiNotFoundResponse({ description: '该年尚未录入 (REFERENCE.CALENDAR_YEAR_NOT_ENTERED)' })
  async calendarYear(@Param('year', ParseIntPipe) year: number): Promise<CalendarYearView> {
    return this.service.calendarYear(year);
  }

  @Put('calendar/:year')
  @RequirePermission('reference.manage')
  @ApiOperation({
    summary: '录入或更新某年的工作日历',
    description:
      '省级管理员按国务院办公厅节假日安排通知录入一年的放假日与调休上班日（整体替换）。' +
      '更新已录入的年份须回传 version；操作写入审计日志（R-APP-5）。',
  })
  @ApiParam(YEAR_PARAM)
  @ApiOkResponse({ type: CalendarYearView })
  @ApiBadRequestResponse({ description: '日期格式错误或年份超出范围 (COMMON.VALIDATION_FAILED, REFERENCE.YEAR_OUT_OF_RANGE)' })
  @ApiUnprocessableEntityResponse({
    description: '日期不属于该年、重复、调休上班日不是周末 (REFERENCE.DATE_OUTSIDE_YEAR, REFERENCE.DUPLICATE_DATE, REFERENCE.ADJUSTED_WORKDAY_NOT_WEEKEND)',
  })
  @ApiConflictResponse({ description: '版本号缺失或已过期 (REFERENCE.CALENDAR_VERSION_REQUIRED, COMMON.STALE_VERSION)' })
  async putCalendarYear(
    @Param('year', ParseIntPipe) year: number,
    @Body() body: PutCalendarYearDto,
  ): Promise<CalendarYearView> {
    const { calendar } = await this.service.putCalendarYear(year, body);
    return calendar;
  }
}
