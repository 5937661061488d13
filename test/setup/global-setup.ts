import { randomBytes } from 'node:crypto';
import { bootstrapDatabase } from '../../src/database/roles';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { chinaDateOf } from '../../src/time/clock';
import { testSecrets } from './test-env';

/**
 * One fresh database per `npm test` run, created here and dropped in global-teardown.
 * DATABASE_URL, when set, names a server and a superuser to create it with; unset, a
 * throwaway embedded PostgreSQL is started so a machine with only Node passes too.
 * Tests connect as app_user (no BYPASSRLS), exactly as the product does.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    const handle = await startEmbeddedPostgres({
      dataDir: `.data/test-pg-${process.pid}`,
      persistent: false,
    });
    (globalThis as any).__EMBEDDED_PG__ = handle;
    adminUrl = handle.adminUrl;
  }
  const database = `jishi_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const targets = await bootstrapDatabase(adminUrl, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
  await runMigrations(targets.ownerUrl);

  Object.assign(process.env, testSecrets(), {
    NODE_ENV: 'test',
    TEST_DATABASE_ADMIN_URL: adminUrl,
    TEST_DATABASE_NAME: database,
    DATABASE_URL: targets.appUrl,
    DATABASE_MIGRATION_URL: targets.ownerUrl,
    QUEUE_PREFIX: `jt${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_POOL_SIZE: '5',
    // Every e2e login comes from 127.0.0.1; the per-IP limit has its own test with a low value.
    LOGIN_IP_LIMIT_PER_MINUTE: '100000',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  // TEST_CLOCK_CHINA_TIME=01:00 runs the whole suite with the clock frozen at that China time of
  // today's China date (01:00 China = 17:00 UTC the day before): every "today" must be the China date.
  const at = process.env.TEST_CLOCK_CHINA_TIME;
  if (at) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) throw new Error('TEST_CLOCK_CHINA_TIME must look like 01:00');
    process.env.CLOCK_FIXED_NOW = `${chinaDateOf(new Date())}T${at}:00+08:00`;
    delete process.env.CLOCK_OFFSET_MS;
  }
}
