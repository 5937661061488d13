import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import { CreateTenantDto, SuspendTenantDto, TenantListQuery, TenantPage, TenantView, UpdateTenantDto } from './dto/tenant.dto';
import { TenantErrors } from './tenants.errors';
import { TenantsService } from './tenants.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(TenantErrors.NOT_FOUND) });

@ApiTags('院校 tenants')
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @RequirePermission('tenants.manage')
  @ApiOperation({ summary: '新增院校（省级管理员）' })
  @ApiCreatedResponse({ type: TenantView })
  create(@Body() dto: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(dto);
  }

  @Get()
  @RequirePermission('tenants.read')
  @ApiOperation({ summary: '院校列表（省级用户）', description: '按代码排序，可按层级、状态筛选，q 模糊查找名称/代码/城市。' })
  @ApiOkResponse({ type: TenantPage })
  list(@Query() query: TenantListQuery) {
    return this.tenants.list(query);
  }

  @Get('current')
  @RequirePermission('tenants.read-own')
  @ApiOperation({ summary: '本校信息（院校用户）' })
  @ApiOkResponse({ type: TenantView })
  current(@CurrentActor() actor: Actor): Promise<TenantView> {
    return this.tenants.get(actor.tenantId!);
  }

  @Get(':id')
  @RequirePermission('tenants.read')
  @ApiOperation({ summary: '院校详情（省级用户）' })
  @ApiOkResponse({ type: TenantView })
  get(@Param('id', uuid) id: string): Promise<TenantView> {
    return this.tenants.get(id);
  }

  @Patch(':id')
  @RequirePermission('tenants.manage')
  @ApiOperation({ summary: '修改院校信息（需携带版本号）' })
  @ApiOkResponse({ type: TenantView })
  update(@Param('id', uuid) id: string, @Body() dto: UpdateTenantDto): Promise<TenantView> {
    return this.tenants.update(id, dto);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @RequirePermission('tenants.manage')
  @ApiOperation({ summary: '停用院校', description: '停用后该校所有用户不能登录，也不能调用任何接口。' })
  @ApiOkResponse({ type: TenantView })
  suspend(@Param('id', uuid) id: string, @Body() dto: SuspendTenantDto): Promise<TenantView> {
    return this.tenants.suspend(id, dto.reason);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @RequirePermission('tenants.manage')
  @ApiOperation({ summary: '恢复院校' })
  @ApiOkResponse({ type: TenantView })
  reactivate(@Param('id', uuid) id: string): Promise<TenantView> {
    return this.tenants.reactivate(id);
  }
}
