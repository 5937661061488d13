import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TenantPinningTypeOrmAdapter } from '../../src/tenancy/tenant-pinning.adapter';

export interface NewNotificationRow {
  tenantId: string | null;
  recipientUserId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  dedupeKey: string;
}

/** unique_violation: this (recipient, dedupe key) is already there */
const DUPLICATE = '23505';
const isDuplicate = (e: unknown) => ((e as { driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code) === DUPLICATE;

const INSERT_SQL = `INSERT INTO notifications (id, tenant_id, recipient_user_id, kind, title, body, link, dedupe_key)
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[])`;

/**
 * SQL of the inbox. Rows are written by whoever notifies (another user's request, a job),
 * and RLS lets a writer create a row it may not read back: so no RETURNING, and no
 * `ON CONFLICT DO NOTHING` either — PostgreSQL checks an upsert's new row against the
 * SELECT policies too, which would refuse every row for someone else's inbox. Duplicates
 * are caught as unique violations instead, inside savepoints (the caller's transaction
 * survives them).
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>) {}

  /**
   * Inserts one row per recipient; a (recipient, dedupe key) already there is skipped. One
   * statement when nothing is a duplicate (the usual case); one savepoint per row otherwise.
   * Returns the ids of the rows that went in.
   */
  async insertMany(rows: NewNotificationRow[]): Promise<string[]> {
    const runner = this.txHost.tx.queryRunner;
    if (!runner) throw new Error('notify must run inside a transaction');
    const ids = rows.map(() => randomUUID());
    const params = (at: number[]) => [
      at.map((i) => ids[i]),
      at.map((i) => rows[i].tenantId),
      at.map((i) => rows[i].recipientUserId),
      at.map((i) => rows[i].kind),
      at.map((i) => rows[i].title),
      at.map((i) => rows[i].body),
      at.map((i) => rows[i].link),
      at.map((i) => rows[i].dedupeKey),
    ];
    const all = rows.map((_, i) => i);
    if (await this.tryInsert(runner, 'notify_batch', params(all))) return ids;
    const inserted: string[] = [];
    for (const i of all) if (await this.tryInsert(runner, 'notify_row', params([i]))) inserted.push(ids[i]);
    return inserted;
  }

  private async tryInsert(runner: NonNullable<EntityManager['queryRunner']>, savepoint: string, params: unknown[]): Promise<boolean> {
    await runner.query(`SAVEPOINT ${savepoint}`);
    try {
      await runner.query(INSERT_SQL, params);
      await runner.query(`RELEASE SAVEPOINT ${savepoint}`);
      return true;
    } catch (error) {
      await runner.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  // --- the inbox, read by its owner (RLS: recipient = app.user_id; the WHERE says it again) ---

  async inbox(userId: string, limit: number, unreadOnly: boolean, after?: [string, string]): Promise<InboxRow[]> {
    const params: unknown[] = [userId, limit + 1];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = `AND (n.created_at, n.id) < ($3::timestamptz, $4::uuid)`;
    }
    return this.txHost.tx.query(
      `SELECT ${INBOX_COLUMNS} FROM notifications n
       WHERE n.recipient_user_id = $1 ${unreadOnly ? 'AND n.read_at IS NULL' : ''} ${keyset} AND ${IN_APP_WANTED}
       ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
      params,
    );
  }

  async unreadCount(userId: string): Promise<number> {
    const rows: { count: number }[] = await this.txHost.tx.query(
      `SELECT count(*)::int AS count FROM notifications n WHERE n.recipient_user_id = $1 AND n.read_at IS NULL AND ${IN_APP_WANTED}`,
      [userId],
    );
    return rows[0].count;
  }

  /** true when the row exists for this owner (read already or now). */
  async markRead(userId: string, id: string): Promise<boolean> {
    const [rows]: [{ id: string }[], number] = await this.txHost.tx.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, clock_timestamp()) WHERE id = $1 AND recipient_user_id = $2 RETURNING id`,
      [id, userId],
    );
    return rows.length === 1;
  }

  async markAllRead(userId: string): Promise<number> {
    const [, count]: [unknown[], number] = await this.txHost.tx.query(
      `UPDATE notifications SET read_at = clock_timestamp() WHERE recipient_user_id = $1 AND read_at IS NULL`,
      [userId],
    );
    return count;
  }

  // --- preferences ---

  async preferencesOf(userId: string): Promise<PreferenceRow[]> {
    return this.txHost.tx.query(
      `SELECT kind, in_app AS "inApp", email, sms FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
  }

  async savePreference(userId: string, p: PreferenceRow): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO notification_preferences (user_id, kind, in_app, email, sms) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, kind) DO UPDATE SET in_app = EXCLUDED.in_app, email = EXCLUDED.email, sms = EXCLUDED.sms, updated_at = now()`,
      [userId, p.kind, p.inApp, p.email, p.sms],
    );
  }
}

export interface InboxRow {
  id: string;
  tenantId: string | null;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
}

export interface PreferenceRow {
  kind: string;
  inApp: boolean;
  email: 'off' | 'immediate' | 'digest';
  sms: boolean;
}

const INBOX_COLUMNS = `n.id, n.tenant_id AS "tenantId", n.kind, n.title, n.body, n.link, n.read_at AS "readAt", n.created_at AS "createdAt"`;
/** A kind the user turned off in the inbox is not shown there (its e-mail may still go out). */
const IN_APP_WANTED = `NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = n.recipient_user_id AND p.kind = n.kind AND NOT p.in_app)`;
