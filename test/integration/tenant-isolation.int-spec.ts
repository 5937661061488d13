import { Client, Pool } from 'pg';
import { IdentityFactory } from '../factories/identity.factory';
import { byKey, copyForTenant, describeTables, insertRow, quoteIdent, TableInfo } from '../factories/tenant-rows';
import { appPool, asTenant, ownerClient } from '../setup/db';

/**
 * Tenant isolation as the runtime role (QUALITY §1, ARCHITECTURE §3): for EVERY tenant
 * table found in the catalog, a row written by college A is invisible and untouchable for
 * college B and for a transaction with no college, province scope may read but not write
 * it, and the database itself refuses rows carrying another college's id (42501).
 */
// Control-plane tables carry a tenant_id but no tenant RLS by design (ARCHITECTURE §3).
const CONTROL_PLANE_WITH_TENANT_ID = new Set(['memberships', 'invitations']);

type Settings = { tenantId?: string; scope?: string };

/** The SQLSTATE a statement fails with in its own pinned transaction, or 'ok'. */
async function outcome(pool: Pool, settings: Settings, sql: string, params: unknown[] = []): Promise<string> {
  try {
    await asTenant(pool, settings, (c) => c.query(sql, params));
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

async function rowCount(pool: Pool, settings: Settings, sql: string, params: unknown[] = []): Promise<number> {
  return asTenant(pool, settings, async (c) => (await c.query(sql, params)).rowCount ?? 0);
}

describe('tenant isolation as the runtime role', () => {
  let owner: Client;
  let pool: Pool;
  let f: IdentityFactory;
  let A: string;
  let B: string;
  let tables: Map<string, TableInfo>;
  /** the row college A wrote into each tenant table */
  const rows = new Map<string, Record<string, unknown>>();
  /** tables without a working row builder, with the reason */
  const unbuildable = new Map<string, string>();

  const asA = { tenantId: '' } as Settings;
  const asB = { tenantId: '' } as Settings;
  const noTenant: Settings = {};
  const province: Settings = { scope: 'province' };

  beforeAll(async () => {
    owner = await ownerClient();
    pool = appPool(4);
    f = await IdentityFactory.open();
    A = await f.tenant({ name: '隔离测试学院甲' });
    B = await f.tenant({ name: '隔离测试学院乙' });
    asA.tenantId = A;
    asB.tenantId = B;

    const found = await owner.query(
      `SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attname = 'tenant_id' AND NOT a.attisdropped
       ORDER BY 1`,
    );
    const names = found.rows.map((r) => r.relname as string).filter((t) => !CONTROL_PLANE_WITH_TENANT_ID.has(t));
    tables = await describeTables(owner, names);

    for (const name of names) {
      const info = tables.get(name)!;
      if (!info.primaryKey.length) {
        unbuildable.set(name, 'has no primary key to address its rows by');
        continue;
      }
      try {
        const row = await asTenant(pool, asA, (tx) => insertRow({ tenantId: A, tx, owner, tables }, name));
        rows.set(name, row);
      } catch (e) {
        unbuildable.set(name, `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`.trim());
      }
    }
  });

  afterAll(async () => {
    await pool.end();
    await owner.end();
    await f.close();
  });

  /** Runs `check` for every table with a row and returns the failures, one line each. */
  async function eachTable(check: (info: TableInfo, row: Record<string, unknown>) => Promise<string | undefined>): Promise<string[]> {
    const failures: string[] = [];
    for (const [name, row] of rows) {
      const problem = await check(tables.get(name)!, row);
      if (problem) failures.push(`${name}: ${problem}`);
    }
    return failures;
  }

  it('finds the tenant tables in the catalog, audit_log among them', () => {
    expect([...tables.keys()]).toContain('audit_log');
  });

  it('every tenant table has a working row builder (generic, or an entry in ROW_OVERRIDES of test/factories/tenant-rows.ts)', () => {
    const missing = [...unbuildable].map(
      ([t, why]) => `${t}: cannot build a row (${why}); add a builder to ROW_OVERRIDES in test/factories/tenant-rows.ts`,
    );
    expect(missing).toEqual([]);
    expect(rows.size).toBe(tables.size);
  });

  it('college A reads back the row it wrote in every tenant table (the positive control)', async () => {
    const failures = await eachTable(async (info, row) => {
      const k = byKey(info, row);
      const n = await rowCount(pool, asA, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      if (row.tenant_id !== A) return `stored tenant_id ${row.tenant_id}, expected college A`;
      return n === 1 ? undefined : `A sees ${n} rows of its own`;
    });
    expect(failures).toEqual([]);
  });

  it('college B cannot read college A’s row by id in any tenant table', async () => {
    const failures = await eachTable(async (info, row) => {
      const k = byKey(info, row);
      const n = await rowCount(pool, asB, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      const all = await rowCount(pool, asB, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE tenant_id = $1`, [A]);
      return n === 0 && all === 0 ? undefined : `B reads ${n} by id, ${all} by tenant_id`;
    });
    expect(failures).toEqual([]);
  });

  it('college B cannot update college A’s row in any tenant table (0 rows affected, nothing changed)', async () => {
    const failures = await eachTable(async (info, row) => {
      if (!info.canUpdate) return undefined; // append-only: covered below
      const k = byKey(info, row);
      const n = await rowCount(pool, asB, `UPDATE ${quoteIdent(info.name)} SET tenant_id = tenant_id WHERE ${k.where}`, k.params);
      const all = await rowCount(pool, asB, `UPDATE ${quoteIdent(info.name)} SET tenant_id = $1 WHERE tenant_id = $2`, [B, A]);
      const still = await rowCount(pool, asA, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      return n === 0 && all === 0 && still === 1 ? undefined : `B updated ${n} by id, ${all} by tenant_id; A still sees ${still}`;
    });
    expect(failures).toEqual([]);
  });

  it('college B cannot delete college A’s row in any tenant table (0 rows affected, row still there)', async () => {
    const failures = await eachTable(async (info, row) => {
      if (!info.canDelete) return undefined; // append-only: covered below
      const k = byKey(info, row);
      const n = await rowCount(pool, asB, `DELETE FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      const all = await rowCount(pool, asB, `DELETE FROM ${quoteIdent(info.name)} WHERE tenant_id = $1`, [A]);
      const still = await rowCount(pool, asA, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      return n === 0 && all === 0 && still === 1 ? undefined : `B deleted ${n} by id, ${all} by tenant_id; A still sees ${still}`;
    });
    expect(failures).toEqual([]);
  });

  it('with no college set a transaction sees zero rows of any tenant table, and so does a query outside a transaction', async () => {
    const failures = await eachTable(async (info) => {
      const inTx = await asTenant(pool, noTenant, async (c) =>
        Number((await c.query(`SELECT count(*)::int AS n FROM ${quoteIdent(info.name)}`)).rows[0].n),
      );
      const bare = Number((await pool.query(`SELECT count(*)::int AS n FROM ${quoteIdent(info.name)}`)).rows[0].n);
      return inTx === 0 && bare === 0 ? undefined : `${inTx} rows visible in a transaction, ${bare} outside one`;
    });
    expect(failures).toEqual([]);
  });

  it('with no college set nothing can be updated or deleted in any tenant table', async () => {
    const failures = await eachTable(async (info, row) => {
      const k = byKey(info, row);
      const problems: string[] = [];
      if (info.canUpdate) {
        const n = await rowCount(pool, noTenant, `UPDATE ${quoteIdent(info.name)} SET tenant_id = tenant_id WHERE ${k.where}`, k.params);
        if (n !== 0) problems.push(`updated ${n}`);
      }
      if (info.canDelete) {
        const n = await rowCount(pool, noTenant, `DELETE FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
        if (n !== 0) problems.push(`deleted ${n}`);
      }
      return problems.length ? problems.join(', ') : undefined;
    });
    expect(failures).toEqual([]);
  });

  it('inserting a row with college B’s tenant_id while pinned to college A fails in the database with 42501', async () => {
    const failures = await eachTable(async (info, row) => {
      const { sql, params } = await copyForTenant(info, row, B, owner);
      const code = await outcome(pool, asA, sql, params);
      // the same copy with A's own id goes in: the refusal is about the tenant, not the row
      const own = await copyForTenant(info, row, A, owner);
      const control = info.primaryKey.some((c) => info.columns.find((x) => x.name === c)?.hasDefault)
        ? await outcome(pool, asA, own.sql, own.params)
        : 'ok';
      return code === '42501' ? undefined : `insert with B's id gave ${code} (control with A's id: ${control})`;
    });
    expect(failures).toEqual([]);
  });

  it('moving college A’s row to college B by UPDATE fails with 42501', async () => {
    const failures = await eachTable(async (info, row) => {
      if (!info.canUpdate) return undefined;
      const k = byKey(info, row, 1);
      const code = await outcome(pool, asA, `UPDATE ${quoteIdent(info.name)} SET tenant_id = $1 WHERE ${k.where}`, [B, ...k.params]);
      return code === '42501' ? undefined : `update to B's id gave ${code}`;
    });
    expect(failures).toEqual([]);
  });

  it('province scope reads college A’s row in every tenant table but cannot update, delete or insert one', async () => {
    const failures = await eachTable(async (info, row) => {
      const k = byKey(info, row);
      const problems: string[] = [];
      const read = await rowCount(pool, province, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      if (read !== 1) problems.push(`reads ${read} rows`);
      if (info.canUpdate) {
        const n = await rowCount(pool, province, `UPDATE ${quoteIdent(info.name)} SET tenant_id = tenant_id WHERE ${k.where}`, k.params);
        if (n !== 0) problems.push(`updated ${n}`);
      } else {
        const code = await outcome(pool, province, `UPDATE ${quoteIdent(info.name)} SET tenant_id = tenant_id WHERE ${k.where}`, k.params);
        if (code !== '42501') problems.push(`update gave ${code}`);
      }
      if (info.canDelete) {
        const n = await rowCount(pool, province, `DELETE FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
        if (n !== 0) problems.push(`deleted ${n}`);
      } else {
        const code = await outcome(pool, province, `DELETE FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
        if (code !== '42501') problems.push(`delete gave ${code}`);
      }
      const { sql, params } = await copyForTenant(info, row, A, owner);
      const insert = await outcome(pool, province, sql, params);
      if (insert !== '42501') problems.push(`insert into college A gave ${insert}`);
      const still = await rowCount(pool, asA, `SELECT 1 FROM ${quoteIdent(info.name)} WHERE ${k.where}`, k.params);
      if (still !== 1) problems.push(`A's row is gone`);
      return problems.length ? problems.join(', ') : undefined;
    });
    expect(failures).toEqual([]);
  });

  it('append-only tables (audit_log) refuse UPDATE and DELETE with 42501 for every college and scope, even on a college’s own row', async () => {
    const appendOnly = [...tables.values()].filter((t) => !t.canUpdate || !t.canDelete).map((t) => t.name);
    expect(appendOnly).toContain('audit_log');
    const failures: string[] = [];
    for (const name of appendOnly) {
      const info = tables.get(name)!;
      const row = rows.get(name);
      if (!row) continue; // reported by the row-builder test
      const k = byKey(info, row);
      for (const [who, settings] of Object.entries({ 'college A': asA, 'college B': asB, 'no college': noTenant, province })) {
        if (!info.canUpdate) {
          const code = await outcome(pool, settings, `UPDATE ${quoteIdent(name)} SET tenant_id = tenant_id WHERE ${k.where}`, k.params);
          if (code !== '42501') failures.push(`${name}: UPDATE as ${who} gave ${code}`);
        }
        if (!info.canDelete) {
          const code = await outcome(pool, settings, `DELETE FROM ${quoteIdent(name)} WHERE ${k.where}`, k.params);
          if (code !== '42501') failures.push(`${name}: DELETE as ${who} gave ${code}`);
        }
      }
      const still = await rowCount(pool, asA, `SELECT 1 FROM ${quoteIdent(name)} WHERE ${k.where}`, k.params);
      if (still !== 1) failures.push(`${name}: A's row is gone`);
    }
    expect(failures).toEqual([]);
  });

  describe('pooled connections', () => {
    it('a pool of one connection carries no college from one transaction to the next', async () => {
      const one = appPool(1);
      try {
        const first = await asTenant(one, asA, async (c) => {
          await c.query(`INSERT INTO audit_log (entity, action) VALUES ('isolation-probe', 'pool-of-one')`);
          const seen = await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1`, [A]);
          return { pid: (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid, seen: seen.rows[0].n };
        });
        expect(first.seen).toBeGreaterThan(0);
        const next = await asTenant(one, noTenant, async (c) => ({
          pid: (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid,
          setting: (await c.query("SELECT current_setting('app.tenant_id', true) AS v")).rows[0].v,
          n: (await c.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n,
        }));
        expect(next.pid).toBe(first.pid); // the very same connection
        expect(next.setting ?? '').toBe('');
        expect(next.n).toBe(0);
        // and outside any transaction on that connection, too
        const bare = await one.query(`SELECT current_setting('app.tenant_id', true) AS v, (SELECT count(*)::int FROM audit_log) AS n, pg_backend_pid() AS pid`);
        expect({ ...bare.rows[0], v: bare.rows[0].v ?? '' }).toEqual({ v: '', n: 0, pid: first.pid });
      } finally {
        await one.end();
      }
    });

    it('2 colleges × 200 parallel transactions on a small pool never see each other’s rows', async () => {
      const small = appPool(5);
      try {
        for (const tenantId of [A, B]) {
          await asTenant(small, { tenantId }, (c) =>
            c.query(`INSERT INTO audit_log (entity, action) SELECT 'isolation-probe', 'parallel-seed' FROM generate_series(1, 3)`),
          );
        }
        const run = (me: string, other: string, i: number) =>
          asTenant(small, { tenantId: me }, async (c) => {
            if (i % 4 === 0) await c.query(`INSERT INTO audit_log (entity, action) VALUES ('isolation-probe', 'parallel')`);
            if (i % 3 === 0) await c.query('SELECT pg_sleep(0.002)');
            const r = await c.query(
              `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS other, count(*) FILTER (WHERE tenant_id = $2)::int AS mine,
                      count(*) FILTER (WHERE tenant_id IS DISTINCT FROM $2)::int AS foreign_rows,
                      current_setting('app.tenant_id', true) AS pinned
               FROM audit_log`,
              [other, me],
            );
            return { me, ...r.rows[0] };
          });
        const jobs: Promise<{ me: string; other: number; mine: number; foreign_rows: number; pinned: string }>[] = [];
        for (let i = 0; i < 200; i++) {
          jobs.push(run(A, B, i), run(B, A, i));
        }
        const results = await Promise.all(jobs);
        expect(results).toHaveLength(400);
        expect(results.filter((r) => r.other !== 0 || r.foreign_rows !== 0)).toEqual([]);
        expect(results.filter((r) => r.pinned !== r.me)).toEqual([]);
        expect(results.every((r) => r.mine >= 3)).toBe(true); // each transaction did see its own college's rows
      } finally {
        await small.end();
      }
    });
  });
});
