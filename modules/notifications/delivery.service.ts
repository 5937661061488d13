import { Inject, Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../config/app-config';
import { JobPayload, OutboxService, QueueRegistry, QUEUES } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { currentClock } from '../../src/time/clock';
import { Mailer } from './channels/mailer';
import { SMS_SENDER, SmsSender } from './channels/sms-sender';
import { NotificationKind, USER_REQUESTED_KINDS } from './domain/kinds';
import { quietHoursWaitMs } from './domain/quiet-hours';
import { DeliverableRow, DeliveryRepository, DigestRow, DirectMessageRow } from './delivery.repository';
import { deliverJobId } from './notifications.service';

export type DeliveryOutcome = { email: string; sms: string } | { missing: true } | { heldUntil: string };

export interface DirectMessageInput {
  /** the college the message is sent for (the caller's); null for province or anonymous callers */
  tenantId: string | null;
  purpose: DirectMessageRow['purpose'];
  channel: DirectMessageRow['channel'];
  address: string;
  subject: string;
  body: string;
}

/** The job id of a held delivery: one per message and release time, so a retry holds it once. */
export function heldJobId(base: string, releaseAt: Date): string {
  return `${base}_held_${releaseAt.getTime()}`;
}

/**
 * Sends what the inbox and the direct messages hold, by channel. Each channel's outcome is
 * recorded in its own transaction right after it went out, so a retried job (the e-mail
 * server was down, say) never sends a channel that already went. An SMTP failure throws:
 * the job retries with exponential backoff (DEFAULT_JOB_OPTIONS).
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger('NotificationDelivery');

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly mailer: Mailer,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    private readonly queues: QueueRegistry,
    private readonly outbox: OutboxService,
    private readonly context: TenantContext,
    private readonly config: AppConfig,
  ) {}

  @Transactional()
  private load(notificationId: string) {
    return Promise.all([this.repository.deliverable(notificationId), this.repository.deliveredChannels(notificationId)]);
  }

  @Transactional()
  private preference(userId: string, kind: string) {
    return this.repository.preference(userId, kind);
  }

  @Transactional()
  private record(n: DeliverableRow, channel: 'email' | 'sms', status: 'sent' | 'digest' | 'skipped') {
    return this.repository.record(n, channel, status);
  }

  /** The `notifications.deliver` job. */
  async deliver(notificationId: string): Promise<DeliveryOutcome> {
    const [n, done] = await this.load(notificationId);
    if (!n) return { missing: true }; // not visible to this job's college (a payload naming the wrong one): nothing to send
    const pref = await this.preference(n.recipientUserId, n.kind);
    const outcome = { email: done.has('email') ? 'done-before' : '', sms: done.has('sms') ? 'done-before' : '' };

    if (!done.has('sms')) {
      if (pref?.sms && n.phone && n.userActive) {
        await this.sms.send(n.phone, `【技师学院试点平台】${n.title}：${n.body}`.slice(0, 300));
        await this.record(n, 'sms', 'sent');
        outcome.sms = 'sent';
      } else {
        await this.record(n, 'sms', 'skipped');
        outcome.sms = 'skipped';
      }
    }

    if (!done.has('email')) {
      const mode = pref?.email ?? 'immediate';
      if (mode === 'off' || !n.email || !n.userActive || !this.mailer.enabled) {
        await this.record(n, 'email', 'skipped');
        outcome.email = 'skipped';
      } else if (mode === 'digest') {
        await this.record(n, 'email', 'digest');
        outcome.email = 'digest';
      } else {
        const held = await this.holdForQuietHours(n.kind as NotificationKind, deliverJobId(n.id), 'notifications.deliver', { tenantId: n.tenantId, notificationId: n.id });
        if (held) return { heldUntil: held };
        await this.mailer.send({ to: n.email, subject: n.title, text: this.notificationMail(n) });
        await this.record(n, 'email', 'sent');
        outcome.email = 'sent';
      }
    }
    return outcome;
  }

  /**
   * 22:00–07:00 China time no e-mail goes out, except what the user asked for themselves
   * (password reset): the job is added again, delayed to 07:00 (deterministic id), and this
   * run ends. Returns the release time when held.
   */
  private async holdForQuietHours<N extends 'notifications.deliver' | 'notifications.send-direct'>(
    kind: NotificationKind,
    baseJobId: string,
    name: N,
    payload: JobPayload<N>,
  ): Promise<string | undefined> {
    if (USER_REQUESTED_KINDS.includes(kind)) return undefined;
    const now = currentClock().now();
    const wait = quietHoursWaitMs(now);
    // a held job released a moment early (clocks of worker and queue differ) goes now, not held again under its own id
    if (wait <= 60_000) return undefined;
    const releaseAt = new Date(now.getTime() + wait);
    await this.queues.get(QUEUES.notifications).add(name, payload as never, { jobId: heldJobId(baseJobId, releaseAt), delay: wait });
    return releaseAt.toISOString();
  }

  

  private notificationMail(n: DeliverableRow): string {
    const lines = [`${n.displayName}，您好：`, '', n.body];
    if (n.link) lines.push('', `详情：${this.config.APP_PUBLIC_URL}${n.link}`);
    lines.push('', '—— 技师学院试点管理平台（本邮件由系统发送，请勿直接回复；可在“通知设置”中调整接收方式）');
    return lines.join('\n');
  }

  // --- direct messages (invitation, password reset) ---

  /** Writes the message and its delivery job in the caller's transaction. */
  @Transactional()
  async sendDirect(input: DirectMessageInput): Promise<string> {
    const id = await this.repository.insertDirect(input);
    await this.outbox.enqueue('notifications', 'notifications.send-direct', { tenantId: input.tenantId, messageId: id }, { jobId: directJobId(id) });
    return id;
  }

  @Transactional()
  private loadDirect(id: string) {
    return this.repository.direct(id);
  }

  @Transactional()
  private markDirectSent(id: string) {
    return this.repository.markDirectSent(id);
  }

  /** The `notifications.send-direct` job. */
  async deliverDirect(messageId: string): Promise<{ sent: boolean; heldUntil?: string }> {
    const m = await this.loadDirect(messageId);
    if (!m || m.sentAt) return { sent: false };
    if (m.channel === 'sms') {
      await this.sms.send(m.address, m.body);
    } else {
      if (!this.mailer.enabled) {
        this.logger.warn(`direct message ${m.id} (${m.purpose}) not sent: e-mail is not configured (SMTP_HOST)`);
        return { sent: false };
      }
      const kind = m.purpose === 'password-reset' ? 'password-reset' : 'invitation';
      const held = await this.holdForQuietHours(kind, directJobId(m.id), 'notifications.send-direct', { tenantId: m.tenantId, messageId: m.id });
      if (held) return { sent: false, heldUntil: held };
      await this.mailer.send({ to: m.address, subject: m.subject, text: m.body });
    }
    await this.markDirectSent(m.id);
    return { sent: true };
  }

  // --- daily digest ---

  @Transactional()
  private pendingDigest(limit: number) {
    return this.repository.pendingDigest(limit);
  }

  @Transactional()
  private markDigest(ids: string[], status: 'sent' | 'skipped') {
    return this.repository.markDigestSent(ids, status);
  }

  /**
   * The `notifications.digest` job (province-system): one e-mail per user with every
   * notification they chose to receive as a digest. Rows are marked per college, as that
   * college (RLS: province scope writes province-level rows only).
   */
  async sendDigests(): Promise<{ users: number; notifications: number }> {
    const rows = await this.pendingDigest(5000);
    const byUser = new Map<string, DigestRow[]>();
    for (const r of rows) byUser.set(r.recipientUserId, [...(byUser.get(r.recipientUserId) ?? []), r]);
    let users = 0;
    for (const items of byUser.values()) {
      const first = items[0];
      const status = first.email && this.mailer.enabled ? 'sent' : 'skipped';
      if (status === 'sent') {
        const text = [
          `${first.displayName}，您好：`,
          '',
          `以下是您昨日以来的 ${items.length} 条通知：`,
          '',
          ...items.map((r, i) => `${i + 1}. ${r.title}\n   ${r.body}`),
          '',
          '—— 技师学院试点管理平台（每日汇总；可在“通知设置”中调整接收方式）',
        ].join('\n');
        await this.mailer.send({ to: first.email!, subject: `【每日通知汇总】共 ${items.length} 条`, text });
        users += 1;
      }
      const byTenant = new Map<string | null, string[]>();
      for (const r of items) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.notificationId]);
      for (const [tenantId, ids] of byTenant) {
        if (tenantId) await this.context.runAsTenant(tenantId, () => this.markDigest(ids, status));
        else await this.markDigest(ids, status);
      }
    }
    return { users, notifications: rows.length };
  }
}

export function directJobId(messageId: string): string {
  return `notifications.send-direct_${messageId}`;
}
