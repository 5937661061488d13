import { TransactionHost } from '@nestjs-cls/transactional';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_JOB_OPTIONS, OutboxService, QueueRegistry, QUEUES } from '../../src/queue';
import { REDIS, RedisClient } from '../../src/redis/redis.module';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { TenantPinningTypeOrmAdapter } from '../../src/tenancy/tenant-pinning.adapter';
import { bootApp, TestApp } from '../setup/app';
import { killAllChildren, PrivateRedis, spawnTs, TestChild, waitFor } from '../setup/child-process';
import { ownerClient } from '../setup/db';

/**
 * QUALITY §3 with real processes: worker processes (test/fixtures/reliability-worker.ts, the
 * production src/worker.ts plus one test processor) are killed, terminated and cut off from
 * Redis, and the test checks what happened in PostgreSQL and Redis. The outbox's rollback
 * and relay-crash claims are proven in queue-outbox-redis.int-spec.ts and not repeated here.
 *
 * The fixture's processor: concurrency 1, lockDuration 3 s, stalledInterval 1 s. Each job
 * logs start/effect/done in `run_log`, writes its effect once (unique key) and then holds
 * while the test keeps its `gate` row closed.
 *
 * Run in band (as `npm test` does): the fixture workers run the production outbox relay,
 * which relays every pending row of the run's database, not only this file's.
 */

// Shared Redis for the kill/SIGTERM tests, under a prefix of this file's own.
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jtr${randomBytes(4).toString('hex')}`;
const SHARED_REDIS_URL = process.env.REDIS_URL;
const PREFIX = process.env.QUEUE_PREFIX;
const SCHEMA = `reliability_${randomBytes(4).toString('hex')}`;

const FIXTURE = 'test/fixtures/reliability-worker.ts';
/** Booting a worker from sources (transpile + Nest) on a loaded 2-core machine. */
const BOOT_MS = 40_000;

interface LogRow {
  job_id: string;
  import_id: string;
  worker: string;
  event: string;
  at: Date;
}

describe('queue reliability with real processes (QUALITY §3)', () => {
  let db: Client;
  let imports: Queue;
  const tenantId = randomUUID();

  const runLog = async (importId: string): Promise<LogRow[]> =>
    (await db.query(`SELECT job_id, import_id, worker, event, at FROM ${SCHEMA}.run_log WHERE import_id = $1 ORDER BY id`, [importId])).rows;
  const events = async (importId: string): Promise<string[]> => (await runLog(importId)).map((r) => `${r.worker}:${r.event}`);
  const effects = async (importId: string) =>
    (await db.query(`SELECT import_id, tenant_id, worker FROM ${SCHEMA}.effect WHERE import_id = $1`, [importId])).rows;
  const setGate = (importId: string, open: boolean) =>
    db.query(`INSERT INTO ${SCHEMA}.gate (import_id, open) VALUES ($1, $2) ON CONFLICT (import_id) DO UPDATE SET open = $2`, [importId, open]);

  /** A worker process, returned once it has logged "worker started" (schedules, relay and workers up). */
  async function startWorker(name: string, env: Record<string, string> = {}): Promise<TestChild> {
    const child = spawnTs(name, FIXTURE, {
      ...process.env,
      RELIABILITY_SCHEMA: SCHEMA,
      RELIABILITY_WORKER: name,
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: '3',
      ...env,
    });
    await child.waitForOutput(/"msg":"worker started"/, BOOT_MS);
    return child;
  }

  beforeAll(async () => {
    db = await ownerClient();
    // A schema of this file's own (dropped after), so the catalog guards never see these tables.
    await db.query(`
      CREATE SCHEMA ${SCHEMA};
      CREATE TABLE ${SCHEMA}.effect (import_id text PRIMARY KEY, tenant_id text NOT NULL, worker text NOT NULL);
      CREATE TABLE ${SCHEMA}.run_log (id bigserial PRIMARY KEY, job_id text NOT NULL, import_id text NOT NULL,
        worker text NOT NULL, event text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
      CREATE TABLE ${SCHEMA}.gate (import_id text PRIMARY KEY, open boolean NOT NULL);
      CREATE TABLE ${SCHEMA}.orders (id uuid PRIMARY KEY, tenant_id text NOT NULL);
      GRANT USAGE ON SCHEMA ${SCHEMA} TO app_user;
      GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${SCHEMA} TO app_user;
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${SCHEMA} TO app_user;
    `);
    imports = new Queue(QUEUES.imports, {
      connection: { url: SHARED_REDIS_URL, maxRetriesPerRequest: null },
      prefix: PREFIX,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
  });

  afterAll(async () => {
    await killAllChildren();
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection: { url: SHARED_REDIS_URL, maxRetriesPerRequest: null }, prefix: PREFIX });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await imports?.close();
    await db?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await db?.end();
  });

  it('kill -9 mid-job: the job is recovered after the stall interval, its effect happens once and it completes once', async () => {
    const workerA = await startWorker('worker-a');
    const importId = randomUUID();
    const jobId = `reliability-kill-${importId}`;
    await setGate(importId, false);
    await imports.add('imports.process', { tenantId, importId }, { jobId });
    // A has committed the effect and holds the job, unacknowledged.
    await waitFor(() => events(importId), (e) => e.includes('worker-a:effect'), 20_000, 'worker-a applied the effect');

    const workerB = await startWorker('worker-b');
    // A's lock is alive while it runs: B, although idle, takes nothing.
    expect(await imports.getJobState(jobId)).toBe('active');
    expect(await events(importId)).toEqual(['worker-a:start', 'worker-a:effect']);

    workerA.signal('SIGKILL');
    expect(await workerA.waitForExit(5_000)).toEqual({ code: null, signal: 'SIGKILL' });
    // On the database's clock, like run_log.at.
    const killedAt: Date = (await db.query('SELECT clock_timestamp() AS t')).rows[0].t;
    await setGate(importId, true);

    await waitFor(() => imports.getJobState(jobId), (s) => s === 'completed', 30_000, 'job completed after the kill');
    const log = await runLog(importId);
    expect(log.map((r) => `${r.worker}:${r.event}`)).toEqual([
      'worker-a:start',
      'worker-a:effect',
      'worker-b:start',
      'worker-b:effect-already-there',
      'worker-b:done',
    ]);
    // Recovered by the stall check (lock 3 s, check every 1 s), not by a retry after a failure.
    const recoveredAfterMs = log[2].at.getTime() - killedAt.getTime();
    expect(recoveredAfterMs).toBeLessThan(15_000);
    expect(await effects(importId)).toEqual([{ import_id: importId, tenant_id: tenantId, worker: 'worker-a' }]);
    const job = await imports.getJob(jobId);
    expect({ stalled: job?.stalledCounter, started: job?.attemptsStarted, made: job?.attemptsMade }).toEqual({
      stalled: 1,
      started: 2,
      made: 1,
    });
    expect(job?.returnvalue).toEqual({ applied: false });
    console.log(`kill -9: job recovered by worker-b ${recoveredAfterMs} ms after the kill`);

    workerB.signal('SIGTERM');
    await workerB.waitForExit(20_000);
  }, 60_000);

  it('SIGTERM mid-job: the worker finishes the running job, takes no new one and exits 0', async () => {
    const worker = await startWorker('worker-c');
    const running = randomUUID();
    const next = randomUUID();
    await setGate(running, false);
    await imports.add('imports.process', { tenantId, importId: running }, { jobId: `reliability-term-${running}` });
    await waitFor(() => events(running), (e) => e.includes('worker-c:effect'), 20_000, 'worker-c holds the first job');
    // Concurrency 1: the second job waits while the first runs.
    await imports.add('imports.process', { tenantId, importId: next }, { jobId: `reliability-term-${next}` });

    worker.signal('SIGTERM');
    // The running handler sees its worker closing; only then is it let go.
    await waitFor(() => events(running), (e) => e.includes('worker-c:closing-seen'), 15_000, 'worker closing');
    await setGate(running, true);

    const exit = await worker.waitForExit(20_000);
    expect(await events(running)).toEqual(['worker-c:start', 'worker-c:effect', 'worker-c:closing-seen', 'worker-c:done']);
    expect(await imports.getJobState(`reliability-term-${running}`)).toBe('completed');
    expect(await imports.getJobState(`reliability-term-${next}`)).toBe('waiting');
    expect(await events(next)).toEqual([]);
    // WorkerDrain (the production shutdown path) did the draining.
    expect(worker.output()).toMatch(/SIGTERM: draining \d+ worker\(s\)/);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 60_000);

  describe('Redis unavailable for 20 s (a private redis-server; the shared one is never touched)', () => {
    const OUTAGE_MS = 20_000;
    const JOBS_DURING_OUTAGE = 10;
    let redis: PrivateRedis;
    let api: TestApp | undefined;
    let worker: TestChild | undefined;
    const outagePrefix = `${PREFIX}o`;

    beforeAll(async () => {
      redis = await PrivateRedis.start();
    });

    afterAll(async () => {
      await api?.close().catch(() => undefined);
      await worker?.kill();
      await redis?.stop();
    });

    /** What an API request does: a business row and its job, in one transaction. */
    async function placeOrder(app: TestApp, importId: string): Promise<{ jobId: string; ms: number }> {
      const txHost = app.app.get(TransactionHost) as TransactionHost<TenantPinningTypeOrmAdapter>;
      const outbox = app.app.get(OutboxService);
      const started = Date.now();
      const jobId = await app.app.get(TenantContext).runAsTenant(tenantId, () =>
        txHost.withTransaction(async () => {
          await txHost.tx.query(`INSERT INTO ${SCHEMA}.orders (id, tenant_id) VALUES ($1, current_setting('app.tenant_id'))`, [importId]);
          return outbox.enqueue(QUEUES.imports, 'imports.process', { tenantId, importId }, { jobId: `reliability-outage-${importId}` });
        }),
      );
      return { jobId, ms: Date.now() - started };
    }

    const outboxRows = async (jobIds: string[]) =>
      (
        await db.query(
          'SELECT job_id, dispatched_at IS NOT NULL AS dispatched, attempts, last_error FROM outbox WHERE job_id = ANY($1) ORDER BY id',
          [jobIds],
        )
      ).rows as { job_id: string; dispatched: boolean; attempts: number; last_error: string | null }[];

    it('requests commit their outbox rows while Redis is down; after it returns every job runs exactly once', async () => {
      // The API process (AppModule) and a worker process, both on the private Redis.
      const env = { REDIS_URL: redis.url, QUEUE_PREFIX: outagePrefix };
      const workerStarting = startWorker('worker-o', env);
      const saved = { REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: process.env.QUEUE_PREFIX };
      Object.assign(process.env, env);
      try {
        api = await bootApp();
      } finally {
        Object.assign(process.env, saved);
      }
      worker = await workerStarting;
      // Reconnect errors are expected while Redis is away; count them instead of printing each.
      let apiRedisErrors = 0;
      for (const q of api.app.get(QueueRegistry).all()) q.on('error', () => (apiRedisErrors += 1));
      (api.app.get(REDIS) as NonNullable<RedisClient>).on('error', () => (apiRedisErrors += 1));

      // The path works end to end before the outage.
      const warmUp = randomUUID();
      await placeOrder(api, warmUp);
      await waitFor(() => events(warmUp), (e) => e.includes('worker-o:done'), 20_000, 'warm-up job done');

      await redis.down();
      const downAt = Date.now();

      // While Redis is down: transactions with an outbox row commit at database speed, and the API answers.
      const placed: { importId: string; jobId: string; ms: number }[] = [];
      for (let i = 0; i < JOBS_DURING_OUTAGE; i++) {
        const importId = randomUUID();
        placed.push({ importId, ...(await placeOrder(api, importId)) });
      }
      const jobIds = placed.map((p) => p.jobId);
      expect(Math.max(...placed.map((p) => p.ms))).toBeLessThan(2_000);
      const live = await api.http().get('/health/live');
      expect(live.status).toBe(200);
      const readyStarted = Date.now();
      const ready = await api.http().get('/health/ready');
      expect({ status: ready.status, fast: Date.now() - readyStarted < 5_000 }).toEqual({ status: 503, fast: true });
      expect(await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.orders WHERE id = ANY($1)`, [placed.map((p) => p.importId)])).toMatchObject({
        rows: [{ n: JOBS_DURING_OUTAGE }],
      });

      // The relay keeps trying (attempts, last_error) and keeps every row.
      await waitFor(
        () => outboxRows(jobIds),
        (rows) => rows.length === JOBS_DURING_OUTAGE && rows.every((r) => !r.dispatched) && rows.some((r) => r.attempts > 0),
        OUTAGE_MS,
        'relay failed attempts recorded while Redis is down',
      );

      // The API keeps answering for the whole outage.
      let slowestLiveMs = 0;
      while (Date.now() - downAt < OUTAGE_MS) {
        const t = Date.now();
        expect((await api.http().get('/health/live')).status).toBe(200);
        slowestLiveMs = Math.max(slowestLiveMs, Date.now() - t);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(slowestLiveMs).toBeLessThan(1_000);
      const pendingAtReturn = (await outboxRows(jobIds)).filter((r) => !r.dispatched).length;
      expect(pendingAtReturn).toBe(JOBS_DURING_OUTAGE);

      // Redis returns on the same port, empty (no persistence): the outbox is the only copy of the work.
      await redis.up();
      const upAt = Date.now();
      const doneCount = async () =>
        (
          await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.run_log WHERE import_id = ANY($1) AND event = 'done'`, [
            placed.map((p) => p.importId),
          ])
        ).rows[0].n as number;
      await waitFor(
        doneCount,
        (n) => n >= JOBS_DURING_OUTAGE,
        40_000,
        'every job of the outage done',
      );
      const deliveredAfterMs = Date.now() - upAt;

      // Nothing lost, nothing twice: one start, one effect, one done per job; one job per id in Redis.
      for (const p of placed) {
        expect(await events(p.importId)).toEqual(['worker-o:start', 'worker-o:effect', 'worker-o:done']);
        expect(await effects(p.importId)).toHaveLength(1);
      }
      expect((await outboxRows(jobIds)).every((r) => r.dispatched)).toBe(true);
      const queue = api.app.get(QueueRegistry).get(QUEUES.imports);
      const completed = await queue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']);
      const mine = completed.map((j) => j.id).filter((id): id is string => jobIds.includes(id ?? ''));
      expect(mine.sort()).toEqual([...jobIds].sort());
      for (const id of jobIds) expect(await queue.getJobState(id)).toBe('completed');

      console.log(
        `redis outage: ${JOBS_DURING_OUTAGE} transactions committed in ≤ ${Math.max(...placed.map((p) => p.ms))} ms each, ` +
          `/health/live ≤ ${slowestLiveMs} ms, ${apiRedisErrors} Redis errors seen by the API, ` +
          `all delivered ${deliveredAfterMs} ms after Redis returned`,
      );

      worker.signal('SIGTERM');
      await worker.waitForExit(20_000);
    }, 90_000);
  });
});
