import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { PilotStatus } from './domain/pilot-status';
import { Programme } from './programme.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProgrammeFilter {
  /** the college to read; undefined = every college (province scope only: RLS decides) */
  tenantId?: string;
  pilotStatus?: PilotStatus;
  clusterCode?: string;
  occupationCode?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

export type NewProgramme = Pick<
  Programme,
  'code' | 'name' | 'occupationCode' | 'occupationName' | 'clusterCodes' | 'talentGapEvidence' | 'talentGapNumber' | 'priorityExperience'
>;

/** All SQL on `programmes` (a tenant table). */
@Injectable()
export class ProgrammesRepository extends TenantScopedRepository<Programme> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Programme);
  }

  /**
   * A programme the caller may see: in their own college, or (province scope) in any
   * college, read through the RLS province read policy without a tenant filter.
   */
  findVisible(id: string): Promise<Programme | null> {
    if (this.tenant.scope === 'province') return this.repo.findOne({ where: { id } });
    return this.findById(id);
  }

  /** Locks the row: pilot status moves and plan changes are decided one after the other. */
  findForUpdate(id: string): Promise<Programme | null> {
    return this.repo
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.tenantId = :tenantId AND p.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  async codeExists(code: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.tenantId = :tenantId', { tenantId: this.tenant.requireTenantId() })
      .andWhere('lower(p.code) = lower(:code)', { code });
    if (exceptId) qb.andWhere('p.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  insert(values: NewProgramme): Promise<Programme> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId(), pilotStatus: 'candidate' }));
  }

  save(programme: Programme): Promise<Programme> {
    if (programme.tenantId !== this.tenant.requireTenantId()) throw new Error('programme of another tenant');
    return this.repo.save(programme);
  }

  /** Sorted by code (keyset on lower(code), id). */
  list(filter: ProgrammeFilter): Promise<Programme[]> {
    const qb = this.repo
      .createQueryBuilder('p')
      .orderBy('lower(p.code)', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(filter.limit + 1);
    if (filter.tenantId) qb.andWhere('p.tenantId = :tenantId', { tenantId: filter.tenantId });
    if (filter.pilotStatus) qb.andWhere('p.pilotStatus = :status', { status: filter.pilotStatus });
    if (filter.clusterCode) qb.andWhere(':cluster = ANY(p.clusterCodes)', { cluster: filter.clusterCode });
    if (filter.occupationCode) qb.andWhere('p.occupationCode = :occ', { occ: filter.occupationCode });
    if (filter.q) {
      qb.andWhere("(p.name ILIKE :q ESCAPE '\\' OR p.code ILIKE :q ESCAPE '\\' OR p.occupationName ILIKE :q ESCAPE '\\')", {
        q: `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    const after = decodeCursor(filter.cursor, 2);
    // A forged cursor must not reach the database as a cast error: it is a bad cursor.
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) qb.andWhere('(lower(p.code), p.id) > (:code, :id::uuid)', { code: after[0], id: after[1] });
    return qb.getMany();
  }
}
