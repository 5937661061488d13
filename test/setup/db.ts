import { Client, Pool } from 'pg';
import { currentClock } from '../../src/time/clock';

/** A pool connected as the runtime role (app_user): RLS applies, as in production. */
export function appPool(max = 4): Pool {
  return new Pool({ connectionString: process.env.DATABASE_URL, max });
}

/** The owner connection, for fixtures the app cannot write itself (never for assertions about RLS). */
export async function ownerClient(): Promise<Client> {
  const c = new Client({ connectionString: process.env.DATABASE_MIGRATION_URL });
  await c.connect();
  return c;
}

/** Runs `fn` in a transaction pinned to a tenant / scope as the runtime role. */
export async function asTenant<T>(
  pool: Pool,
  settings: { tenantId?: string; scope?: string; enterpriseId?: string },
  fn: (c: import('pg').PoolClient) => Promise<T>,
): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(
      "SELECT set_config('app.tenant_id', $1, true), set_config('app.scope', $2, true), set_config('app.enterprise_id', $3, true), set_config('app.now', $4, true)",
      [settings.tenantId ?? '', settings.scope ?? '', settings.enterpriseId ?? '', currentClock().sqlNow()],
    );
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
}
