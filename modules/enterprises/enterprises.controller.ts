import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import { CooperationView, CreateCooperationDto, CriterionResultView } from './dto/cooperation.dto';
import {
  ChangeProposalView,
  EnterpriseListQuery,
  EnterprisePage,
  EnterpriseView,
  OverrideRegisterEnterpriseDto,
  ProposeChangeDto,
  ReferenceDateQuery,
  RegisterEnterpriseDto,
  RegisterEnterpriseResult,
  RejectProposalDto,
  UpdateEnterpriseDto,
} from './dto/enterprise.dto';
import { EnterpriseErrors } from './enterprises.errors';
import { EnterprisesService } from './enterprises.service';

const enterpriseId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(EnterpriseErrors.NOT_FOUND) });
const cooperationId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(EnterpriseErrors.COOPERATION_NOT_FOUND) });
const proposalId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(EnterpriseErrors.PROPOSAL_NOT_FOUND) });

@ApiTags('企业 enterprises')
@Controller('enterprises')
export class EnterprisesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Post()
  @RequirePermission('enterprises.register')
  @ApiOperation({
    summary: '登记企业（R-ENT-0）',
    description:
      '统一社会信用代码按 GB 32100-2015 校验，不通过返回 422 并说明原因。代码已在全省企业库中时不重复创建：院校用户关联到本校（outcome = linked，返回 200），新建时返回 201。',
  })
  @ApiCreatedResponse({ type: RegisterEnterpriseResult })
  @ApiOkResponse({ type: RegisterEnterpriseResult, description: '已存在，已关联' })
  async register(
    @CurrentActor() actor: Actor,
    @Body() dto: RegisterEnterpriseDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RegisterEnterpriseResult> {
    const result = await this.enterprises.register(actor, dto);
    res.status(result.outcome === 'created' ? 201 : 200);
    return result;
  }

  @Post('uscc-override')
  @RequirePermission('enterprises.override-uscc')
  @ApiOperation({
    summary: '登记代码未通过校验的企业（省级管理员豁免，R-ENT-0）',
    description: '少数早期代码早于国家标准。须填写豁免理由，记入审计日志。',
  })
  @ApiCreatedResponse({ type: RegisterEnterpriseResult })
  registerWithOverride(@CurrentActor() actor: Actor, @Body() dto: OverrideRegisterEnterpriseDto): Promise<RegisterEnterpriseResult> {
    return this.enterprises.registerWithOverride(actor, dto);
  }

  @Get()
  @RequirePermission('enterprises.read')
  @ApiOperation({ summary: '企业列表', description: '省级用户看全省；院校用户看本校已关联的企业；企业用户只看本企业。按名称排序。' })
  @ApiOkResponse({ type: EnterprisePage })
  list(@CurrentActor() actor: Actor, @Query() query: EnterpriseListQuery) {
    return this.enterprises.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('enterprises.read')
  @ApiOperation({ summary: '企业详情', description: '联系电话仅对本企业管理员和省级管理员完整显示。' })
  @ApiOkResponse({ type: EnterpriseView })
  get(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string): Promise<EnterpriseView> {
    return this.enterprises.get(actor, id);
  }

  @Patch(':id')
  @RequirePermission('enterprises.edit-own')
  @ApiOperation({ summary: '修改企业信息（企业管理员改本企业；需携带版本号）', description: '院校用户不能直接修改，请提交变更建议。' })
  @ApiOkResponse({ type: EnterpriseView })
  update(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string, @Body() dto: UpdateEnterpriseDto): Promise<EnterpriseView> {
    return this.enterprises.update(actor, id, dto);
  }

  @Get(':id/criteria')
  @RequirePermission('enterprises.read')
  @ApiOperation({ summary: '合作企业条件核查（R-ENT-1…4）', description: '逐条给出是否满足及原因；R-ENT-2、R-ENT-3 按当前院校核查。' })
  @ApiOkResponse({ type: [CriterionResultView] })
  checkCriteria(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string, @Query() query: ReferenceDateQuery) {
    return this.enterprises.criteria(actor, id, query.referenceDate);
  }

  @Post(':id/change-proposals')
  @RequirePermission('enterprises.propose-change')
  @ApiOperation({ summary: '提交企业信息变更建议（院校用户）', description: '由企业管理员接受后才写入企业信息。' })
  @ApiCreatedResponse({ type: ChangeProposalView })
  propose(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string, @Body() dto: ProposeChangeDto): Promise<ChangeProposalView> {
    return this.enterprises.propose(actor, id, dto);
  }

  @Get(':id/change-proposals')
  @RequirePermission('enterprises.read')
  @ApiOperation({ summary: '企业信息变更建议列表' })
  @ApiOkResponse({ type: [ChangeProposalView] })
  proposals(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string): Promise<ChangeProposalView[]> {
    return this.enterprises.listProposals(actor, id);
  }

  @Get(':id/cooperations')
  @RequirePermission('enterprises.read')
  @ApiOperation({ summary: '校企合作记录（R-ENT-1）', description: 'withinLastThreeYears 按参考日期（默认今天）计算。' })
  @ApiOkResponse({ type: [CooperationView] })
  cooperations(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string, @Query() query: ReferenceDateQuery): Promise<CooperationView[]> {
    return this.enterprises.listCooperations(actor, id, query.referenceDate);
  }

  @Post(':id/cooperations')
  @RequirePermission('enterprises.edit-own')
  @ApiOperation({ summary: '新增校企合作记录（产业学院、订单班、企业新型学徒制）' })
  @ApiCreatedResponse({ type: CooperationView })
  addCooperation(@CurrentActor() actor: Actor, @Param('id', enterpriseId) id: string, @Body() dto: CreateCooperationDto): Promise<CooperationView> {
    return this.enterprises.addCooperation(actor, id, dto);
  }

  @Delete(':id/cooperations/:cooperationId')
  @HttpCode(204)
  @RequirePermission('enterprises.edit-own')
  @ApiOperation({ summary: '删除校企合作记录' })
  @ApiNoContentResponse()
  async removeCooperation(
    @CurrentActor() actor: Actor,
    @Param('id', enterpriseId) id: string,
    @Param('cooperationId', cooperationId) cooperation: string,
  ): Promise<void> {
    await this.enterprises.removeCooperation(actor, id, cooperation);
  }
}

@ApiTags('企业 enterprises')
@Controller('enterprise-change-proposals')
export class ChangeProposalsController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Post(':id/accept')
  @HttpCode(200)
  @RequirePermission('enterprises.decide-change')
  @ApiOperation({ summary: '接受变更建议（企业管理员）', description: '变更写入全省企业库并记入审计日志。' })
  @ApiOkResponse({ type: ChangeProposalView })
  accept(@CurrentActor() actor: Actor, @Param('id', proposalId) id: string): Promise<ChangeProposalView> {
    return this.enterprises.acceptProposal(actor, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('enterprises.decide-change')
  @ApiOperation({ summary: '驳回变更建议（企业管理员，须填写理由）' })
  @ApiOkResponse({ type: ChangeProposalView })
  reject(@CurrentActor() actor: Actor, @Param('id', proposalId) id: string, @Body() dto: RejectProposalDto): Promise<ChangeProposalView> {
    return this.enterprises.rejectProposal(actor, id, dto.reason);
  }
}
