import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys (ARCHITECTURE §5): a retried create with the same Idempotency-Key gets
 * the first answer back instead of a second record. Keyed by membership, so one caller's
 * keys never meet another's; no tenant column (the key belongs to the caller, not a college).
 */
export class IdempotencyKeys1764400004000 implements MigrationInterface {
  name = 'IdempotencyKeys1764400004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency_keys (
      id bigserial PRIMARY KEY,
      membership_id uuid NOT NULL,
      key varchar(200) NOT NULL,
      request_hash bytea NOT NULL,
      status_code integer,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`);
    await q.query('CREATE UNIQUE INDEX idempotency_keys_key ON idempotency_keys (membership_id, key)');
    await q.query('CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)');
    await q.query('GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO app_user');
    await q.query('GRANT USAGE ON SEQUENCE idempotency_keys_id_seq TO app_user');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS idempotency_keys');
  }
}
