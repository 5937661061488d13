import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { AuditEntry } from './audit-entry.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown) => typeof v === 'string' && UUID.test(v);
const isIsoTime = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));

export interface AuditFilter {
  /** the college to read; undefined = every college (province only, RLS decides) */
  tenantId?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  actorUserId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** All SQL of the audit log. Insert-only: the runtime role holds no UPDATE or DELETE on it. */
@Injectable()
export class AuditRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get tx() {
    return (this.txHost as Tx).tx;
  }

  async insert(entry: Partial<AuditEntry>, tenantId: string | null): Promise<void> {
    // tenant_id comes from the pinned setting (column default); the RLS check refuses a mismatch.
    await this.tx.query(
      `INSERT INTO audit_log (actor_user_id, membership_id, actor_role, entity, entity_id, action, before, after, request_id, ip, tenant_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        entry.actorUserId ?? null,
        entry.membershipId ?? null,
        entry.actorRole ?? null,
        entry.entity,
        entry.entityId ?? null,
        entry.action,
        entry.before ? JSON.stringify(entry.before) : null,
        entry.after ? JSON.stringify(entry.after) : null,
        entry.requestId ?? null,
        entry.ip ?? null,
        tenantId,
      ],
    );
  }

  /** Newest first, keyset on (occurred_at, id). */
  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const qb = this.tx
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .orderBy('a.occurredAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.tenantId) qb.andWhere('a.tenantId = :tenantId', { tenantId: filter.tenantId });
    if (filter.entity) qb.andWhere('a.entity = :entity', { entity: filter.entity });
    if (filter.entityId) qb.andWhere('a.entityId = :entityId', { entityId: filter.entityId });
    if (filter.action) qb.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorUserId) qb.andWhere('a.actorUserId = :actor', { actor: filter.actorUserId });
    if (filter.from) qb.andWhere('a.occurredAt >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.occurredAt < :to', { to: filter.to });
    const after = decodeCursor(filter.cursor, 2);
    if (after) {
      // A forged cursor must not reach the database as a cast error: it is a bad cursor.
      if (!isIsoTime(after[0]) || !isUuid(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      qb.andWhere('(a.occurredAt, a.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    }
    return qb.getMany();
  }
}
