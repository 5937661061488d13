import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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

/**
 * SQL of the inbox. Rows are written by whoever notifies (a request of another user, a job),
 * so inserts return nothing: RLS lets a writer create a row it may not read back.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>) {}

  /** Inserts with fresh ids; (recipient, dedupe key) already there → skipped. Returns the ids tried and how many went in. */
  async insertMany(rows: NewNotificationRow[]): Promise<{ ids: string[]; created: number }> {
    const ids = rows.map(() => randomUUID());
    const runner = this.txHost.tx.queryRunner;
    if (!runner) throw new Error('notify must run inside a transaction');
    const result = await runner.query(
      `INSERT INTO notifications (id, tenant_id, recipient_user_id, kind, title, body, link, dedupe_key)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[])
       ON CONFLICT (recipient_user_id, dedupe_key) DO NOTHING`,
      [
        ids,
        rows.map((r) => r.tenantId),
        rows.map((r) => r.recipientUserId),
        rows.map((r) => r.kind),
        rows.map((r) => r.title),
        rows.map((r) => r.body),
        rows.map((r) => r.link),
        rows.map((r) => r.dedupeKey),
      ],
      true,
    );
    return { ids, created: result.affected ?? 0 };
  }
}
