import 'reflect-metadata';
import { runMigrations } from './migrate';
import { APP_ROLE, bootstrapDatabase, OWNER_ROLE } from './roles';

/**
 * The compose `migrate` one-shot: with DATABASE_ADMIN_URL (a superuser), create the roles
 * and the database if missing, then run the migrations as the owner. Without it (a managed
 * database whose roles an operator created once, docs/operations.md) it only migrates.
 * Idempotent, so it runs before every deploy.
 *
 * Names and passwords come from the URLs the processes use, so they cannot drift:
 * DATABASE_URL (app_user) and DATABASE_MIGRATION_URL (app_owner), same database.
 */
export async function bootstrapAndMigrate(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const appUrl = required(env, 'DATABASE_URL');
  const ownerUrl = required(env, 'DATABASE_MIGRATION_URL');
  const app = new URL(appUrl);
  const owner = new URL(ownerUrl);
  const database = decodeURIComponent(owner.pathname.slice(1));
  if (decodeURIComponent(app.pathname.slice(1)) !== database) throw new Error('DATABASE_URL and DATABASE_MIGRATION_URL must name the same database');
  // Migrations GRANT to these role names; other names would leave the runtime role without rights.
  if (decodeURIComponent(owner.username) !== OWNER_ROLE) throw new Error(`DATABASE_MIGRATION_URL must connect as ${OWNER_ROLE}`);
  if (decodeURIComponent(app.username) !== APP_ROLE) throw new Error(`DATABASE_URL must connect as ${APP_ROLE}`);

  if (env.DATABASE_ADMIN_URL) {
    await bootstrapDatabase(env.DATABASE_ADMIN_URL, database, {
      owner: decodeURIComponent(owner.password),
      app: decodeURIComponent(app.password),
    });
  }
  return runMigrations(ownerUrl);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

if (require.main === module) {
  bootstrapAndMigrate()
    .then((names) => console.log(names.length ? `applied: ${names.join(', ')}` : 'schema is up to date'))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
