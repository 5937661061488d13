import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { AuditEntry } from './audit-entry.entity';

/** A row of GET /audit as read: the entity's columns, no hydration. */
export type AuditRow = Pick<AuditEntry, keyof AuditEntry>;

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

  /**
   * Newest first, keyset on (occurred_at, id). Plain SQL read straight into row objects
   * (keys in the entity's order, jsonb and timestamptz parsed by pg): GET /audit is a hot
   * list, and building a query builder and hydrating entities only to spread them into
   * views cost more than the query (issue 14).
   */
  async list(filter: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.tenantId) where.push(`a.tenant_id = ${bind(filter.tenantId)}`);
    if (filter.entity) where.push(`a.entity = ${bind(filter.entity)}`);
    if (filter.entityId) where.push(`a.entity_id = ${bind(filter.entityId)}`);
    if (filter.action) where.push(`a.action = ${bind(filter.action)}`);
    if (filter.actorUserId) where.push(`a.actor_user_id = ${bind(filter.actorUserId)}`);
    if (filter.from) where.push(`a.occurred_at >= ${bind(filter.from)}`);
    if (filter.to) where.push(`a.occurred_at < ${bind(filter.to)}`);
    const after = decodeCursor(filter.cursor, 2);
    if (after) {
      // A forged cursor must not reach the database as a cast error: it is a bad cursor.
      if (!isIsoTime(after[0]) || !isUuid(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      where.push(`(a.occurred_at, a.id) < (${bind(after[0])}::timestamptz, ${bind(after[1])}::uuid)`);
    }
    return this.tx.query(
      `SELECT a.id, a.tenant_id AS "tenantId", a.occurred_at AS "occurredAt", a.actor_user_id AS "actorUserId",
              a.membership_id AS "membershipId", a.actor_role AS "actorRole", a.entity, a.entity_id AS "entityId",
              a.action, a.before, a.after, a.request_id AS "requestId", a.ip
         FROM "audit_log" a${where.length ? `\n        WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.occurred_at DESC, a.id DESC
        LIMIT ${bind(filter.limit + 1)}`,
      params,
    );
  }
}
