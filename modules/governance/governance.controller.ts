import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { AppException } from '../../src/errors/app.exception';
import { GovernanceErrors } from './governance.errors';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import {
  ConsultationListQuery,
  ConsultationPage,
  ConsultationView,
  CreateConsultationDto,
  CreateExperienceReportDto,
  CreateFundingDecisionDto,
  ExperienceReportPage,
  ExperienceReportQuery,
  ExperienceReportView,
  FundingDecisionView,
  OverviewQuery,
  OverviewView,
  SelectCaseDto,
} from './dto/governance.dto';

const reportId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(GovernanceErrors.REPORT_NOT_FOUND) });
import { GovernanceService } from './governance.service';

@ApiTags('试点治理 governance')
@Controller()
export class GovernanceController {
  constructor(private readonly governance: GovernanceService) {}

  @Post('pilot-consultations')
  @RequirePermission('governance.manage')
  @ApiOperation({ summary: '记录会商（R-GOV-1）', description: '日期、参会人员、议题、决定事项，以及后续行动（责任人、完成期限）。' })
  @ApiCreatedResponse({ type: ConsultationView })
  createConsultation(@Body() dto: CreateConsultationDto): Promise<ConsultationView> {
    return this.governance.createConsultation(dto);
  }

  @Get('pilot-consultations')
  @RequirePermission('governance.read')
  @ApiOperation({ summary: '会商记录列表', description: '按会商日期倒序，游标分页。' })
  @ApiOkResponse({ type: ConsultationPage })
  consultations(@Query() query: ConsultationListQuery) {
    return this.governance.consultations(query);
  }

  @Post('pilot-funding-decisions')
  @RequirePermission('governance.manage')
  @ApiOperation({ summary: '记录经费支持决定（R-GOV-5）', description: '对试点专业给予经费支持和/或较高的生均经费系数，记在该专业名下。' })
  @ApiCreatedResponse({ type: FundingDecisionView })
  createFunding(@Body() dto: CreateFundingDecisionDto): Promise<FundingDecisionView> {
    return this.governance.createFunding(dto);
  }

  @Get('pilot-overview')
  @RequirePermission('governance.read')
  @ApiOperation({
    summary: '全省试点进展总览（R-COL-3）',
    description: '申报专业按通知年度、院校层级、城市与阶段计数；专业按层级、城市与试点状态计数；评估按类型与结论计数。',
  })
  @ApiOkResponse({ type: OverviewView })
  overview(@Query() query: OverviewQuery): Promise<OverviewView> {
    return this.governance.overview(query);
  }

  @Post('experience-reports')
  @RequirePermission('experience-reports.submit')
  @ApiOperation({ summary: '提交年度经验报告（院校管理员，R-GOV-4）', description: '可关联本校专业与报告全文附件。' })
  @ApiCreatedResponse({ type: ExperienceReportView })
  submitReport(@Body() dto: CreateExperienceReportDto): Promise<ExperienceReportView> {
    return this.governance.submitReport(dto);
  }

  @Get('experience-reports')
  @RequirePermission('experience-reports.read')
  @ApiOperation({ summary: '经验报告与优秀案例库', description: '院校看本校；省级用户看全省。selected=true 即优秀案例库。按提交时间倒序，游标分页。' })
  @ApiOkResponse({ type: ExperienceReportPage })
  reports(@Query() query: ExperienceReportQuery) {
    return this.governance.reports(query);
  }

  @Post('experience-reports/:id/selection')
  @HttpCode(200)
  @RequirePermission('governance.manage')
  @ApiOperation({ summary: '选入优秀案例库（省级管理员，R-GOV-4）', description: '填写案例名称与入选理由；记入该院校的审计日志。' })
  @ApiOkResponse({ type: ExperienceReportView })
  selectCase(@Param('id', reportId) id: string, @Body() dto: SelectCaseDto): Promise<ExperienceReportView> {
    return this.governance.selectCase(id, dto);
  }
}
