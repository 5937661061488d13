import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { loadEnvFile } from '../../config/app-config';

/** Runs pending migrations as the owner role. Returns the names it applied. */
export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions({ url: ownerUrl, poolSize: 2, applicationName: 'jishi-migrate' }));
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  loadEnvFile(); // config/.env when present; the environment wins
  const url = process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_MIGRATION_URL (or DATABASE_URL) is required');
    process.exit(2);
  }
  runMigrations(url)
    .then((names) => {
      console.log(names.length ? `applied: ${names.join(', ')}` : 'schema is up to date');
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
