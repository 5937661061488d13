import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import { CreateOfferingDto, OfferingListQuery, OfferingPage, OfferingView, UpdateOfferingDto } from './dto/offering.dto';
import { EnterpriseErrors } from './enterprises.errors';
import { OfferingsService } from './offerings.service';

const offeringId = new ParseUUIDPipe({ exceptionFactory: () => new AppException(EnterpriseErrors.OFFERING_NOT_FOUND) });

@ApiTags('企业岗位与项目 offerings')
@Controller('offerings')
export class OfferingsController {
  constructor(private readonly offerings: OfferingsService) {}

  @Get()
  @RequirePermission('offerings.read')
  @ApiOperation({ summary: '实践岗位与技术项目（R-ENT-3）', description: '院校用户看本校全部；企业用户只看本企业的。按标题排序。' })
  @ApiOkResponse({ type: OfferingPage })
  list(@CurrentActor() actor: Actor, @Query() query: OfferingListQuery) {
    return this.offerings.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('offerings.read')
  @ApiOperation({ summary: '岗位或项目详情' })
  @ApiOkResponse({ type: OfferingView })
  get(@CurrentActor() actor: Actor, @Param('id', offeringId) id: string): Promise<OfferingView> {
    return this.offerings.get(actor, id);
  }

  @Post()
  @RequirePermission('offerings.manage')
  @ApiOperation({ summary: '新增实践岗位或技术项目（企业管理员，面向当前登录的院校）' })
  @ApiCreatedResponse({ type: OfferingView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOfferingDto): Promise<OfferingView> {
    return this.offerings.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermission('offerings.manage')
  @ApiOperation({ summary: '修改岗位或项目（需携带版本号）' })
  @ApiOkResponse({ type: OfferingView })
  update(@CurrentActor() actor: Actor, @Param('id', offeringId) id: string, @Body() dto: UpdateOfferingDto): Promise<OfferingView> {
    return this.offerings.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('offerings.manage')
  @ApiOperation({ summary: '删除岗位或项目' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @Param('id', offeringId) id: string): Promise<void> {
    await this.offerings.remove(actor, id);
  }
}
