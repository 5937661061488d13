import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { ConsultationListQuery, ConsultationPage, ConsultationView, CreateConsultationDto, CreateFundingDecisionDto, FundingDecisionView, OverviewQuery, OverviewView } from './dto/governance.dto';
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
}
