import { Client } from 'pg';

/** Role names are fixed: migrations GRANT to them by name. */
export const OWNER_ROLE = 'app_owner';
export const APP_ROLE = 'app_user';

export interface DatabaseTargets {
  /** the runtime connection (app_user) */
  appUrl: string;
  /** the migration connection (app_owner) */
  ownerUrl: string;
}

function withCredentials(adminUrl: string, user: string, password: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Creates (if missing) the owner and runtime roles and the database, connected as a
 * superuser. Used by the demo, the test harness and the compose `migrate` service; in a
 * managed database an operator does the same once by hand (docs/operations.md).
 */
export async function bootstrapDatabase(
  adminUrl: string,
  database: string,
  passwords: { owner: string; app: string },
): Promise<DatabaseTargets> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const [role, password, extra] of [
      [OWNER_ROLE, passwords.owner, ''],
      [APP_ROLE, passwords.app, ''],
    ] as const) {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) {
        try {
          await admin.query(
            `CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${quoteLiteral(password)} ${extra}`,
          );
        } catch (error) {
          // another process created it between our check and create
          if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42710') throw error;
        }
      }
    }
    // A runaway query must not hold a connection forever (QUALITY §1).
    await admin.query(`ALTER ROLE ${quoteIdent(APP_ROLE)} SET statement_timeout = '15s'`);
    await admin.query(`ALTER ROLE ${quoteIdent(APP_ROLE)} SET idle_in_transaction_session_timeout = '60s'`);
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (db.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(OWNER_ROLE)} ENCODING 'UTF8' TEMPLATE template0`);
    }
    await admin.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(APP_ROLE)}`);
  } finally {
    await admin.end();
  }
  const inDb = new Client({ connectionString: withDatabase(adminUrl, database) });
  await inDb.connect();
  try {
    // PostgreSQL 15+: public belongs to the database owner; nobody else may create in it.
    await inDb.query(`ALTER SCHEMA public OWNER TO ${quoteIdent(OWNER_ROLE)}`);
    await inDb.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await inDb.query(`GRANT USAGE ON SCHEMA public TO ${quoteIdent(APP_ROLE)}`);
  } finally {
    await inDb.end();
  }
  return {
    appUrl: withCredentials(adminUrl, APP_ROLE, passwords.app, database),
    ownerUrl: withCredentials(adminUrl, OWNER_ROLE, passwords.owner, database),
  };
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
