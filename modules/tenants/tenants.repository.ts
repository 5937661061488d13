import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { Tenant, TenantStatus, TenantTier } from './tenant.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantFilter {
  tier?: TenantTier;
  status?: TenantStatus;
  q?: string;
  limit: number;
  cursor?: string;
}

/** All SQL on `tenants` (a control-plane table: no RLS; access is decided by the caller's role). */
@Injectable()
export class TenantsRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get repo() {
    return (this.txHost as Tx).tx.getRepository(Tenant);
  }

  findById(id: string): Promise<Tenant | null> {
    return this.repo.findOne({ where: { id } });
  }

  async codeExists(code: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo.createQueryBuilder('t').where('lower(t.code) = lower(:code)', { code });
    if (exceptId) qb.andWhere('t.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  insert(values: Pick<Tenant, 'code' | 'name' | 'tier' | 'city'>): Promise<Tenant> {
    return this.repo.save(this.repo.create({ ...values, status: 'active', settings: {} }));
  }

  save(tenant: Tenant): Promise<Tenant> {
    return this.repo.save(tenant);
  }

  /** Sorted by code (keyset on lower(code), id). */
  list(filter: TenantFilter): Promise<Tenant[]> {
    const qb = this.repo
      .createQueryBuilder('t')
      .orderBy('lower(t.code)', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(filter.limit + 1);
    if (filter.tier) qb.andWhere('t.tier = :tier', { tier: filter.tier });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.q) {
      qb.andWhere("(t.name ILIKE :q ESCAPE '\\' OR t.code ILIKE :q ESCAPE '\\' OR t.city ILIKE :q ESCAPE '\\')", {
        q: `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    const after = decodeCursor(filter.cursor, 2);
    // A forged cursor must not reach the database as a cast error: it is a bad cursor.
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) qb.andWhere('(lower(t.code), t.id) > (:code, :id::uuid)', { code: after[0], id: after[1] });
    return qb.getMany();
  }
}
