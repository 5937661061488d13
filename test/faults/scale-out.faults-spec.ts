import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { cohortRow, freshIdNumber, rosterCsv } from '../e2e/matrix/cohorts.fixtures';
import { inTenant } from '../e2e/matrix/programmes.fixtures';
import { freePort, killAllChildren, PrivateRedis, spawnTs, TestChild, waitFor } from '../setup/child-process';

/**
 * Issue 14 part 3, "beyond one process": two API processes (src/main.ts) and two worker
 * processes (test/fixtures/scale-worker.ts = src/worker.ts + a 1-second schedule) against one
 * database and one private Redis. Every job is watched from the outside through BullMQ's event
 * stream (QueueEvents): a job started twice shows two `active` events for its id.
 *
 * A new case is one more `it` (reminders: schedule or enqueue through either API, then
 * `expectEachOnce` on the reminders queue).
 */
const BOOT_MS = 180_000;
// hash-tagged, as on Redis Cluster (docs/scaling.md): every key of every queue in one slot
const PREFIX = `{jts${randomBytes(4).toString('hex')}}`;
const TICK_ID = 'scale.tick';
const TICK_MS = 1_000;
/** Above IMPORT_JOB_THRESHOLD (2,000): the upload is queued through the outbox, not run in the request. */
const JOB_ROWS = 2_001;

/** Per job id, how often each BullMQ event was seen on a queue since the watch started. */
class JobWatch {
  readonly active = new Map<string, number>();
  readonly completed = new Map<string, number>();
  readonly failed = new Map<string, string>();
  private constructor(readonly events: QueueEvents) {}

  static async on(queue: string, url: string): Promise<JobWatch> {
    const events = new QueueEvents(queue, { connection: { url, maxRetriesPerRequest: null }, prefix: PREFIX });
    const w = new JobWatch(events);
    const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
    events.on('active', ({ jobId }) => bump(w.active, jobId));
    events.on('completed', ({ jobId }) => bump(w.completed, jobId));
    events.on('failed', ({ jobId, failedReason }) => w.failed.set(jobId, failedReason));
    await events.waitUntilReady();
    return w;
  }

  /** Waits until every id completed, then checks each started and completed exactly once. */
  async expectEachOnce(jobIds: string[], timeoutMs: number): Promise<void> {
    await waitFor(
      () => jobIds.filter((id) => !this.completed.has(id) && !this.failed.has(id)),
      (left) => left.length === 0,
      timeoutMs,
      'every job completed',
    );
    expect(jobIds.filter((id) => this.failed.has(id)).map((id) => `${id}: ${this.failed.get(id)}`)).toEqual([]);
    expect(jobIds.map((id) => [id, this.active.get(id), this.completed.get(id)])).toEqual(jobIds.map((id) => [id, 1, 1]));
  }

  close(): Promise<void> {
    return this.events.close();
  }
}

describe('two APIs and two workers on one database and one Redis (npm run test:faults)', () => {
  let redis: PrivateRedis;
  const apis: { child: TestChild; base: string }[] = [];
  let f: IdentityFactory;
  let college: string;
  let token: string;
  const watches: JobWatch[] = [];
  let imports: JobWatch;
  let maintenance: JobWatch;

  const env = (extra: Record<string, string>) => ({ ...process.env, REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, DB_POOL_SIZE: '5', ...extra });
  const startApi = async (name: string) => {
    const port = await freePort();
    const child = spawnTs(name, 'src/main.ts', env({ PORT: String(port), LOG_LEVEL: 'warn', LOGIN_IP_LIMIT_PER_MINUTE: '100000', API_RATE_LIMIT_PER_MINUTE: '1000000' }));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${base}/health/live`).then((r) => r.status, () => 0), (s) => s === 200, BOOT_MS, `${name} answering`).catch((e) => {
      throw new Error(`${e.message}\n${child.tail()}`);
    });
    apis.push({ child, base });
  };
  const startWorker = async (name: string) => {
    const child = spawnTs(name, 'test/fixtures/scale-worker.ts', env({ SCALE_TICK_ID: TICK_ID, SCALE_TICK_MS: String(TICK_MS), LOG_LEVEL: 'info' }));
    await child.waitForOutput(/"msg":"worker started"/, BOOT_MS);
  };
  /** Uploads a roster through API `i`; answers the import's id (queued: 202). */
  const upload = async (i: number, cohortId: string, csv: Buffer, dryRun: boolean): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), '名单.csv');
    const res = await fetch(`${apis[i % apis.length].base}/api/v1/cohorts/${cohortId}/students/import${dryRun ? '?dryRun=true' : ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await res.json()) as { importId?: string };
    if (res.status !== 202) throw new Error(`upload through API ${i % apis.length}: ${res.status} ${JSON.stringify(body)}`);
    return body.importId as string;
  };
  const roster = (region: string) => {
    const ids = new Set<string>();
    while (ids.size < JOB_ROWS) ids.add(freshIdNumber(ids.size % 2 ? 'male' : 'female', region));
    return rosterCsv([...ids].map((idNumber, i) => ({ name: `扩展测试${i}`, idNumber })));
  };
  const importRows = (ids: string[]) =>
    inTenant(f, college, () =>
      f.query(`SELECT id, status, dry_run AS "dryRun", processed_rows AS processed, created_count AS created FROM student_imports WHERE id = ANY($1) ORDER BY id`, [ids]),
    ).then((r) => r.rows);

  beforeAll(async () => {
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '扩展演练技师学院' });
    const staff = await f.member('college-staff', { tenantId: college });
    redis = await PrivateRedis.start();
    imports = await JobWatch.on('imports', redis.url);
    maintenance = await JobWatch.on('maintenance', redis.url);
    watches.push(imports, maintenance);
    // one at a time: four processes booting from sources at once on two shared cores take longer than one after another
    await startWorker('worker-1');
    await startWorker('worker-2');
    await startApi('api-1');
    await startApi('api-2');
    // a token from one API is good on the other: nothing about a session lives in an API process
    const login = await fetch(`${apis[0].base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: staff.email, password: TEST_PASSWORD }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    const me = await fetch(`${apis[1].base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  }, BOOT_MS * 4);

  beforeEach(() => {
    for (const { child } of apis) if (!child.running) throw new Error(`${child.name} exited\n${child.tail()}`);
  });

  afterAll(async () => {
    await Promise.all(watches.map((w) => w.close().catch(() => undefined)));
    await killAllChildren();
    await redis?.stop();
    await f?.close();
  });

  it('every scheduled job fires once: one scheduler for two workers, one job per period, each run once', async () => {
    const fires = () => [...maintenance.completed.keys()].filter((id) => id.startsWith(`repeat:${TICK_ID}:`));
    await waitFor(fires, (ids) => ids.length >= 8, 60_000, '8 scheduled runs');
    const ids = fires();
    await maintenance.expectEachOnce(ids, 30_000);
    const at = ids.map((id) => Number(id.split(':').pop())).sort((a, b) => a - b);
    // consecutive runs one period apart: none doubled (two schedulers would interleave), none skipped
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual(at.slice(1).map(() => TICK_MS));
    const queue = new Queue('maintenance', { connection: { url: redis.url }, prefix: PREFIX });
    try {
      expect((await queue.getJobSchedulers()).filter((s) => s.key === TICK_ID || s.id === TICK_ID)).toHaveLength(1);
    } finally {
      await queue.close();
    }
    console.log(`[scale] schedule every ${TICK_MS} ms on 2 workers: ${ids.length} runs, each once, ${TICK_MS} ms apart`);
  }, 120_000);

  it('every outbox message is delivered once: 8 queued uploads through both APIs, one outbox row, one job and one run each', async () => {
    const { cohortId } = await cohortRow(f, college);
    const csv = roster('440106');
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await upload(i, cohortId, csv, true));
    const jobIds = ids.map((id) => `student-import-${id}`);
    const outbox = await f.query(`SELECT job_id, count(*)::int AS n, bool_and(dispatched_at IS NOT NULL) AS dispatched FROM outbox WHERE job_id = ANY($1) GROUP BY job_id`, [jobIds]);
    expect(outbox.rows).toHaveLength(8);
    expect(outbox.rows.every((r) => r.n === 1)).toBe(true);
    await imports.expectEachOnce(jobIds, 180_000);
    const dispatched = await f.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = ANY($1) AND dispatched_at IS NOT NULL`, [jobIds]);
    expect(dispatched.rows[0].n).toBe(8);
    const rows = await importRows(ids);
    expect(rows.map((r) => [r.status, r.dryRun, r.processed])).toEqual(rows.map(() => ['succeeded', true, JOB_ROWS]));
    console.log(`[scale] 8 outbox messages through 2 APIs: each dispatched once and run once in ${Date.now() - started} ms`);
  }, 240_000);

  it('every student import is processed once: a 2,001-row import through each API, each job run once, each student created once', async () => {
    const cohorts = [await cohortRow(f, college), await cohortRow(f, college)];
    const started = Date.now();
    const ids = [await upload(0, cohorts[0].cohortId, roster('440305'), false), await upload(1, cohorts[1].cohortId, roster('440104'), false)];
    await imports.expectEachOnce(ids.map((id) => `student-import-${id}`), 240_000);
    const rows = await importRows(ids);
    expect(rows.map((r) => [r.status, r.processed, r.created])).toEqual([
      ['succeeded', JOB_ROWS, JOB_ROWS],
      ['succeeded', JOB_ROWS, JOB_ROWS],
    ]);
    for (const { cohortId } of cohorts) {
      const n = await inTenant(f, college, () => f.query(`SELECT count(*)::int AS n FROM students WHERE cohort_id = $1`, [cohortId]));
      expect(n.rows[0].n).toBe(JOB_ROWS);
    }
    console.log(`[scale] 2 imports of ${JOB_ROWS} rows, one through each API: each processed once in ${Date.now() - started} ms`);
  }, 300_000);
});
