import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AuthStateCache } from '../../src/auth/auth-state.cache';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { AuditService } from '../audit';
import { CreateTenantDto, TenantListQuery, TenantView, UpdateTenantDto } from './dto/tenant.dto';
import { Tenant } from './tenant.entity';
import { TenantErrors } from './tenants.errors';
import { TenantsRepository } from './tenants.repository';

export function toTenantView(t: Tenant): TenantView {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    tier: t.tier,
    city: t.city,
    status: t.status,
    suspendedReason: t.suspendedReason,
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

function snapshot(t: Tenant) {
  return { code: t.code, name: t.name, tier: t.tier, city: t.city, status: t.status, suspendedReason: t.suspendedReason };
}

/** Province admins create, change, suspend and reactivate colleges (issue 2 item 4). */
@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
    private readonly authStates: AuthStateCache,
  ) {}

  @Transactional()
  async create(dto: CreateTenantDto): Promise<TenantView> {
    if (await this.tenants.codeExists(dto.code)) throw new AppException(TenantErrors.CODE_TAKEN, { code: dto.code });
    const tenant = await this.tenants.insert(dto);
    await this.audit.record({ entity: 'tenant', entityId: tenant.id, action: 'create', after: snapshot(tenant) });
    return toTenantView(tenant);
  }

  @Transactional()
  async get(id: string): Promise<TenantView> {
    return toTenantView(await this.require(id));
  }

  @Transactional()
  async list(query: TenantListQuery): Promise<Page<TenantView>> {
    const rows = await this.tenants.list(query);
    return toPage(rows, query.limit, (t) => [t.code.toLowerCase(), t.id], toTenantView);
  }

  @Transactional()
  async update(id: string, dto: UpdateTenantDto): Promise<TenantView> {
    const tenant = await this.require(id);
    if (tenant.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: tenant.version });
    const before = snapshot(tenant);
    if (dto.name !== undefined) tenant.name = dto.name;
    if (dto.tier !== undefined) tenant.tier = dto.tier;
    if (dto.city !== undefined) tenant.city = dto.city;
    const saved = await this.tenants.save(tenant);
    await this.audit.record({ entity: 'tenant', entityId: id, action: 'update', before, after: snapshot(saved) });
    return toTenantView(saved);
  }

  /** Users of a suspended college can neither log in nor call anything. */
  @Transactional()
  async suspend(id: string, reason: string): Promise<TenantView> {
    const tenant = await this.require(id);
    if (tenant.status === 'suspended') throw new AppException(TenantErrors.ALREADY_SUSPENDED);
    const before = snapshot(tenant);
    tenant.status = 'suspended';
    tenant.suspendedReason = reason;
    const saved = await this.tenants.save(tenant);
    await this.audit.record({ entity: 'tenant', entityId: id, action: 'suspend', before, after: snapshot(saved) });
    this.authStates.invalidateAll();
    return toTenantView(saved);
  }

  @Transactional()
  async reactivate(id: string): Promise<TenantView> {
    const tenant = await this.require(id);
    if (tenant.status !== 'suspended') throw new AppException(TenantErrors.NOT_SUSPENDED);
    const before = snapshot(tenant);
    tenant.status = 'active';
    tenant.suspendedReason = null;
    const saved = await this.tenants.save(tenant);
    await this.audit.record({ entity: 'tenant', entityId: id, action: 'reactivate', before, after: snapshot(saved) });
    this.authStates.invalidateAll();
    return toTenantView(saved);
  }

  private async require(id: string): Promise<Tenant> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw new AppException(TenantErrors.NOT_FOUND);
    return tenant;
  }
}
