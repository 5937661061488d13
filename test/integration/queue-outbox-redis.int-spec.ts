import { Processor } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { Job, Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import {
  JobHandlers,
  JOB_QUEUE,
  JOB_SCHEDULES,
  JobScheduleRegistrar,
  OutboxNeedsTransactionError,
  OutboxRelay,
  OutboxService,
  QueueDepthReader,
  QueueHealth,
  QueueModule,
  QueueRegistry,
  QueueWorkerModule,
  QUEUES,
  TenantJobProcessor,
} from '../../src/queue';
import { OutboxRepository } from '../../src/queue/outbox/outbox.repository';
import { RedisModule } from '../../src/redis/redis.module';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import type { TenantPinningTypeOrmAdapter } from '../../src/tenancy/tenant-pinning.adapter';
import { appPool, asTenant } from '../setup/db';

// Real Redis; a prefix of this file's own so parallel runs and other files never meet.
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jtq${randomBytes(4).toString('hex')}`;

/** Polls until `ok` holds; fails with the last value after `timeoutMs`. Never a fixed sleep. */
async function waitFor<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}

interface Seen {
  day: string;
  tenantSetting: string;
  scopeSetting: string;
  auditRowsVisible: number;
}

/** What a handler sees inside @Transactional(): the pinned tenant and what RLS lets through. */
@Injectable()
class TenantProbe {
  readonly seen: Seen[] = [];
  constructor(private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>) {}

  @Transactional()
  async record(day: string): Promise<void> {
    const [row] = await this.txHost.tx.query(
      `SELECT current_setting('app.tenant_id', true) AS t, current_setting('app.scope', true) AS s,
              (SELECT count(*)::int FROM audit_log WHERE entity = 'queue-probe') AS n`,
    );
    this.seen.push({ day, tenantSetting: row.t, scopeSetting: row.s, auditRowsVisible: row.n });
  }
}

@Processor(QUEUES.reminders)
class ProbeRemindersProcessor extends TenantJobProcessor<'reminders'> {
  constructor(
    tenantContext: TenantContext,
    private readonly probe: TenantProbe,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'reminders'> {
    return { 'reminders.send-due': (p) => this.probe.record(p.day), 'reminders.fan-out': async () => undefined };
  }
}

/** A service writing "business data" and a job in one transaction. */
@Injectable()
class Enqueuer {
  constructor(private readonly outbox: OutboxService) {}

  @Transactional()
  async commit(tenantId: string, day: string, jobId?: string): Promise<string> {
    return this.outbox.enqueue(QUEUES.reminders, 'reminders.send-due', { tenantId, day }, { jobId });
  }

  @Transactional()
  async rollBack(tenantId: string, day: string): Promise<never> {
    await this.outbox.enqueue(QUEUES.reminders, 'reminders.send-due', { tenantId, day });
    throw new Error('business rule failed after the enqueue');
  }
}

describe('jobs infrastructure on Redis: outbox, relay, tenant-pinned processors, schedules', () => {
  let moduleRef: TestingModule;
  let enqueuer: Enqueuer;
  let tenantContext: TenantContext;
  let relay: OutboxRelay;
  let reminders: Queue;
  let probe: TenantProbe;
  let pool: Pool;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  const asTenantA = <T>(fn: () => Promise<T>) => tenantContext.runAsTenant(tenantA, fn);
  const relayFrom = (ref: TestingModule) =>
    new OutboxRelay(ref.get(DataSource), ref.get(OutboxRepository), ref.get(QueueRegistry), ref.get(AppConfig));
  const seenFor = (day: string) => probe.seen.filter((s) => s.day === day);
  const pendingFor = async (jobId: string) =>
    (await pool.query('SELECT count(*)::int AS n FROM outbox WHERE job_id = $1 AND dispatched_at IS NULL', [jobId])).rows[0].n;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, QueueWorkerModule],
      providers: [TenantProbe, ProbeRemindersProcessor, Enqueuer],
    }).compile();
    await moduleRef.init();
    enqueuer = moduleRef.get(Enqueuer);
    tenantContext = moduleRef.get(TenantContext);
    relay = moduleRef.get(OutboxRelay);
    reminders = moduleRef.get(QueueRegistry).get(QUEUES.reminders);
    probe = moduleRef.get(TenantProbe);
    // The tests drive relays by hand; the one test about wake-ups restarts it.
    await relay.stop();
    pool = appPool(2);
    // One audit row per tenant: a handler pinned to A must see exactly one.
    for (const tenantId of [tenantA, tenantB]) {
      await asTenant(pool, { tenantId }, (c) => c.query("INSERT INTO audit_log (entity, action) VALUES ('queue-probe', 'seed')"));
    }
  });

  afterAll(async () => {
    await relay?.stop();
    const queues = moduleRef?.get(QueueRegistry).all() ?? [];
    for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
    await moduleRef?.close();
    await pool?.end();
  });

  it('refuses to enqueue outside a transaction', async () => {
    await expect(
      asTenantA(() => moduleRef.get(OutboxService).enqueue(QUEUES.reminders, 'reminders.send-due', { tenantId: tenantA, day: '2026-01-01' })),
    ).rejects.toBeInstanceOf(OutboxNeedsTransactionError);
  });

  it('refuses a job for another college than the current one', async () => {
    await expect(asTenantA(() => enqueuer.commit(tenantB, '2026-01-02'))).rejects.toThrow(/differs from the current tenant/);
  });

  it('a rolled-back transaction produces no job', async () => {
    const day = '2026-02-01';
    await expect(asTenantA(() => enqueuer.rollBack(tenantA, day))).rejects.toThrow('business rule failed');
    const rows = await pool.query("SELECT count(*)::int AS n FROM outbox WHERE payload->>'day' = $1", [day]);
    expect(rows.rows[0].n).toBe(0);
    await relayFrom(moduleRef).relayPending();
    // (the reminders queue also holds its scheduler's next fan-out, delayed: only this day's job counts)
    const jobs = await reminders.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    expect(jobs.filter((j) => j.name === 'reminders.send-due' && j.data?.day === day)).toEqual([]);
  });

  it('a committed job is delivered once when two relays run concurrently, with the tenant pinned', async () => {
    const day = '2026-02-02';
    const jobId = await asTenantA(() => enqueuer.commit(tenantA, day));
    const [first, second] = await Promise.all([relayFrom(moduleRef).relayPending(), relayFrom(moduleRef).relayPending()]);
    expect(first.dispatched + second.dispatched).toBe(1);
    expect(await pendingFor(jobId)).toBe(0);

    await waitFor(() => reminders.getJobState(jobId), (s) => s === 'completed');
    expect(seenFor(day)).toEqual([{ day, tenantSetting: tenantA, scopeSetting: '', auditRowsVisible: 1 }]);
  });

  it('a relay that dies after adding but before marking causes no duplicate', async () => {
    const day = '2026-02-03';
    const jobId = await asTenantA(() => enqueuer.commit(tenantA, day));
    const crashing = relayFrom(moduleRef);
    jest.spyOn(crashing as any, 'markDispatched').mockRejectedValueOnce(new Error('relay killed'));
    await expect(crashing.relayPending()).rejects.toThrow('relay killed');
    expect(await pendingFor(jobId)).toBe(1); // the row survived the crash …
    expect(await reminders.getJob(jobId)).toBeDefined(); // … and the job was already added

    const restarted = relayFrom(moduleRef);
    expect((await restarted.relayPending()).dispatched).toBe(1);
    expect(await pendingFor(jobId)).toBe(0);
    await waitFor(() => reminders.getJobState(jobId), (s) => s === 'completed');
    // A late re-add (a third relay replaying the same row) is ignored as well.
    await reminders.add('reminders.send-due', { tenantId: tenantA, day }, { jobId });
    expect(await reminders.getJobState(jobId)).toBe('completed');
    expect(seenFor(day)).toHaveLength(1);
  });

  it('two enqueues with the same jobId are one job', async () => {
    const day = '2026-02-04';
    const jobId = `reminders.send-due_${tenantA}_${day}`;
    await asTenantA(() => enqueuer.commit(tenantA, day, jobId));
    await asTenantA(() => enqueuer.commit(tenantA, day, jobId));
    expect((await relayFrom(moduleRef).relayPending()).dispatched).toBe(2);
    await waitFor(() => reminders.getJobState(jobId), (s) => s === 'completed');
    expect(seenFor(day)).toHaveLength(1);
  });

  it('equal payloads get the same default jobId', async () => {
    const one = await asTenantA(() => enqueuer.commit(tenantA, '2026-02-05'));
    const two = await asTenantA(() => enqueuer.commit(tenantA, '2026-02-05'));
    expect(one).toBe(two);
    await relayFrom(moduleRef).relayPending();
    await waitFor(() => reminders.getJobState(one), (s) => s === 'completed');
  });

  it('the running relay delivers a committed job by itself (NOTIFY, or the poll as a fallback)', async () => {
    await relay.start();
    try {
      const day = '2026-02-06';
      const jobId = await asTenantA(() => enqueuer.commit(tenantA, day));
      await waitFor(() => reminders.getJobState(jobId), (s) => s === 'completed');
      expect(seenFor(day)).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });

  it('keeps rows and counts attempts while the queue backend refuses them', async () => {
    const day = '2026-02-07';
    const jobId = await asTenantA(() => enqueuer.commit(tenantA, day));
    const broken = relayFrom(moduleRef);
    const addSpy = jest.spyOn(Queue.prototype, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
    try {
      expect(await broken.relayPending()).toEqual({ dispatched: 0, failed: 1 });
    } finally {
      addSpy.mockRestore();
    }
    const row = await pool.query('SELECT attempts, last_error, dispatched_at FROM outbox WHERE job_id = $1', [jobId]);
    expect(row.rows[0]).toMatchObject({ attempts: 1, last_error: 'Connection is closed.', dispatched_at: null });
    expect((await broken.relayPending()).dispatched).toBe(1);
    await waitFor(() => reminders.getJobState(jobId), (s) => s === 'completed');
  });

  it('a province-wide job (tenantId null) runs with province scope and no tenant', async () => {
    const jobId = 'province-probe';
    await reminders.add('reminders.send-due', { tenantId: null, day: 'province' } as never, { jobId });
    await waitFor(() => reminders.getJobState(jobId), (s) => s === 'completed');
    expect(seenFor('province')).toEqual([{ day: 'province', tenantSetting: '', scopeSetting: 'province', auditRowsVisible: 2 }]);
  });

  it('a payload without tenantId fails at once, without retries', async () => {
    const job = await reminders.add('reminders.send-due', { day: 'nobody' } as never, { jobId: 'no-tenant' });
    await waitFor(() => job.getState(), (s) => s === 'failed');
    const failed = (await reminders.getJob('no-tenant')) as Job;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/carries no tenantId/);
    expect(seenFor('nobody')).toHaveLength(0);
  });

  it('a scheduler upserted by two processes at once exists once', async () => {
    const other = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule] })
      .compile();
    try {
      const registrars = [moduleRef.get(JobScheduleRegistrar), new JobScheduleRegistrar(other.get(QueueRegistry))];
      await Promise.all(registrars.map((r) => r.registerAll()));
      // schedules live on the queue of their job (maintenance, reminders, notifications …)
      const queues = [...new Set(JOB_SCHEDULES.map((s) => JOB_QUEUE[s.job]))].map((name) => moduleRef.get(QueueRegistry).get(name));
      const schedulers = (await Promise.all(queues.map((q) => q.getJobSchedulers()))).flat();
      const expected = JOB_SCHEDULES.map((s) => s.id).sort();
      expect(schedulers.map((s) => s.key).sort()).toEqual(expected);
      expect((await Promise.all(queues.map((q) => q.getJobSchedulersCount()))).reduce((a, b) => a + b, 0)).toBe(expected.length);
    } finally {
      await other.close();
    }
  });

  it('reports depths per queue and answers the health ping', async () => {
    await moduleRef.get(QueueHealth).ping();
    const depths = await moduleRef.get(QueueDepthReader).depths();
    expect(Object.keys(depths).sort()).toEqual(['imports', 'kpis', 'maintenance', 'notifications', 'reminders', 'reports']);
    expect(depths.reminders).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: 1 });
  });
});
