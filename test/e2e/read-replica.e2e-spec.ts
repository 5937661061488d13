import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { KpiRefreshService } from '../../modules/kpis';
import { EntityManager } from 'typeorm';
import { OnReadReplica, Transactional, TransactionHost } from '../../src/database/transaction-host';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { waitFor } from '../setup/child-process';
import { ownerClient } from '../setup/db';
import { graduatingCohort, studentsIn } from './matrix/graduates.fixtures';

/**
 * Issue 14 part 3, read replica by configuration: DATABASE_REPLICA_URLS names a second
 * connection to the same database, told apart by its application_name. Dashboards and KPI
 * reads run there (seen in pg_stat_activity while the test holds a lock they wait on), pinned
 * to the tenant on that connection (RLS shows the college's own rows), read-only; writes and
 * everything else stay on the primary pool.
 */
const REPLICA_NAME = `jishi-replica-${randomBytes(3).toString('hex')}`;

/** Runs `fn` on whichever connection each decorator picks. */
class Probe {
  constructor(private readonly txHost: TransactionHost) {}
  @OnReadReplica()
  onReplica<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return fn(this.txHost.tx as EntityManager);
  }
  @Transactional()
  onPrimary<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return fn(this.txHost.tx as EntityManager);
  }
}

describe('read replica by configuration (issue 14, e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let admin: Client;
  let college: string;
  let staffEmail: string;
  let token: string;
  let probe: Probe;
  let tenants: TenantContext;
  const saved = process.env.DATABASE_REPLICA_URLS;

  /** The backends of this database waiting on a lock while `hold` keeps `table` locked, with what they run. */
  async function runsOnWhileBlocked(table: string, request: () => Promise<{ status: number }>): Promise<{ app: string; query: string; status: number }> {
    const locker = await ownerClient();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      // an async wrapper: a supertest request is a thenable that only starts when awaited
      const pending = (async () => request())();
      const waiting = await waitFor(
        async () =>
          (
            await admin.query(
              `SELECT application_name AS app, query FROM pg_stat_activity
               WHERE datname = $1 AND wait_event_type = 'Lock'`,
              [process.env.TEST_DATABASE_NAME],
            )
          ).rows as { app: string; query: string }[],
        (rows) => rows.length > 0,
        20_000,
        `a request waiting on ${table}`,
      );
      await locker.query('ROLLBACK');
      const res = await pending;
      expect(waiting).toHaveLength(1);
      return { ...waiting[0], status: res.status };
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  }

  beforeAll(async () => {
    const replica = new URL(process.env.DATABASE_URL as string);
    replica.searchParams.set('application_name', REPLICA_NAME);
    process.env.DATABASE_REPLICA_URLS = replica.toString();
    t = await bootApp();
    f = await IdentityFactory.open();
    // a superuser: pg_stat_activity hides other roles' queries and waits from everyone else
    admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
    await admin.connect();
    college = await f.tenant({ name: '只读副本测试技师学院' });
    staffEmail = (await f.member('college-staff', { tenantId: college })).email;
    token = (await login(t, staffEmail, TEST_PASSWORD)).accessToken;
    const c = await graduatingCohort(f, college);
    await studentsIn(f, college, c.cohortId, 7);
    probe = new Probe(t.app.get(TransactionHost));
    tenants = t.app.get(TenantContext);
    // the dashboard sums the stored per-cohort counts: refresh them as the worker job does
    await tenants.runAsTenant(college, () => t.app.get(KpiRefreshService).refresh(null));
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.DATABASE_REPLICA_URLS;
    else process.env.DATABASE_REPLICA_URLS = saved;
    await admin?.end();
    await f?.close();
    await t?.close();
  });

  it('the college dashboard query runs on the replica connection, pinned to the college there (RLS shows its 7 students)', async () => {
    let body: any;
    const seen = await runsOnWhileBlocked('cohorts', async () => {
      const res = await t.http().get('/api/v1/dashboards/college').set(bearer(token));
      body = res.body;
      return res;
    });
    expect(seen.status).toBe(200);
    expect(seen.app).toBe(REPLICA_NAME);
    expect(seen.query).toMatch(/graduate_outcomes_v|cohorts/);
    expect(body.college.counts.students).toBe(7);
  });

  it('the college KPI read (not cached) runs on the replica too', async () => {
    const seen = await runsOnWhileBlocked('cohorts', () => t.http().get('/api/v1/kpis/college').set(bearer(token)));
    expect(seen).toMatchObject({ status: 200, app: REPLICA_NAME });
  });

  it('a write (login stores a refresh token) runs on the primary, never on the replica', async () => {
    const seen = await runsOnWhileBlocked('refresh_tokens', () =>
      t.http().post('/api/v1/auth/login').send({ identifier: staffEmail, password: TEST_PASSWORD }),
    );
    expect(seen.status).toBe(200);
    expect(seen.app).not.toBe(REPLICA_NAME);
    expect(seen.app).toMatch(/^jishi/);
  });

  it('a replica transaction is read-only and carries the tenant; an ordinary one is on the primary and writable', async () => {
    const onReplica = await tenants.runAsTenant(college, () =>
      probe.onReplica(async (m) => (await m.query(`SELECT current_setting('application_name') AS app, current_setting('app.tenant_id') AS tenant, current_setting('transaction_read_only') AS ro`))[0]),
    );
    expect(onReplica).toEqual({ app: REPLICA_NAME, tenant: college, ro: 'on' });
    await expect(
      tenants.runAsTenant(college, () => probe.onReplica((m) => m.query(`UPDATE tenants SET name = name WHERE id = $1`, [college]))),
    ).rejects.toThrow(/read-only transaction/);
    const onPrimary = await tenants.runAsTenant(college, () =>
      probe.onPrimary(async (m) => (await m.query(`SELECT current_setting('application_name') AS app, current_setting('transaction_read_only') AS ro`))[0]),
    );
    expect(onPrimary.app).not.toBe(REPLICA_NAME);
    expect(onPrimary.ro).toBe('off');
  });
});
