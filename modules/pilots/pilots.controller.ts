import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { PageQuery } from '../../src/http/pagination';
import { ApplicationsService } from './applications.service';
import {
  AdjustEndDto,
  ApplicationListQuery,
  ApplicationPage,
  ApplicationView,
  AssignExpertDto,
  BatchPage,
  BatchView,
  CreateApplicationDto,
  CreateBatchDto,
  CreateNoticeDto,
  CreateObjectionDto,
  CreatePilotReviewDto,
  CreateSiteCheckDto,
  DecideDto,
  FilingDto,
  NoticeListQuery,
  NoticePage,
  PilotNoticeView,
  ObjectionView,
  RecipientView,
  ReopenNoticeDto,
  ResolveObjectionDto,
  UpdateApplicationDto,
  VersionDto,
} from './dto/pilots.dto';
import { NoticesService } from './notices.service';
import { PilotErrors } from './pilots.errors';
import { PublicityService } from './publicity.service';

const noticeId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PilotErrors.NOTICE_NOT_FOUND) });
const applicationId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PilotErrors.APPLICATION_NOT_FOUND) });
const batchId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PilotErrors.BATCH_NOT_FOUND) });
const objectionId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PilotErrors.OBJECTION_NOT_FOUND) });

@ApiTags('试点通知 pilot notices')
@Controller('pilot-notices')
export class PilotNoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Post()
  @RequirePermission('pilots.manage')
  @ApiOperation({
    summary: '发布试点申报通知（省级管理员）',
    description:
      '申报要求、材料清单、截止日期（R-APP-1）。缺省发送给当年推广表允许层级的全部院校（R-COL-2）；范围外的院校须在 extraColleges 中说明理由，否则 422。评审指标缺省为 R-APP-4 的三项。',
  })
  @ApiCreatedResponse({ type: PilotNoticeView })
  create(@Body() dto: CreateNoticeDto): Promise<PilotNoticeView> {
    return this.notices.create(dto);
  }

  @Get()
  @RequirePermission('pilots.read')
  @ApiOperation({ summary: '试点通知列表', description: '省级用户看全部；院校只看发给本校的通知（行级安全策略）。按发布时间倒序，游标分页。' })
  @ApiOkResponse({ type: NoticePage })
  list(@Query() query: NoticeListQuery) {
    return this.notices.list(query);
  }

  @Get(':id')
  @RequirePermission('pilots.read')
  @ApiOperation({ summary: '试点通知详情', description: '未发给本校的通知对院校答 404。' })
  @ApiOkResponse({ type: PilotNoticeView })
  get(@Param('id', noticeId) id: string): Promise<PilotNoticeView> {
    return this.notices.get(id);
  }

  @Post(':id/reopenings')
  @HttpCode(200)
  @RequirePermission('pilots.manage')
  @ApiOperation({ summary: '为某院校重新开放申报（省级管理员）', description: '截止日期后，院校只有在省级部门为其重新开放时才能提交；须填写理由，记入审计日志并通知院校。' })
  @ApiOkResponse({ type: RecipientView })
  reopen(@Param('id', noticeId) id: string, @Body() dto: ReopenNoticeDto): Promise<RecipientView> {
    return this.notices.reopen(id, dto);
  }
}

@ApiTags('试点申报 pilot applications')
@Controller('pilot-applications')
export class PilotApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @RequirePermission('pilots.apply')
  @ApiOperation({
    summary: '新建试点申报（院校，草稿）',
    description: '针对一份发给本校的通知，选择一个或多个专业，并关联 R-APP-7 材料：每家合作企业的资质材料与联合培养协议、管理方案（考核评价方案、管理制度、招生与就业计划）。',
  })
  @ApiCreatedResponse({ type: ApplicationView })
  create(@Body() dto: CreateApplicationDto): Promise<ApplicationView> {
    return this.applications.create(dto);
  }

  @Get()
  @RequirePermission('pilots.read')
  @ApiOperation({ summary: '试点申报列表', description: '院校看本校；评审专家只看分配给本人的申报；其他省级用户看全省。' })
  @ApiOkResponse({ type: ApplicationPage })
  list(@Query() query: ApplicationListQuery) {
    return this.applications.list(query);
  }

  @Get(':id')
  @RequirePermission('pilots.read')
  @ApiOperation({ summary: '试点申报详情', description: '含提交时冻结的快照。专家评审与专家名单只对省级用户可见，专家只见本人评审；未分配的专家答 404。' })
  @ApiOkResponse({ type: ApplicationView })
  get(@Param('id', applicationId) id: string): Promise<ApplicationView> {
    return this.applications.get(id);
  }

  @Patch(':id')
  @RequirePermission('pilots.apply')
  @ApiOperation({ summary: '修改申报（草稿或退回修改，需携带版本号）', description: '可修改申报专业及材料、管理方案、教学指导委员会决定（R-APP-3）。版本号不一致返回 409。' })
  @ApiOkResponse({ type: ApplicationView })
  update(@Param('id', applicationId) id: string, @Body() dto: UpdateApplicationDto): Promise<ApplicationView> {
    return this.applications.update(id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @RequirePermission('pilots.apply')
  @ApiOperation({
    summary: '提交申报',
    description:
      '逐项检查：申报条件 R-PRG-1…3（含协议在有效期内，R-PRG-5）、团队合规（R-EVA-2）、R-APP-7 材料、教学指导委员会同意（R-APP-3）、截止日期（或省级重新开放）。不满足时 422 并列出全部原因。提交后冻结快照，专业试点状态变为“已申报”。',
  })
  @ApiOkResponse({ type: ApplicationView })
  submit(@Param('id', applicationId) id: string, @Body() dto: VersionDto): Promise<ApplicationView> {
    return this.applications.submit(id, dto);
  }

  @Post(':id/experts')
  @HttpCode(200)
  @RequirePermission('pilots.manage')
  @ApiOperation({
    summary: '分配评审专家（省级管理员）',
    description: '回避：专家在申报院校有任何账号身份，或属于申报专业的合作企业时，拒绝分配（422，说明原因）。分配后申报进入评审。',
  })
  @ApiOkResponse({ type: ApplicationView })
  assignExpert(@Param('id', applicationId) id: string, @Body() dto: AssignExpertDto): Promise<ApplicationView> {
    return this.applications.assignExpert(id, dto);
  }

  @Post(':id/reviews')
  @HttpCode(201)
  @RequirePermission('pilots.review')
  @ApiOperation({ summary: '专家评审打分（R-APP-4）', description: '按通知的评审指标逐项评分（0–100），附意见与建议。只有分配到本申报的专家可以评审。' })
  @ApiCreatedResponse({ type: ApplicationView })
  review(@Param('id', applicationId) id: string, @Body() dto: CreatePilotReviewDto): Promise<ApplicationView> {
    return this.applications.review(id, dto);
  }

  @Post(':id/site-checks')
  @HttpCode(201)
  @RequirePermission('pilots.site-check')
  @ApiOperation({ summary: '记录实地核查（R-APP-4）', description: '日期与核查结论。' })
  @ApiCreatedResponse({ type: ApplicationView })
  siteCheck(@Param('id', applicationId) id: string, @Body() dto: CreateSiteCheckDto): Promise<ApplicationView> {
    return this.applications.siteCheck(id, dto);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @RequirePermission('pilots.manage')
  @ApiOperation({
    summary: '逐专业作出决定（省级管理员）',
    description: '通过、不予通过或退回修改（后两者须填写理由）；须覆盖全部待决定专业。不予通过的专业试点状态回到“候选”。结果通知院校。',
  })
  @ApiOkResponse({ type: ApplicationView })
  decide(@Param('id', applicationId) id: string, @Body() dto: DecideDto): Promise<ApplicationView> {
    return this.applications.decide(id, dto);
  }
}

@ApiTags('试点公示 public notice')
@Controller()
export class PublicityController {
  constructor(private readonly publicity: PublicityService) {}

  @Post('publicity-batches')
  @RequirePermission('pilots.manage')
  @ApiOperation({
    summary: '发布公示批次（省级管理员）',
    description:
      '已获批的专业进入公示。截止日期按工作日历计算（R-APP-5）：发布当日不计，第 5 个工作日 24:00（北京时间）结束，节假日与调休上班日均按国务院安排；经过暂定年份时标记 provisional。',
  })
  @ApiCreatedResponse({ type: BatchView })
  create(@Body() dto: CreateBatchDto): Promise<BatchView> {
    return this.publicity.create(dto);
  }

  @Get('publicity-batches')
  @RequirePermission('pilots.read')
  @ApiOperation({ summary: '公示批次列表', description: '按发布日期倒序，游标分页。' })
  @ApiOkResponse({ type: BatchPage })
  list(@Query() query: PageQuery) {
    return this.publicity.list(query);
  }

  @Get('publicity-batches/:id')
  @RequirePermission('pilots.read')
  @ApiOperation({ summary: '公示批次详情', description: '院校只看到本校的专业及其异议。' })
  @ApiOkResponse({ type: BatchView })
  get(@Param('id', batchId) id: string): Promise<BatchView> {
    return this.publicity.get(id);
  }

  @Patch('publicity-batches/:id/end-date')
  @RequirePermission('pilots.manage')
  @ApiOperation({ summary: '调整公示截止日期（省级管理员，须填写理由）', description: '记入审计日志；同时视为核定（不再是暂定）。' })
  @ApiOkResponse({ type: BatchView })
  adjustEnd(@Param('id', batchId) id: string, @Body() dto: AdjustEndDto): Promise<BatchView> {
    return this.publicity.adjustEnd(id, dto);
  }

  @Post('publicity-batches/:id/objections')
  @RequirePermission('pilots.manage')
  @ApiOperation({ summary: '登记公示异议', description: '收到日期须在公示期内（发布日至截止日，且不晚于今天）。' })
  @ApiCreatedResponse({ type: ObjectionView })
  addObjection(@Param('id', batchId) id: string, @Body() dto: CreateObjectionDto): Promise<ObjectionView> {
    return this.publicity.addObjection(id, dto);
  }

  @Post('pilot-objections/:id/resolution')
  @HttpCode(200)
  @RequirePermission('pilots.manage')
  @ApiOperation({ summary: '处理异议', description: '成立：该专业不予通过，试点状态回到“候选”，通知院校；不成立：继续公示。' })
  @ApiOkResponse({ type: ObjectionView })
  resolve(@Param('id', objectionId) id: string, @Body() dto: ResolveObjectionDto): Promise<ObjectionView> {
    return this.publicity.resolveObjection(id, dto);
  }

  @Post('publicity-batches/:id/announcement')
  @HttpCode(200)
  @RequirePermission('pilots.manage')
  @ApiOperation({
    summary: '公布试点名单（省级管理员）',
    description: '公示期结束（截止日 24:00 后）且无未处理异议时公布：专业成为试点（active），院校可开班。截止日期仍依据暂定日历时须先核定（422）。',
  })
  @ApiOkResponse({ type: BatchView })
  announce(@Param('id', batchId) id: string): Promise<BatchView> {
    return this.publicity.announce(id);
  }

  @Post('publicity-batches/:id/filing')
  @HttpCode(200)
  @RequirePermission('pilots.manage')
  @ApiOperation({ summary: '记录报部备案（R-APP-6）', description: '已公布的批次：备案日期与文号。' })
  @ApiOkResponse({ type: BatchView })
  file(@Param('id', batchId) id: string, @Body() dto: FilingDto): Promise<BatchView> {
    return this.publicity.file(id, dto);
  }
}
