import { Injectable } from '@nestjs/common';
import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { AppException } from '../errors/app.exception';
import { Actor, JishiClsStore, Scope } from './request-context';
import { TenancyErrors } from './tenancy.errors';

/** The database settings a transaction is pinned to (ARCHITECTURE §3). */
export interface DbSettings {
  tenantId: string;
  scope: string;
  enterpriseId: string;
  /** the signed-in user ('' for jobs and anonymous requests): RLS of user-owned rows (notifications) */
  userId: string;
}

/** Reads the current actor and tenant from CLS. Fails closed: no tenant, no tenant data. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService<JishiClsStore>) {}

  get actor(): Actor | undefined {
    return this.cls.isActive() ? this.cls.get('actor') : undefined;
  }

  requireActor(): Actor {
    const actor = this.actor;
    if (!actor) throw new AppException(TenancyErrors.NO_TENANT_CONTEXT);
    return actor;
  }

  get tenantId(): string | undefined {
    if (!this.cls.isActive()) return undefined;
    return this.cls.get('actor')?.tenantId ?? this.cls.get('systemTenantId');
  }

  /** The current college; throws when the caller acts for none (province, anonymous). */
  requireTenantId(): string {
    const id = this.tenantId;
    if (!id) throw new AppException(TenancyErrors.NO_TENANT_CONTEXT);
    return id;
  }

  get scope(): Scope | undefined {
    return this.actor?.scope;
  }

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.get('requestId') : undefined;
  }

  get ip(): string | undefined {
    return this.cls.isActive() ? this.cls.get('ip') : undefined;
  }

  /** Runs `fn` in a fresh CLS context acting as the system for one tenant (jobs, seeds). */
  runAsTenant<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    return this.cls.run(async () => {
      this.cls.set('systemTenantId', tenantId);
      return fn();
    });
  }

  /** Runs `fn` with province read scope and no actor (reports, fan-out schedulers). */
  runAsProvinceSystem<T>(fn: () => Promise<T>): Promise<T> {
    return this.cls.run(async () => {
      this.cls.set('systemScope', 'province');
      return fn();
    });
  }
}

/** Settings for the transaction about to start, read from whatever CLS context is active. */
export function currentDbSettings(): DbSettings {
  const cls = ClsServiceManager.getClsService<JishiClsStore>();
  if (!cls.isActive()) return { tenantId: '', scope: '', enterpriseId: '', userId: '' };
  const actor = cls.get('actor');
  return {
    tenantId: actor?.tenantId ?? cls.get('systemTenantId') ?? '',
    scope: actor?.scope ?? cls.get('systemScope') ?? '',
    enterpriseId: actor?.enterpriseId ?? '',
    userId: actor?.userId ?? '',
  };
}
