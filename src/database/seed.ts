import 'reflect-metadata';
import { loadEnvFile } from '../../config/app-config';
import { seedDemo } from './seed/index'; // './seed' would resolve to this file

/**
 * `npm run seed`: loads the demo province into the database named by
 * DATABASE_MIGRATION_URL (owner role; falls back to DATABASE_URL). Idempotent. Refuses
 * when NODE_ENV=production unless `--force`: the demo password is public.
 */
async function main(): Promise<void> {
  loadEnvFile(); // config/.env when present; the environment wins
  const url = process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_MIGRATION_URL (or DATABASE_URL) is required');
    process.exit(2);
  }
  if (process.env.NODE_ENV === 'production' && !process.argv.includes('--force')) {
    console.error('Refusing to load demo data with NODE_ENV=production (every demo login shares a public password). Pass --force to insist.');
    process.exit(2);
  }
  const report = await seedDemo(url, { log: (line) => console.log(line) });
  console.log(report.total ? `seeded: ${JSON.stringify(report.inserted)}` : 'demo data already present; nothing changed');
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
