import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StoredAnswer {
  requestHash: Buffer;
  statusCode: number | null;
  response: unknown;
}

/** Outside the request's transaction on purpose: the claim must survive the handler's rollback. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** true when this call claimed the key; false when someone already holds it. */
  async claim(membershipId: string, key: string, requestHash: Buffer): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO idempotency_keys (membership_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (membership_id, key) DO NOTHING RETURNING id`,
      [membershipId, key, requestHash],
    );
    return rows.length === 1;
  }

  async find(membershipId: string, key: string): Promise<StoredAnswer | undefined> {
    const rows = await this.dataSource.query(
      `SELECT request_hash AS "requestHash", status_code AS "statusCode", response
       FROM idempotency_keys WHERE membership_id = $1 AND key = $2 AND created_at > now() - interval '24 hours'`,
      [membershipId, key],
    );
    return rows[0];
  }

  async complete(membershipId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status_code = $3, response = $4, completed_at = now()
       WHERE membership_id = $1 AND key = $2`,
      [membershipId, key, statusCode, JSON.stringify(response ?? null)],
    );
  }

  /** A failed attempt releases the key so the client may retry it. */
  async release(membershipId: string, key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE membership_id = $1 AND key = $2', [membershipId, key]);
  }

  /** Keys older than a day are forgotten: expired ones are removed before a new claim. */
  async forgetExpired(membershipId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE membership_id = $1 AND key = $2 AND created_at <= now() - interval '24 hours'`,
      [membershipId, key],
    );
  }
}
