import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { inTenant } from '../e2e/matrix/programmes.fixtures';
import { freePort, killAllChildren, PrivateRedis, spawnTs, TestChild, waitFor } from '../setup/child-process';
import { ownerClient } from '../setup/db';

/**
 * Issue 13, "A report job killed mid-way is retried and produces one file", with real
 * processes: a private redis-server, the API (src/main.ts) and two workers
 * (test/fixtures/report-kill-worker.ts = src/worker.ts with the real report processor and
 * generator, a short stall check, and the report storage held by a gate halfway through
 * writing a file). The report is requested through POST /api/v1/reports; the job reaches
 * Redis through the outbox relay like any other.
 */
/** Booting from sources (swc + Nest) on a 2-core machine shared with other runs. */
const BOOT_MS = 180_000;
const SCHEMA = `rkill_${randomBytes(4).toString('hex')}`;
const PREFIX = `jtr${randomBytes(4).toString('hex')}`;

describe('report jobs with real processes (npm run test:faults)', () => {
  let redis: PrivateRedis;
  let api: TestChild;
  const workers: Record<string, TestChild> = {};
  let base: string;
  let db: Client;
  let f: IdentityFactory;
  let tenantId: string;
  let staff: { email: string };
  let storageDir: string;
  let watch: QueueEvents;
  const active = new Map<string, number>();
  const completed = new Map<string, number>();
  const failed = new Map<string, string>();

  const env = (extra: Record<string, string>) => ({ ...process.env, REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, DB_POOL_SIZE: '5', STORAGE_DRIVER: 'local', STORAGE_DIR: storageDir, ...extra });
  const startWorker = async (name: string) => {
    const child = spawnTs(name, 'test/fixtures/report-kill-worker.ts', env({ REPORT_KILL_SCHEMA: SCHEMA, REPORT_KILL_WORKER: name, LOG_LEVEL: 'info' }));
    await child.waitForOutput(/"msg":"worker started"/, BOOT_MS);
    workers[name] = child;
  };
  const http = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: any = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text.slice(0, 200) };
    }
    return { status: res.status, body: json };
  };
  const events = async (reportId: string): Promise<string[]> =>
    (await db.query(`SELECT worker || ':' || event AS e FROM ${SCHEMA}.run_log WHERE report_id = $1 ORDER BY id`, [reportId])).rows.map((r) => r.e);
  const openGate = (reportId: string) => db.query(`INSERT INTO ${SCHEMA}.gate (report_id, open) VALUES ($1, true) ON CONFLICT (report_id) DO UPDATE SET open = true`, [reportId]);
  /** Every file under the storage directory, as paths relative to it. */
  const files = async (): Promise<string[]> => ((await readdir(storageDir, { recursive: true, withFileTypes: true })) as any[]).filter((d) => d.isFile()).map((d) => join(d.parentPath ?? d.path, d.name).slice(storageDir.length + 1)).sort();
  const reportRow = (id: string) =>
    inTenant(f, tenantId, () =>
      f.query(
        `SELECT status, progress, attempts, storage_key AS "storageKey", size_bytes::int AS "sizeBytes", sha256, error,
                started_at AS "startedAt", finished_at AS "finishedAt"
         FROM reports WHERE id = $1`,
        [id],
      ),
    ).then((r) => r.rows[0]);

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'jishi-rkill-'));
    db = await ownerClient();
    await db.query(`
      CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}.run_log (id bigserial PRIMARY KEY, report_id text NOT NULL, worker text NOT NULL, event text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE TABLE ${SCHEMA}.gate (report_id text PRIMARY KEY, open boolean NOT NULL);
      GRANT USAGE ON SCHEMA ${SCHEMA} TO app_user;
      GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${SCHEMA} TO app_user;
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${SCHEMA} TO app_user;
    `);
    f = await IdentityFactory.open();
    tenantId = await f.tenant({ name: '报表演练技师学院' });
    staff = await f.member('college-staff', { tenantId });
    redis = await PrivateRedis.start();
    watch = new QueueEvents('reports', { connection: { url: redis.url, maxRetriesPerRequest: null }, prefix: PREFIX });
    const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
    watch.on('active', ({ jobId }) => bump(active, jobId));
    watch.on('completed', ({ jobId }) => bump(completed, jobId));
    watch.on('failed', ({ jobId, failedReason }) => failed.set(jobId, failedReason));
    await watch.waitUntilReady();
    // one at a time: processes booting from sources at once on two shared cores take longer than one after another
    await startWorker('worker-1');
    await startWorker('worker-2');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = spawnTs('api', 'src/main.ts', env({ PORT: String(port), LOG_LEVEL: 'warn', LOGIN_IP_LIMIT_PER_MINUTE: '100000', API_RATE_LIMIT_PER_MINUTE: '1000000' }));
    await waitFor(() => fetch(`${base}/health/live`).then((r) => r.status, () => 0), (s) => s === 200, BOOT_MS, 'API answering').catch((e) => {
      throw new Error(`${e.message}\n${api.tail()}`);
    });
  }, BOOT_MS * 4);

  afterAll(async () => {
    await watch?.close().catch(() => undefined);
    await killAllChildren();
    await redis?.stop();
    await db?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await db?.end();
    await f?.close();
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed halfway through writing a report file: the other worker takes the job over after the stall check, and the report ends done once with one stored file under its one key', async () => {
    const login = await http('POST', '/api/v1/auth/login', { identifier: staff.email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${login.body.accessToken}` };
    const requested = await http('POST', '/api/v1/reports', { kind: 'kpi', scope: { level: 'college' }, format: 'xlsx' }, auth);
    expect([requested.status, requested.body.status]).toEqual([201, 'queued']);
    const reportId: string = requested.body.id;
    const jobId = `report-${reportId}`;
    const key = `reports/${tenantId}/${reportId}-xlsx`;

    // one worker has streamed half the file into the storage's temporary file and holds there
    const holder = await waitFor(() => events(reportId), (e) => e.length > 0, 60_000, 'a worker wrote half the file').then((e) => e[0].split(':')[0]);
    const other = holder === 'worker-1' ? 'worker-2' : 'worker-1';
    const partial = await waitFor(
      async () => Promise.all((await files()).map(async (p) => ({ p, size: (await stat(join(storageDir, p))).size }))),
      (fs) => fs.length === 1 && fs[0].p.startsWith(`${key}.`) && fs[0].p.endsWith('.part') && fs[0].size > 0,
      10_000,
      'the half-written temporary file on disk',
    );
    const midway = await reportRow(reportId);
    expect([midway.status, midway.attempts, midway.storageKey]).toEqual(['running', 1, null]);
    expect(midway.progress).toBe(90);

    workers[holder].signal('SIGKILL');
    expect(await workers[holder].waitForExit(5_000)).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();
    await openGate(reportId);

    await waitFor(() => reportRow(reportId), (r) => r.status === 'done' || r.status === 'failed', 90_000, 'the report finished').catch(async (e) => {
      throw new Error(`${e.message}\n${workers[other].tail()}`);
    });
    const recoveredMs = Date.now() - killedAt;
    await waitFor(() => completed.get(jobId) ?? 0, (n) => n > 0, 10_000, 'the job completed event');

    // the job ran twice (the killed attempt and the recovery), completed once, never failed
    expect(failed.get(jobId)).toBeUndefined();
    expect([active.get(jobId), completed.get(jobId)]).toEqual([2, 1]);
    expect(await events(reportId)).toEqual([`${holder}:half-written`, `${other}:half-written`, `${other}:stored`]);

    // the row: done once, by the second claim, with the one key and the stored file's size and hash
    const row = await reportRow(reportId);
    const stored = await readFile(join(storageDir, key));
    expect(row).toMatchObject({ status: 'done', progress: 100, attempts: 2, storageKey: key, sizeBytes: stored.length, error: null });
    expect(row.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
    expect(new Date(row.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(row.startedAt).getTime());
    expect(stored.subarray(0, 2).toString('latin1')).toBe('PK'); // a whole xlsx (zip), not the killed attempt's half

    // on disk: the one file under the report's key; besides it only the killed attempt's temporary
    // file, which no read ever opens (keys never contain '.', and get() opens the exact key)
    const after = await files();
    expect(after.filter((p) => !p.endsWith('.part'))).toEqual([key]);
    expect(after.filter((p) => p.endsWith('.part'))).toEqual([partial[0].p]);

    // what the user sees through the API: done, the file's size, and a download of exactly that file
    const view = await http('GET', `/api/v1/reports/${reportId}`, undefined, auth);
    expect([view.status, view.body.status, view.body.sizeBytes]).toEqual([200, 'done', stored.length]);
    const link = await http('POST', `/api/v1/reports/${reportId}/link`, undefined, auth);
    expect(link.status).toBe(200);
    const download = await fetch(`${base}${link.body.url}`, { signal: AbortSignal.timeout(30_000) });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(stored)).toBe(true);

    console.log(
      `[faults] report worker SIGKILL mid-write: ${holder} killed with ${partial[0].size}/${stored.length} bytes in its temporary file; ` +
        `${other} finished the report ${recoveredMs} ms after the kill (attempts 2, job active 2× completed 1×, failed 0×); stored files for the report: 1 (+1 orphaned .part of the killed attempt)`,
    );
  }, 240_000);
});
