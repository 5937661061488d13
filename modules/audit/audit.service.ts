import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
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
}
