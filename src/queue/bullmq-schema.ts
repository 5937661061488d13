import { runMigrations as runBullmqMigrations } from 'bullmq';
import type { QueryRunner } from 'typeorm';
import { BULLMQ_PG_SCHEMA } from './queue-backend';

/**
 * Creates or upgrades BullMQ's PostgreSQL schema as the owner and lets the runtime role
 * use it. Called from migrations (first in 1764400002000); when a BullMQ upgrade brings
 * a new schema version, a new migration calls this again (it is idempotent).
 *
 * The runtime role gets USAGE and CREATE on this schema only: the backend creates one
 * job-id sequence per queue at run time. The schema holds no tenant data.
 * The calling migration must set `transaction = false`: BullMQ's migrator runs its own
 * transaction under an advisory lock.
 */
export async function upgradeBullmqSchema(q: QueryRunner, runtimeRole: string): Promise<void> {
  const client = (await q.connect()) as { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> };
  await runBullmqMigrations(client, BULLMQ_PG_SCHEMA);
  const schema = `"${BULLMQ_PG_SCHEMA}"`;
  const role = `"${runtimeRole}"`;
  for (const sql of [
    `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${role}`,
  ]) {
    await q.query(sql);
  }
}
