import { Injectable } from '@nestjs/common';
import { TransactionHost, Transactional } from '@nestjs-cls/transactional';
import { OutboxService } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { TenantPinningTypeOrmAdapter } from '../../src/tenancy/tenant-pinning.adapter';
import { NotificationKind } from './domain/kinds';
import { NotificationsRepository } from './notifications.repository';

export interface NotifyInput {
  /** the college the notification belongs to; null = province-level */
  tenantId: string | null;
  recipientUserIds: string[];
  kind: NotificationKind;
  /** Chinese text */
  title: string;
  body: string;
  /** API path of the subject, e.g. /api/v1/students/<id> */
  link?: string;
  /** same (recipient, dedupeKey) twice = one notification, ever */
  dedupeKey: string;
}

/** The delivery job's id: one per notification, so a repeated enqueue is one job. */
export function deliverJobId(notificationId: string): string {
  return `notifications.deliver_${notificationId}`;
}

/**
 * The one way to notify someone. Joins the caller's transaction (or opens one): the inbox
 * rows and their delivery jobs (transactional outbox) commit with the caller's change or
 * not at all. Works from a request (college or province) and from a job (tenant or
 * province-system context). A college context may only notify about its own college.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly outbox: OutboxService,
    private readonly context: TenantContext,
    private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>,
  ) {}

  /**
   * Inbox rows are written as the college they belong to (RLS). A province-system job with
   * no transaction of its own that notifies about a college gets a transaction pinned to
   * that college; inside a caller's transaction the caller must already act for it.
   */
  async notify(input: NotifyInput): Promise<{ created: number }> {
    const actsForProvinceSystem = !this.context.actor && !this.context.tenantId;
    if (input.tenantId && actsForProvinceSystem && !this.txHost.isTransactionActive()) {
      return this.context.runAsTenant(input.tenantId, () => this.insertAndEnqueue(input));
    }
    if ((input.tenantId ?? undefined) !== this.context.tenantId) {
      throw new Error(
        `notify: a notification of ${input.tenantId ? `college ${input.tenantId}` : 'the province'} cannot be written while acting for ${this.context.tenantId ? `college ${this.context.tenantId}` : 'the province'}; run it as that college (TenantContext.runAsTenant)`,
      );
    }
    return this.insertAndEnqueue(input);
  }

  @Transactional()
  private async insertAndEnqueue(input: NotifyInput): Promise<{ created: number }> {
    const recipients = [...new Set(input.recipientUserIds)];
    if (!recipients.length) return { created: 0 };
    const inserted = await this.repository.insertMany(
      recipients.map((recipientUserId) => ({
        tenantId: input.tenantId,
        recipientUserId,
        kind: input.kind,
        title: input.title.slice(0, 200),
        body: input.body.slice(0, 2000),
        link: input.link ?? null,
        dedupeKey: input.dedupeKey.slice(0, 200),
      })),
    );
    await this.outbox.enqueueMany(
      'notifications',
      'notifications.deliver',
      inserted.map((notificationId) => ({ payload: { tenantId: input.tenantId, notificationId }, jobId: deliverJobId(notificationId) })),
    );
    return { created: inserted.length };
  }
}
