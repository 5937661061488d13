import { Injectable } from '@nestjs/common';
import { TransactionHost, Transactional } from '@nestjs-cls/transactional';
import { Page, toPage } from '../../src/http/pagination';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditEntryView, AuditQueryDto } from './dto/audit-query.dto';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditRepository } from './audit.repository';

export interface AuditRecord {
  entity: string;
  entityId?: string | null;
  action: string;
  before?: object | null;
  after?: object | null;
}

/**
 * Writes the audit entry of a mutation in the caller's transaction (ARCHITECTURE §5):
 * if the change rolls back, so does its entry. Snapshots must hold no secrets or
 * unmasked personal data.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly context: TenantContext,
    private readonly txHost: TransactionHost<any>,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(`audit ${record.entity}.${record.action} outside a transaction`);
    }
    const actor = this.context.actor;
    await this.repository.insert(
      {
        actorUserId: actor?.userId ?? null,
        membershipId: actor?.membershipId ?? null,
        actorRole: actor?.role ?? null,
        entity: record.entity,
        entityId: record.entityId ?? null,
        action: record.action,
        before: (record.before as Record<string, unknown>) ?? null,
        after: (record.after as Record<string, unknown>) ?? null,
        requestId: this.context.requestId ?? null,
        ip: this.context.ip ?? null,
      },
      this.context.tenantId ?? null,
    );
  }

  /**
   * A security event of a caller who is not signed in (failed login, lockout; issue 9 item
   * 8): one row for each college concerned (so its admins read it in GET /audit) and one
   * for the province (tenant NULL). Each row in its own short transaction, pinned to its
   * college as row-level security requires. Never the password.
   */
  async recordSecurityEvent(record: AuditRecord & { userId?: string | null }, tenantIds: string[]): Promise<void> {
    const requestId = this.context.requestId ?? null;
    const ip = this.context.ip ?? null;
    for (const tenantId of [null, ...new Set(tenantIds)]) {
      const write = () =>
        this.txHost.withTransaction(() =>
          this.repository.insert(
            { actorUserId: record.userId ?? null, entity: record.entity, entityId: record.entityId ?? null, action: record.action, after: (record.after as Record<string, unknown>) ?? null, requestId, ip },
            tenantId,
          ),
        );
      await (tenantId ? this.context.runAsTenant(tenantId, write) : this.context.runAsProvinceSystem(write));
    }
  }

  /** College admins read their own college whatever ?tenantId= says; the province reads all. */
  @Transactional()
  async list(actor: Actor, query: AuditQueryDto): Promise<Page<AuditEntryView>> {
    const tenantId = actor.scope === 'province' ? query.tenantId : actor.tenantId;
    const rows = await this.repository.list({ ...query, tenantId });
    return toPage(
      rows,
      query.limit,
      (r) => [r.occurredAt.toISOString(), r.id],
      (r) => ({ ...r, occurredAt: r.occurredAt.toISOString() }),
    );
  }
}
