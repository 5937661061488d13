import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Client, Pool } from 'pg';
import { loadConfig } from '../../config/app-config';
import { deliverJobId } from '../../modules/notifications';
import { queueReminderCheck, sendDueJobId } from '../../modules/reminders';
import { DEFAULT_JOB_OPTIONS } from '../../src/queue/queue-backend';
import type { QueueRegistry } from '../../src/queue/queue-registry';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { cohortRow, freshIdNumber, rosterCsv } from '../e2e/matrix/cohorts.fixtures';
import { inTenant } from '../e2e/matrix/programmes.fixtures';
import { freePort, killAllChildren, PrivateRedis, spawnTs, TestChild, waitFor } from '../setup/child-process';
import { appPool, ownerClient } from '../setup/db';
import { seedReminderCollege, weekdayFrom } from './reminder-college';

/**
 * Issue 14 part 3, "beyond one process": two API processes (src/main.ts) and two worker
 * processes (test/fixtures/scale-worker.ts = src/worker.ts + a 1-second schedule) against one
 * database and one private Redis. Every job is watched from the outside through BullMQ's event
 * stream (QueueEvents): a job started twice shows two `active` events for its id.
 *
 * Reminders: the daily reminder jobs (modules/reminders) of one day, triggered at the same moment
 * from both sides and with one attempt failed by a database fault and retried, end with one record,
 * one notification and one delivery job per reminder and recipient (test/faults/reminder-college.ts
 * seeds what is due). A new case is one more `it`.
 */
const BOOT_MS = 180_000;
// hash-tagged, as on Redis Cluster (docs/scaling.md): every key of every queue in one slot
const PREFIX = `{jts${randomBytes(4).toString('hex')}}`;
const TICK_ID = 'scale.tick';
const TICK_MS = 1_000;
/** The reminder-delivery row of the reminders college whose write fails (once): the 4th, so the failing attempt has written some already. */
const FAULT_AT_ROW = 4;
/** Above IMPORT_JOB_THRESHOLD (2,000): the upload is queued through the outbox, not run in the request. */
const JOB_ROWS = 2_001;

/** Per job id, how often each BullMQ event was seen on a queue since the watch started. */
class JobWatch {
  readonly active = new Map<string, number>();
  readonly completed = new Map<string, number>();
  /** the return value of each job's (last) completion */
  readonly results = new Map<string, unknown>();
  /** a failed attempt that BullMQ retries after a backoff moves the job to `delayed`, not `failed` */
  readonly delayed = new Map<string, number>();
  readonly failed = new Map<string, string>();
  private constructor(readonly events: QueueEvents) {}

  static async on(queue: string, url: string): Promise<JobWatch> {
    const events = new QueueEvents(queue, { connection: { url, maxRetriesPerRequest: null }, prefix: PREFIX });
    const w = new JobWatch(events);
    const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
    events.on('active', ({ jobId }) => bump(w.active, jobId));
    events.on('completed', ({ jobId, returnvalue }) => {
      bump(w.completed, jobId);
      w.results.set(jobId, returnvalue);
    });
    events.on('delayed', ({ jobId }) => bump(w.delayed, jobId));
    events.on('failed', ({ jobId, failedReason }) => w.failed.set(jobId, failedReason));
    await events.waitUntilReady();
    return w;
  }

  /** Waits until every id completed (or failed for good), then checks none failed. */
  async expectAllCompleted(jobIds: string[], timeoutMs: number): Promise<void> {
    await waitFor(
      () => jobIds.filter((id) => !this.completed.has(id) && !this.failed.has(id)),
      (left) => left.length === 0,
      timeoutMs,
      'every job completed',
    );
    expect(jobIds.filter((id) => this.failed.has(id)).map((id) => `${id}: ${this.failed.get(id)}`)).toEqual([]);
  }

  /** Waits until every id completed, then checks each started and completed exactly once. */
  async expectEachOnce(jobIds: string[], timeoutMs: number): Promise<void> {
    await this.expectAllCompleted(jobIds, timeoutMs);
    expect(jobIds.map((id) => [id, this.active.get(id), this.completed.get(id)])).toEqual(jobIds.map((id) => [id, 1, 1]));
  }

  close(): Promise<void> {
    return this.events.close();
  }
}

describe('two APIs and two workers on one database and one Redis (npm run test:faults)', () => {
  let redis: PrivateRedis;
  const apis: { child: TestChild; base: string }[] = [];
  const workers: TestChild[] = [];
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
    workers.push(child);
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

  it('every reminder goes out once: both workers run one day of the daily reminders, triggered at the same moment and with a failed attempt retried; one notification and one delivery per reminder and recipient', async () => {
    const config = loadConfig(env({}));
    const day = weekdayFrom(8, config.REMINDER_WEEKLY_ISO_DAY);
    const owner: Client = await ownerClient();
    const pool: Pool = appPool(2);
    // one client per worker, adding jobs as a worker's registry does (its default attempts and backoff)
    const clients = [1, 2].map(() => new Queue('reminders', { connection: { url: redis.url }, prefix: PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
    const fault = `scale_fault_${randomBytes(4).toString('hex')}`;
    try {
      const college = await seedReminderCollege(f, owner, pool, day, config);
      const reminders = await JobWatch.on('reminders', redis.url);
      const notifications = await JobWatch.on('notifications', redis.url);
      watches.push(reminders, notifications);
      // A fault in the database: the college's FAULT_AT_ROW-th reminder-delivery write fails, once (a sequence is not rolled back).
      // Whichever job makes it loses its whole transaction (records, notifications, outbox rows) and BullMQ retries it.
      await owner.query(`CREATE SEQUENCE ${fault}`);
      await owner.query(
        `CREATE FUNCTION ${fault}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
         BEGIN
           IF NEW.tenant_id = '${college.tenantId}'::uuid AND nextval('${fault}') = ${FAULT_AT_ROW} THEN
             RAISE EXCEPTION 'scale-out test: reminder-delivery write ${FAULT_AT_ROW} of the college fails once';
           END IF;
           RETURN NEW;
         END $$`,
      );
      await owner.query(`CREATE TRIGGER ${fault} BEFORE INSERT ON reminder_deliveries FOR EACH ROW EXECUTE FUNCTION ${fault}()`);

      const started = Date.now();
      const fanOuts = [`reminders.fan-out_${day}`, `reminders.fan-out_${day}_worker-1`, `reminders.fan-out_${day}_worker-2`];
      const reruns = [1, 2].map((i) => `${sendDueJobId(college.tenantId, day)}_rerun-${i}`);
      // At the same moment, each worker's client: the day's check under its one id (queueReminderCheck: both land on one job),
      // a fan-out of its own (as a second scheduler would) and a re-run of the college's day (a replayed enqueue).
      await Promise.all(
        clients.map((q, i) =>
          Promise.all([
            queueReminderCheck({ get: () => q } as unknown as QueueRegistry, day),
            q.add('reminders.fan-out', { tenantId: null, day }, { jobId: fanOuts[i + 1] }),
            q.add('reminders.send-due', { tenantId: college.tenantId, day }, { jobId: reruns[i] }),
          ]),
        ),
      );
      await reminders.expectAllCompleted(fanOuts, 60_000);
      const tenants = (await f.provinceQuery(`SELECT id FROM tenants WHERE status = 'active'`)).rows.map((r) => r.id as string);
      const jobIds = [...fanOuts, ...tenants.map((t) => sendDueJobId(t, day)), ...reruns];
      await reminders.expectAllCompleted(jobIds, 90_000);
      // every job ran once, but the one whose attempt hit the fault: run twice, retried once
      const retried = jobIds.filter((id) => reminders.delayed.has(id));
      expect((await owner.query(`SELECT last_value::int AS n FROM ${fault}`)).rows[0].n).toBeGreaterThanOrEqual(FAULT_AT_ROW);
      expect(retried).toHaveLength(1);
      expect(jobIds.map((id) => [id, reminders.active.get(id), reminders.delayed.get(id), reminders.completed.get(id)])).toEqual(
        jobIds.map((id) => (retried.includes(id) ? [id, 2, 1, 1] : [id, 1, undefined, 1])),
      );
      // ... and its first attempt failed on the fault (logged by the worker that ran it), nothing else failed
      const failedLines = workers.flatMap((w) => w.output().split('\n').filter((l) => /job reminders\.\S+ \S+ failed \(attempt/.test(l)).map((l) => ({ worker: w.name, line: l })));
      expect(failedLines.map((l) => l.line.match(/job (reminders\.\S+ \S+ failed \(attempt \d+\)): (scale-out test: [^"]*)/)?.slice(1))).toEqual([
        [`reminders.send-due ${retried[0]} failed (attempt 1)`, `scale-out test: reminder-delivery write ${FAULT_AT_ROW} of the college fails once`],
      ]);

      const records = (
        await f.provinceQuery(
          `SELECT tenant_id::text AS tenant, recipient_user_id::text AS recipient, dedupe_key AS key, kind, subject_id::text AS subject FROM reminder_deliveries WHERE day = $1
           UNION ALL SELECT NULL, recipient_user_id::text, dedupe_key, kind, subject_id::text FROM province_reminder_deliveries WHERE day = $1`,
          [day],
        )
      ).rows as { tenant: string | null; recipient: string; key: string; kind: string; subject: string }[];
      // the college: every reminder due that day, to each of its recipients, once
      const variant = (key: string) => key.split(':')[2];
      expect(records.filter((r) => r.tenant === college.tenantId).map((r) => `${r.kind}:${variant(r.key)}>${r.recipient}`).sort()).toEqual(college.expected);
      const provinceAdmins = (
        await f.query(`SELECT DISTINCT m.user_id::text AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.role = 'province-admin' AND m.status = 'active' AND u.status = 'active'`)
      ).rows.map((r) => r.id);
      expect(records.filter((r) => r.subject === college.batchId).map((r) => `${r.kind}:${variant(r.key)}>${r.recipient}`).sort()).toEqual(
        provinceAdmins.map((id) => `reminder.public-notice-ending:ending>${id}`).sort(),
      );
      // what the jobs say they delivered adds up to the same, however the runs shared the work
      const delivered = (ids: string[], field: 'delivered' | 'province') => ids.reduce((n, id) => n + Number((reminders.results.get(id) as Record<string, number>)[field]), 0);
      const collegeJobs = [sendDueJobId(college.tenantId, day), ...reruns];
      expect(delivered(collegeJobs, 'delivered')).toBe(college.expected.length);
      expect(delivered(fanOuts, 'province')).toBe(records.filter((r) => r.tenant === null).length);
      // the whole day (every college and the province): one record and one notification per reminder and recipient
      const keyOf = (r: { tenant: string | null; recipient: string; key: string }) => `${r.tenant ?? 'province'}|${r.recipient}|${r.key}`;
      const recordKeys = records.map(keyOf).sort();
      expect(new Set(recordKeys).size).toBe(recordKeys.length);
      const sent = (
        await f.provinceQuery(
          `SELECT id::text, tenant_id::text AS tenant, recipient_user_id::text AS recipient, dedupe_key AS key FROM notifications WHERE kind LIKE 'reminder.%' AND dedupe_key LIKE '%:' || $1`,
          [day],
        )
      ).rows as { id: string; tenant: string | null; recipient: string; key: string }[];
      expect(sent.map(keyOf).sort()).toEqual(recordKeys);
      // and each notification delivered once: its job run once, each channel's outcome recorded once
      // (no SMTP and no SMS preference in this run: both are recorded as skipped)
      await notifications.expectEachOnce(sent.map((n) => deliverJobId(n.id)), 90_000);
      const channels = await f.provinceQuery(
        `SELECT notification_id::text AS id, array_agg(channel ORDER BY channel) AS channels FROM notification_deliveries WHERE notification_id = ANY($1::uuid[]) GROUP BY 1`,
        [sent.map((n) => n.id)],
      );
      expect(channels.rows.map((r) => [r.id, r.channels]).sort()).toEqual(sent.map((n) => [n.id, ['email', 'sms']]).sort());
      const shares = collegeJobs.map((id) => (reminders.results.get(id) as { delivered: number }).delivered).join('+');
      const reminderCount = (which: (r: (typeof records)[number]) => boolean) => new Set(records.filter(which).map((r) => `${r.tenant}|${r.key}`)).size;
      const kinds = new Set(college.expected.map((e) => e.split(':')[0])).size;
      const retriedJob = retried[0] === sendDueJobId(college.tenantId, day) ? "the college's daily job" : retried[0].slice(retried[0].lastIndexOf('_') + 1);
      console.log(
        `[scale] one day of reminders on 2 workers (3 fan-outs at one moment, ${tenants.length} colleges, 2 re-runs of the seeded college, ${retriedJob} failed once on ${failedLines[0].worker} and was retried): ` +
          `${reminderCount(() => true)} reminders (${reminderCount((r) => r.tenant === college.tenantId)} of ${kinds} kinds for the seeded college, ${reminderCount((r) => r.tenant === null)} province) ` +
          `to ${records.length} recipients (the college's ${college.expected.length} delivered by its 3 jobs as ${shares}): ${sent.length} notifications and ${sent.length} deliveries, each once, in ${Date.now() - started} ms`,
      );
    } finally {
      await owner.query(`DROP TRIGGER IF EXISTS ${fault} ON reminder_deliveries`).catch(() => undefined);
      await owner.query(`DROP FUNCTION IF EXISTS ${fault}()`).catch(() => undefined);
      await owner.query(`DROP SEQUENCE IF EXISTS ${fault}`).catch(() => undefined);
      await Promise.all(clients.map((q) => q.close()));
      await pool.end();
      await owner.end();
    }
  }, 240_000);
});
