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
