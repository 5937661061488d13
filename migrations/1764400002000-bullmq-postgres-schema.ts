import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { upgradeBullmqSchema } from '../src/queue/bullmq-schema';

/**
 * BullMQ's PostgreSQL backend (the embedded default, no Redis) keeps its queues in the
 * `bullmq` schema. The runtime role may not create schemas, so the owner creates it here
 * and grants the runtime role what the backend needs (docs/adr/0005). Harmless when
 * Redis is used: the schema then stays empty.
 */
export class BullmqPostgresSchema1764400002000 implements MigrationInterface {
  name = 'BullmqPostgresSchema1764400002000';
  /** BullMQ's migrator opens its own transaction under an advisory lock. */
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await upgradeBullmqSchema(q, APP_ROLE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP SCHEMA IF EXISTS bullmq CASCADE');
  }
}
