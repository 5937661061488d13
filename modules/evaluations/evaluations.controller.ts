import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { ConcludeEvaluationDto, EvaluationListQuery, EvaluationPage, EvaluationView, RevocationView, RevokeDto, ScheduleEvaluationDto } from './dto/evaluation.dto';
import { EvaluationErrors } from './evaluations.errors';
import { EvaluationsService } from './evaluations.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(EvaluationErrors.NOT_FOUND) });

@ApiTags('试点评估 evaluations')
@Controller()
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post('pilot-evaluations')
  @RequirePermission('evaluations.manage')
  @ApiOperation({
    summary: '安排中期评估或结业质量评估（省级管理员，R-GOV-3）',
    description: '中期评估须为试点中（active）的专业，结业评估须已通过中期评估。评估专家须为省级评审专家，且在该院校无账号身份（回避）。通知院校。',
  })
  @ApiCreatedResponse({ type: EvaluationView })
  schedule(@Body() dto: ScheduleEvaluationDto): Promise<EvaluationView> {
    return this.evaluations.schedule(dto);
  }

  @Get('pilot-evaluations')
  @RequirePermission('evaluations.read')
  @ApiOperation({ summary: '评估列表', description: '院校看本校；评估专家只看本人参与的评估；其他省级用户看全省。按评估日期排序，游标分页。' })
  @ApiOkResponse({ type: EvaluationPage })
  list(@Query() query: EvaluationListQuery) {
    return this.evaluations.list(query);
  }

  @Get('pilot-evaluations/:id')
  @RequirePermission('evaluations.read')
  @ApiOperation({ summary: '评估详情（含冻结的 KPI 快照）' })
  @ApiOkResponse({ type: EvaluationView })
  get(@Param('id', uuid) id: string): Promise<EvaluationView> {
    return this.evaluations.get(id);
  }

  @Post('pilot-evaluations/:id/conclusion')
  @HttpCode(200)
  @RequirePermission('evaluations.manage')
  @ApiOperation({
    summary: '评估结论（省级管理员）',
    description:
      '冻结评估日的 KPI 快照（中期：方案执行、校企协同、师资配备、分段分流；结业：技师达标率、对口就业率、合作企业满意度），记录清单得分与结论：通过、限期整改（须填期限）或不通过（撤销试点：停止招生，在校生继续培养，通知院校）。',
  })
  @ApiOkResponse({ type: EvaluationView })
  conclude(@Param('id', uuid) id: string, @Body() dto: ConcludeEvaluationDto): Promise<EvaluationView> {
    return this.evaluations.conclude(id, dto);
  }

  @Post('pilot-revocations')
  @RequirePermission('evaluations.manage')
  @ApiOperation({ summary: '因违规撤销试点（省级管理员，R-GOV-3）', description: '须填写理由；专业停止招生，在校生继续培养；通知院校并记入审计日志。' })
  @ApiCreatedResponse({ type: RevocationView })
  revoke(@Body() dto: RevokeDto): Promise<RevocationView> {
    return this.evaluations.revoke(dto);
  }
}
