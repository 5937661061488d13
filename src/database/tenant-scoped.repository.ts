import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import type { TenantContext } from '../tenancy/tenant-context';
import type { Tx } from './transaction-host';

/** Every query on a tenant table names its tenant: a where without `tenantId` does not compile. */
export type TenantWhere<E extends { tenantId: string }> = FindOptionsWhere<E> & { tenantId: string };

/**
 * Base of repositories over tenant tables. RLS is the wall; this is the second line:
 * every read and write also says `tenant_id = <current>` explicitly (which the indexes
 * lead with), and with no tenant in context it throws before any SQL runs.
 */
export abstract class TenantScopedRepository<E extends ObjectLiteral & { tenantId: string; id: string }> {
  protected constructor(
    protected readonly txHost: Tx,
    protected readonly tenant: TenantContext,
    private readonly target: EntityTarget<E>,
  ) {}

  protected get manager(): EntityManager {
    return this.txHost.tx;
  }

  protected get repo(): Repository<E> {
    return this.txHost.tx.getRepository(this.target);
  }

  protected where(where: FindOptionsWhere<E> = {}): TenantWhere<E> {
    return { ...where, tenantId: this.tenant.requireTenantId() } as TenantWhere<E>;
  }

  findById(id: string): Promise<E | null> {
    return this.repo.findOne({ where: this.where({ id } as FindOptionsWhere<E>) });
  }
}
