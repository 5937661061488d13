import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TenantPinningTypeOrmAdapter } from '../../src/tenancy/tenant-pinning.adapter';
import type { PreferenceRow } from './notifications.repository';

export type Channel = 'email' | 'sms';

export interface DeliverableRow {
  id: string;
  tenantId: string | null;
  recipientUserId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  email: string | null;
  phone: string | null;
  displayName: string;
  userActive: boolean;
}

export interface DirectMessageRow {
  id: string;
  tenantId: string | null;
  purpose: 'invitation' | 'password-reset';
  channel: Channel;
  address: string;
  subject: string;
  body: string;
  sentAt: Date | null;
}

export interface DigestRow {
  notificationId: string;
  tenantId: string | null;
  recipientUserId: string;
  email: string | null;
  displayName: string;
  title: string;
  body: string;
  createdAt: Date;
}

/** SQL of the delivery side (jobs: no user pinned, RLS shows the rows of the college the job runs for). */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>) {}

  private get tx() {
    return this.txHost.tx;
  }

  /** The notification with its recipient's contact points (users is the control plane). */
  async deliverable(notificationId: string): Promise<DeliverableRow | undefined> {
    const rows: DeliverableRow[] = await this.tx.query(
      `SELECT n.id, n.tenant_id AS "tenantId", n.recipient_user_id AS "recipientUserId", n.kind, n.title, n.body, n.link,
              u.email, u.phone, u.display_name AS "displayName", u.status = 'active' AS "userActive"
       FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.id = $1`,
      [notificationId],
    );
    return rows[0];
  }

  async preference(userId: string, kind: string): Promise<PreferenceRow | undefined> {
    const rows: PreferenceRow[] = await this.tx.query(
      `SELECT kind, in_app AS "inApp", email, sms FROM notification_preferences WHERE user_id = $1 AND kind = $2`,
      [userId, kind],
    );
    return rows[0];
  }

  async deliveredChannels(notificationId: string): Promise<Set<Channel>> {
    const rows: { channel: Channel }[] = await this.tx.query(`SELECT channel FROM notification_deliveries WHERE notification_id = $1`, [notificationId]);
    return new Set(rows.map((r) => r.channel));
  }

  /** Records a channel's outcome once; a second record of the same channel is ignored. */
  async record(n: Pick<DeliverableRow, 'id' | 'tenantId' | 'recipientUserId'>, channel: Channel, status: 'sent' | 'digest' | 'skipped'): Promise<void> {
    await this.tx.query(
      `INSERT INTO notification_deliveries (notification_id, channel, tenant_id, recipient_user_id, status, sent_at)
       VALUES ($1, $2, $3, $4, $5::varchar, CASE WHEN $5::varchar = 'sent' THEN clock_timestamp() END)
       ON CONFLICT (notification_id, channel) DO NOTHING`,
      [n.id, channel, n.tenantId, n.recipientUserId, status],
    );
  }

  // --- daily digest (province-system job reads every college's rows) ---

  async pendingDigest(limit: number): Promise<DigestRow[]> {
    return this.tx.query(
      `SELECT d.notification_id AS "notificationId", d.tenant_id AS "tenantId", d.recipient_user_id AS "recipientUserId",
              u.email, u.display_name AS "displayName", n.title, n.body, n.created_at AS "createdAt"
       FROM notification_deliveries d
       JOIN notifications n ON n.id = d.notification_id
       JOIN users u ON u.id = d.recipient_user_id
       WHERE d.status = 'digest' AND d.channel = 'email'
       ORDER BY d.recipient_user_id, n.created_at, n.id
       LIMIT $1`,
      [limit],
    );
  }

  /** Runs as the college the rows belong to (province scope writes province-level rows only). */
  async markDigestSent(notificationIds: string[], status: 'sent' | 'skipped' = 'sent'): Promise<void> {
    await this.tx.query(
      `UPDATE notification_deliveries SET status = $2::varchar, sent_at = CASE WHEN $2::varchar = 'sent' THEN clock_timestamp() END
       WHERE notification_id = ANY($1::uuid[]) AND channel = 'email' AND status = 'digest'`,
      [notificationIds, status],
    );
  }

  // --- direct messages ---

  async insertDirect(m: Omit<DirectMessageRow, 'id' | 'sentAt'>): Promise<string> {
    // no RETURNING: the writer (an inviter's request) may not read the row back (RLS)
    const id = randomUUID();
    await this.tx.query(
      `INSERT INTO direct_messages (id, tenant_id, purpose, channel, address, subject, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, m.tenantId, m.purpose, m.channel, m.address, m.subject, m.body],
    );
    return id;
  }

  async direct(id: string): Promise<DirectMessageRow | undefined> {
    const rows: DirectMessageRow[] = await this.tx.query(
      `SELECT id, tenant_id AS "tenantId", purpose, channel, address, subject, body, sent_at AS "sentAt" FROM direct_messages WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Sent: the one-time secret in the body is erased. */
  async markDirectSent(id: string): Promise<void> {
    await this.tx.query(`UPDATE direct_messages SET sent_at = clock_timestamp(), body = '' WHERE id = $1 AND sent_at IS NULL`, [id]);
  }

  // --- who is told ---

  async activeCollegeAdmins(tenantId: string): Promise<string[]> {
    const rows: { userId: string }[] = await this.tx.query(
      `SELECT DISTINCT m.user_id AS "userId" FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.tenant_id = $1 AND m.role = 'college-admin' AND m.status = 'active' AND u.status = 'active'`,
      [tenantId],
    );
    return rows.map((r) => r.userId);
  }
}
