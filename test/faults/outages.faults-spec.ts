import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { freePort, killAllChildren, PrivateRedis, spawnTs, TestChild, waitFor } from '../setup/child-process';
import { ownerClient } from '../setup/db';
import { inTenant } from '../e2e/matrix/programmes.fixtures';

/**
 * Issue 8, "Outages", with real processes: a private redis-server, the API (src/main.ts) and
 * two workers (test/fixtures/reliability-worker.ts = src/worker.ts + a test processor for the
 * `imports` queue that writes its effect once and can be held by a gate). Each scenario prints
 * its figures. Order matters: the processes live for the whole file.
 */
/** Booting from sources (swc + Nest) on a 2-core machine shared with other runs. */
const BOOT_MS = 180_000;
const SCHEMA = `faults_${randomBytes(4).toString('hex')}`;
const PREFIX = `jtf${randomBytes(4).toString('hex')}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

describe('outages with real processes (npm run test:faults)', () => {
  let redis: PrivateRedis;
  let api: TestChild;
  const workers: Record<string, TestChild> = {};
  let base: string;
  let db: Client;
  let f: IdentityFactory;
  let tenantId: string;
  let staff: { email: string };
  let admin: { email: string };
  const tenantForJobs = randomUUID();

  const env = (extra: Record<string, string>) => ({ ...process.env, REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, DB_POOL_SIZE: '5', ...extra });
  const startWorker = async (name: string) => {
    const child = spawnTs(name, 'test/fixtures/reliability-worker.ts', env({ RELIABILITY_SCHEMA: SCHEMA, RELIABILITY_WORKER: name, LOG_LEVEL: 'info' }));
    await child.waitForOutput(/"msg":"worker started"/, BOOT_MS);
    workers[name] = child;
    return child;
  };
  const http = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000) => {
    const started = Date.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: any = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text.slice(0, 200) };
    }
    return { status: res.status, body: json, headers: res.headers, ms: Date.now() - started };
  };
  const loginAs = async (email: string, ip = '192.0.2.1') => http('POST', '/api/v1/auth/login', { identifier: email, password: TEST_PASSWORD }, { 'x-forwarded-for': ip });
  const events = async (importId: string): Promise<string[]> =>
    (await db.query(`SELECT worker || ':' || event AS e FROM ${SCHEMA}.run_log WHERE import_id = $1 ORDER BY id`, [importId])).rows.map((r) => r.e);
  const effects = async (importIds: string[]) =>
    (await db.query(`SELECT import_id, count(*)::int AS n FROM ${SCHEMA}.effect WHERE import_id = ANY($1) GROUP BY import_id`, [importIds])).rows as { import_id: string; n: number }[];
  /** What a request does in production: the job goes to the outbox; the workers' relay moves it to Redis. */
  const enqueue = async (importId: string) => {
    const jobId = `faults-${importId}`;
    await db.query(`INSERT INTO outbox (queue, job_name, job_id, payload, options) VALUES ('imports', 'imports.process', $1, $2, '{}')`, [
      jobId,
      JSON.stringify({ tenantId: tenantForJobs, importId }),
    ]);
    return jobId;
  };
  const setGate = (importId: string, open: boolean) =>
    db.query(`INSERT INTO ${SCHEMA}.gate (import_id, open) VALUES ($1, $2) ON CONFLICT (import_id) DO UPDATE SET open = $2`, [importId, open]);

  beforeAll(async () => {
    db = await ownerClient();
    await db.query(`
      CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}.effect (import_id text PRIMARY KEY, tenant_id text NOT NULL, worker text NOT NULL);
      CREATE TABLE ${SCHEMA}.run_log (id bigserial PRIMARY KEY, job_id text NOT NULL, import_id text NOT NULL,
        worker text NOT NULL, event text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE TABLE ${SCHEMA}.gate (import_id text PRIMARY KEY, open boolean NOT NULL);
      GRANT USAGE ON SCHEMA ${SCHEMA} TO app_user;
      GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${SCHEMA} TO app_user;
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${SCHEMA} TO app_user;
    `);
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '故障演练技师学院' });
    staff = await f.member('college-staff', { tenantId });
    admin = await f.member('college-admin', { tenantId });
    redis = await PrivateRedis.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawnTs('api', 'src/main.ts', env({ PORT: String(port), LOG_LEVEL: 'warn', LOGIN_IP_LIMIT_PER_MINUTE: '100000', API_RATE_LIMIT_PER_MINUTE: '1000000' }));
    await Promise.all([startWorker('worker-1'), startWorker('worker-2')]);
    await waitFor(
      () => fetch(`${base}/health/live`).then((r) => r.status, () => 0),
      (s) => s === 200,
      BOOT_MS,
      'API answering',
    ).catch((e) => {
      throw new Error(`${e.message}\n${api.tail()}`);
    });
  }, BOOT_MS * 2);

  /** Every scenario also proves the API survived the previous one. */
  beforeEach(() => {
    if (api && !api.running) throw new Error(`the API process exited\n${api.tail()}`);
  });

  afterAll(async () => {
    await killAllChildren();
    await redis?.stop();
    await db?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await db?.end();
    await f?.close();
  });

  it('Redis stopped 20 s under load: logins and reads keep answering, every job queued meanwhile runs exactly once after it returns, and the relay resumes within ~2 s', async () => {
    const warm = randomUUID();
    await enqueue(warm);
    await waitFor(() => events(warm), (e) => e.some((x) => x.endsWith(':done')), 30_000, 'warm-up job done');
    const session = (await loginAs(staff.email)).body;

    await redis.down();
    const downAt = Date.now();
    const placed: string[] = [];
    const logins: number[] = [];
    const reads: number[] = [];
    const statuses: number[] = [];
    let i = 0;
    while (Date.now() - downAt < 20_000) {
      const importId = randomUUID();
      await enqueue(importId);
      placed.push(importId);
      const [l, r] = await Promise.all([
        loginAs(staff.email, `198.51.100.${i++ % 200}`),
        http('GET', '/api/v1/auth/memberships', undefined, { authorization: `Bearer ${session.accessToken}` }),
      ]);
      statuses.push(l.status, r.status);
      logins.push(l.ms);
      reads.push(r.ms);
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(Math.max(...logins)).toBeLessThan(3_000);

    await redis.up();
    const upAt = Date.now();
    const jobIds = placed.map((id) => `faults-${id}`);
    const dispatched = await waitFor(
      async () => (await db.query(`SELECT min(dispatched_at) AS first, count(dispatched_at)::int AS n FROM outbox WHERE job_id = ANY($1)`, [jobIds])).rows[0],
      (r) => r.n === placed.length,
      60_000,
      'every outage job marked dispatched',
    );
    const resumedAfterMs = new Date(dispatched.first).getTime() - upAt;
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.run_log WHERE import_id = ANY($1) AND event = 'done'`, [placed])).rows[0].n,
      (n) => n >= placed.length,
      60_000,
      'every outage job done',
    );
    const deliveredAfterMs = Date.now() - upAt;
    const fx = await effects(placed);
    expect(fx).toHaveLength(placed.length);
    expect(fx.every((r) => r.n === 1)).toBe(true);
    const starts = (await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.run_log WHERE import_id = ANY($1) AND event = 'start'`, [placed])).rows[0].n;
    expect(starts).toBe(placed.length);
    expect(resumedAfterMs).toBeLessThan(3_000);
    console.log(
      `[faults] Redis down 20 s: ${placed.length} jobs queued, ${logins.length} logins (all 200, median ${median(logins)} ms, max ${Math.max(...logins)} ms), ` +
        `${reads.length} reads (median ${median(reads)} ms); relay resumed ${resumedAfterMs} ms after Redis returned, all ${placed.length} done once in ${deliveredAfterMs} ms (0 lost, 0 doubled)`,
    );
  }, 180_000);

  it('a worker SIGKILLed mid-import: the other worker takes the job over after the stall check and its effect happens exactly once', async () => {
    const importId = randomUUID();
    await setGate(importId, false);
    await enqueue(importId);
    const holder = await waitFor(
      () => events(importId),
      (e) => e.some((x) => x.endsWith(':effect')),
      30_000,
      'a worker applied the effect',
    ).then((e) => e[0].split(':')[0]);
    const other = holder === 'worker-1' ? 'worker-2' : 'worker-1';
    workers[holder].signal('SIGKILL');
    await workers[holder].waitForExit(5_000);
    const killedAt = Date.now();
    await setGate(importId, true);
    await waitFor(() => events(importId), (e) => e.includes(`${other}:done`), 60_000, 'the job completed on the other worker');
    expect(await events(importId)).toEqual([`${holder}:start`, `${holder}:effect`, `${other}:start`, `${other}:effect-already-there`, `${other}:done`]);
    expect(await effects([importId])).toEqual([{ import_id: importId, n: 1 }]);
    console.log(`[faults] worker SIGKILL mid-job: ${other} finished it ${Date.now() - killedAt} ms after the kill; effects: 1`);
    await startWorker(holder); // back to two workers
  }, 150_000);

  it('PostgreSQL connections killed under load: requests in flight answer 503 problem+json with Retry-After (never 500), nothing is half-applied, and the API recovers without a restart', async () => {
    const token = (await loginAs(admin.email)).body.accessToken as string;
    const admin2 = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
    await admin2.connect();
    const create = async () => {
      const code = `F-${randomBytes(4).toString('hex')}`;
      const r = await http(
        'POST',
        '/api/v1/programmes',
        { code, name: '工业机器人应用与维护', occupation: { code: '6-31-01-10', name: '工业机器人系统运维员' }, clusterCodes: ['E03'] },
        { authorization: `Bearer ${token}` },
      );
      return { code, ...r };
    };
    const results: Awaited<ReturnType<typeof create>>[] = [];
    let killed = 0;
    try {
      for (let round = 0; round < 15 && !results.some((r) => r.status === 503); round++) {
        const batch = Array.from({ length: 25 }, create);
        await new Promise((r) => setTimeout(r, 30 + round * 10));
        killed += (
          await admin2.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename = 'app_user'`, [
            process.env.TEST_DATABASE_NAME,
          ])
        ).rows[0].n;
        results.push(...(await Promise.all(batch)));
      }
    } finally {
      await admin2.end();
    }
    const unavailable = results.filter((r) => r.status === 503);
    if (results.some((r) => r.status >= 500 && r.status !== 503)) console.log(`[faults] unexpected answers; API log:\n${api.output().split('\n').filter((l) => /unhandled|error/i.test(l)).slice(-5).join('\n').slice(0, 6000)}`);
    expect(results.filter((r) => r.status !== 201 && r.status !== 503).map((r) => [r.status, r.body.code])).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const r of unavailable) {
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const rows = (
      await inTenant(f, tenantId, () =>
        f.query(
          `SELECT p.code, (SELECT count(*)::int FROM audit_log a WHERE a.entity = 'programme' AND a.entity_id = p.id::text AND a.action = 'create') AS audits
           FROM programmes p WHERE p.code = ANY($1)`,
          [results.map((r) => r.code)],
        ),
      )
    ).rows as { code: string; audits: number }[];
    expect(rows.filter((r) => r.audits !== 1)).toEqual([]);
    const after = await Promise.all(Array.from({ length: 5 }, create));
    expect(after.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    // the workers lost connections too, and still work
    const probe = randomUUID();
    await enqueue(probe);
    await waitFor(() => events(probe), (e) => e.some((x) => x.endsWith(':done')), 30_000, 'a job after the kill');
    console.log(`[faults] pg_terminate_backend: ${killed} connections killed; ${results.length} writes: ${results.length - unavailable.length}×201, ${unavailable.length}×503 (Retry-After), 0×500; all-or-nothing; then 5/5 writes ok and a job ran`);
  }, 120_000);

  it('a flood of 200 concurrent failed logins from 200 addresses: no 5xx but 503 LOGIN_BUSY, and an authenticated route keeps its median latency', async () => {
    const token = (await loginAs(staff.email)).body.accessToken as string;
    const read = () => http('GET', '/api/v1/auth/memberships', undefined, { authorization: `Bearer ${token}` });
    for (let i = 0; i < 3; i++) await read();
    const before: number[] = [];
    for (let i = 0; i < 20; i++) before.push((await read()).ms);
    const flood = Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        http('POST', '/api/v1/auth/login', { identifier: `flood-${i}-${randomBytes(3).toString('hex')}@flood.test`, password: 'Wrong-pass-123' }, { 'x-forwarded-for': `203.0.113.${i % 250}` }, 100_000).catch(
          (e: Error) => ({ status: 0, body: { error: e.message }, headers: new Headers(), ms: 100_000 }),
        ),
      ),
    );
    let done = false;
    void flood.then(() => (done = true));
    const during: number[] = [];
    while (!done || during.length < 10) {
      const r = await read();
      expect(r.status).toBe(200);
      during.push(r.ms);
    }
    const results = await flood;
    const count = (s: number) => results.filter((r) => r.status === s).length;
    if (count(401) + count(503) !== 200) console.log(`[faults] flood statuses: ${JSON.stringify(results.map((r) => r.status))}\n${api.tail()}`);
    expect(results.filter((r) => r.status >= 500 && r.status !== 503)).toEqual([]);
    expect(count(401) + count(503)).toBe(200);
    for (const r of results.filter((x) => x.status === 503)) {
      expect(r.body.code).toBe('IDENTITY.LOGIN_BUSY');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(median(during)).toBeLessThanOrEqual(Math.max(10 * median(before), median(before) + 100));
    console.log(
      `[faults] login flood: ${count(401)}×401 (median ${median(results.filter((r) => r.status === 401).map((r) => r.ms))} ms), ` +
        `${count(503)}×503 LOGIN_BUSY (median ${median(results.filter((r) => r.status === 503).map((r) => r.ms))} ms); ` +
        `authenticated read median ${median(before)} ms → ${median(during)} ms during the flood (p95 ${p95(before)} → ${p95(during)} ms, ${during.length} reads)`,
    );
  }, 200_000);
});
