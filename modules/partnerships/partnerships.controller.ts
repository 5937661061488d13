import { applyDecorators, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import {
  ActivatePartnershipDto,
  AgreementView,
  CreateAgreementDto,
  CreatePartnershipDto,
  EndPartnershipDto,
  PartnershipListQuery,
  PartnershipPage,
  PartnershipView,
  SignAgreementDto,
  TerminateAgreementDto,
  UpdateAgreementDto,
} from './dto/partnership.dto';
import { PartnershipErrors } from './partnerships.errors';
import { PartnershipsService } from './partnerships.service';

const partnershipId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PartnershipErrors.NOT_FOUND) });
const agreementId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(PartnershipErrors.AGREEMENT_NOT_FOUND) });

/** A request body documented by its DTO, with named examples described in Chinese. */
function BodyExamples(dto: Type<unknown>, examples: Record<string, { summary: string; value: unknown }>) {
  return applyDecorators(ApiExtraModels(dto), ApiBody({ schema: { $ref: getSchemaPath(dto) }, examples }));
}

@ApiTags('校企合作 partnerships')
@Controller('partnerships')
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Post()
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '新建专业的合作企业（拟合作）', description: '同一企业在同一专业只能有一条合作关系（重复返回 409）；企业自动关联到本校。' })
  @BodyExamples(CreatePartnershipDto, {
    拟合作: { summary: '为本校“数控加工（数控车工）”专业添加合作企业“广州精工数控设备有限公司”', value: { programmeId: '6f1c0c3e-1d2b-4c6a-9d53-2d1f4f0c9a11', enterpriseId: '0b7e3c52-8a41-4f0e-9c6d-3f2a1b5c7d90' } },
  })
  @ApiCreatedResponse({ type: PartnershipView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePartnershipDto): Promise<PartnershipView> {
    return this.partnerships.create(actor, dto);
  }

  @Get()
  @RequirePermission('partnerships.read')
  @ApiOperation({ summary: '合作关系列表', description: '企业用户只看本企业的；省级用户看全部院校。' })
  @ApiOkResponse({ type: PartnershipPage })
  list(@CurrentActor() actor: Actor, @Query() query: PartnershipListQuery) {
    return this.partnerships.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('partnerships.read')
  @ApiOperation({ summary: '合作关系详情' })
  @ApiOkResponse({ type: PartnershipView })
  get(@CurrentActor() actor: Actor, @Param('id', partnershipId) id: string): Promise<PartnershipView> {
    return this.partnerships.get(actor, id);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '启用合作关系（R-PRG-3）', description: '每个专业最多 2 家合作企业同时处于合作中，第 3 家返回 422 并说明原因。' })
  @BodyExamples(ActivatePartnershipDto, {
    启用: { summary: '按读取时的版本号启用合作，自 2026 年 3 月 1 日起合作中', value: { version: 1, startedOn: '2026-03-01' } },
  })
  @ApiOkResponse({ type: PartnershipView })
  activate(@CurrentActor() actor: Actor, @Param('id', partnershipId) id: string, @Body() dto: ActivatePartnershipDto): Promise<PartnershipView> {
    return this.partnerships.activate(actor, id, dto);
  }

  @Post(':id/end')
  @HttpCode(200)
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '结束合作关系' })
  @BodyExamples(EndPartnershipDto, {
    结束: { summary: '首届学制技师班毕业后结束合作', value: { version: 2, endedOn: '2029-07-31' } },
  })
  @ApiOkResponse({ type: PartnershipView })
  end(@CurrentActor() actor: Actor, @Param('id', partnershipId) id: string, @Body() dto: EndPartnershipDto): Promise<PartnershipView> {
    return this.partnerships.end(actor, id, dto);
  }

  @Post(':id/agreements')
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '起草校企共培学制技师合作协议（R-TRN-1）', description: '双方名称按起草时快照保存。' })
  @ApiCreatedResponse({ type: AgreementView })
  createAgreement(@CurrentActor() actor: Actor, @Param('id', partnershipId) id: string, @Body() dto: CreateAgreementDto): Promise<AgreementView> {
    return this.partnerships.createAgreement(actor, id, dto);
  }

  @Get(':id/agreements')
  @RequirePermission('partnerships.read')
  @ApiOperation({ summary: '合作关系下的协议' })
  @ApiOkResponse({ type: [AgreementView] })
  agreements(@CurrentActor() actor: Actor, @Param('id', partnershipId) id: string): Promise<AgreementView[]> {
    return this.partnerships.agreementsOf(actor, id);
  }
}

@ApiTags('校企合作 partnerships')
@Controller('agreements')
export class AgreementsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Get(':id')
  @RequirePermission('partnerships.read')
  @ApiOperation({ summary: '协议详情', description: 'inForce：已签署且今天（北京时间）在协议期限内。' })
  @ApiOkResponse({ type: AgreementView })
  get(@CurrentActor() actor: Actor, @Param('id', agreementId) id: string): Promise<AgreementView> {
    return this.partnerships.getAgreement(actor, id);
  }

  @Patch(':id')
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '修改协议草稿（需携带版本号）' })
  @ApiOkResponse({ type: AgreementView })
  update(@CurrentActor() actor: Actor, @Param('id', agreementId) id: string, @Body() dto: UpdateAgreementDto): Promise<AgreementView> {
    return this.partnerships.updateAgreement(actor, id, dto);
  }

  @Post(':id/sign')
  @HttpCode(200)
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '签署协议', description: '须附上已签章协议文件（本校上传的附件）。' })
  @BodyExamples(SignAgreementDto, {
    签署: { summary: '上传双方签章的协议扫描件后登记签署', value: { signedOn: '2026-02-26', signedFileAttachmentId: '3c9d2e71-5b8a-4f62-a1d0-7e4b9c8f2a35', version: 1 } },
  })
  @ApiOkResponse({ type: AgreementView })
  sign(@CurrentActor() actor: Actor, @Param('id', agreementId) id: string, @Body() dto: SignAgreementDto): Promise<AgreementView> {
    return this.partnerships.sign(actor, id, dto);
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @RequirePermission('partnerships.manage')
  @ApiOperation({ summary: '终止协议' })
  @ApiOkResponse({ type: AgreementView })
  terminate(@CurrentActor() actor: Actor, @Param('id', agreementId) id: string, @Body() dto: TerminateAgreementDto): Promise<AgreementView> {
    return this.partnerships.terminate(actor, id, dto);
  }
}
