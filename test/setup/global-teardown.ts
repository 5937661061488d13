import { dropDatabase } from '../../src/database/roles';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  const database = process.env.TEST_DATABASE_NAME;
  if (adminUrl && database && !process.env.TEST_KEEP_DATABASE) await dropDatabase(adminUrl, database);
  const embedded = (globalThis as any).__EMBEDDED_PG__;
  if (embedded) await embedded.stop();
}
