import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  AdoptPlanDto,
  CreatePlanDto,
  CreateReviewDto,
  FilingListQuery,
  FilingPage,
  PartyDecisionDto,
  PlanChangeDto,
  PlanFilingDto,
  PlanListQuery,
  PlanPage,
  PlanView,
  UpdateDraftDto,
} from './dto/plan.dto';
import { PlanErrors } from './training-plans.errors';
import { TrainingPlansService } from './training-plans.service';

const programmeId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PlanErrors.PROGRAMME_NOT_FOUND) });
const versionNo = new ParseIntPipe({ exceptionFactory: () => new AppException(PlanErrors.NOT_FOUND) });

@ApiTags('人才培养方案 training plans')
@ApiParam({ name: 'id', format: 'uuid', description: '专业 id' })
@Controller('programmes/:id/plans')
export class TrainingPlansController {
  constructor(private readonly plans: TrainingPlansService) {}

  @Post()
  @RequirePermission('plans.manage')
  @ApiOperation({
    summary: '新建培养方案（第 1 版草稿）',
    description: '每个专业只新建一次；之后的修改通过“调整”生成新版本。班级规模超过本校设置（默认 30 人）时返回 warnings，不拒绝（R-TRN-2）。',
  })
  @ApiCreatedResponse({ type: PlanView })
  create(@Param('id', programmeId) id: string, @Body() dto: CreatePlanDto): Promise<PlanView> {
    return this.plans.create(id, dto);
  }

  @Get()
  @RequirePermission('plans.read')
  @ApiOperation({ summary: '培养方案版本列表', description: '按版本号倒序，游标分页。' })
  @ApiOkResponse({ type: PlanPage })
  list(@Param('id', programmeId) id: string, @Query() query: PlanListQuery) {
    return this.plans.list(id, query);
  }

  @Get(':versionNo')
  @RequirePermission('plans.read')
  @ApiParam({ name: 'versionNo', example: 1, description: '方案版本号' })
  @ApiOperation({ summary: '培养方案某一版本（含评审、党委会决定、备案）' })
  @ApiOkResponse({ type: PlanView })
  get(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number): Promise<PlanView> {
    return this.plans.get(id, no);
  }

  @Patch(':versionNo')
  @RequirePermission('plans.manage')
  @ApiParam({ name: 'versionNo', example: 1 })
  @ApiOperation({
    summary: '修改草稿',
    description: '只有草稿可以直接修改（需携带版本号）；现行、待备案、已替代的版本只读，请提交调整。',
  })
  @ApiOkResponse({ type: PlanView })
  update(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number, @Body() dto: UpdateDraftDto): Promise<PlanView> {
    return this.plans.updateDraft(id, no, dto);
  }

  @Post(':versionNo/adopt')
  @HttpCode(200)
  @RequirePermission('plans.manage')
  @ApiParam({ name: 'versionNo', example: 1 })
  @ApiOperation({ summary: '启用第一版方案（草稿 → 现行）' })
  @ApiExtraModels(AdoptPlanDto)
  @ApiBody({
    schema: { $ref: getSchemaPath(AdoptPlanDto) },
    examples: { 启用: { summary: '按读取时的版本号启用第 1 版人才培养方案', value: { version: 1 } } },
  })
  @ApiOkResponse({ type: PlanView })
  adopt(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number, @Body() dto: AdoptPlanDto): Promise<PlanView> {
    return this.plans.adopt(id, no, dto);
  }

  @Post(':versionNo/reviews')
  @RequirePermission('plans.manage')
  @ApiParam({ name: 'versionNo', example: 1 })
  @ApiOperation({
    summary: '记录专业建设指导委员会评审',
    description: '评审日期、专家、结论（R-PRG-2）。申报条件只认现行版本最近一次评审为“通过”。',
  })
  @ApiCreatedResponse({ type: PlanView })
  review(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number, @Body() dto: CreateReviewDto): Promise<PlanView> {
    return this.plans.addReview(id, no, dto);
  }

  @Post(':versionNo/changes')
  @RequirePermission('plans.manage')
  @ApiParam({ name: 'versionNo', example: 1, description: '现行版本号' })
  @ApiOperation({
    summary: '调整培养方案（生成新版本）',
    description:
      'minor 一般调整：新版本立即成为现行版本。major 重大调整（课程体系、考核评价安排、实训项目）：新版本为“待备案”，须记录党委会决定并报省备案后生效（R-GOV-2）。涉及上述内容的调整不能按一般调整提交。',
  })
  @ApiCreatedResponse({ type: PlanView })
  change(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number, @Body() dto: PlanChangeDto): Promise<PlanView> {
    return this.plans.change(id, no, dto);
  }

  @Post(':versionNo/party-decision')
  @RequirePermission('plans.file-major-change')
  @ApiParam({ name: 'versionNo', example: 2, description: '待备案的版本号' })
  @ApiOperation({ summary: '记录院校党委会决定（重大调整）', description: '决定日期与会议纪要附件（R-GOV-2）。' })
  @ApiCreatedResponse({ type: PlanView })
  decide(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number, @Body() dto: PartyDecisionDto): Promise<PlanView> {
    return this.plans.recordDecision(id, no, dto);
  }

  @Post(':versionNo/filing')
  @RequirePermission('plans.file-major-change')
  @ApiParam({ name: 'versionNo', example: 2, description: '待备案的版本号' })
  @ApiOperation({
    summary: '报省备案（重大调整生效）',
    description: '须先记录党委会决定；备案后该版本成为现行版本，原现行版本被替代（R-GOV-2）。',
  })
  @ApiCreatedResponse({ type: PlanView })
  file(@Param('id', programmeId) id: string, @Param('versionNo', versionNo) no: number, @Body() dto: PlanFilingDto): Promise<PlanView> {
    return this.plans.file(id, no, dto);
  }
}

@ApiTags('人才培养方案 training plans')
@Controller('plan-filings')
export class PlanFilingsController {
  constructor(private readonly plans: TrainingPlansService) {}

  @Get()
  @RequirePermission('filings.read')
  @ApiOperation({
    summary: '培养方案重大调整备案列表（省级用户，全省各院校）',
    description: '按备案时间倒序，游标分页；可按院校、专业、日期筛选（R-GOV-2）。',
  })
  @ApiOkResponse({ type: FilingPage })
  list(@Query() query: FilingListQuery) {
    return this.plans.listFilings(query);
  }
}
