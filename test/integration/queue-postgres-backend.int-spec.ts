import { Processor } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import {
  JobHandlers,
  JOB_QUEUE,
  JOB_SCHEDULES,
  JobScheduleRegistrar,
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

// No Redis: the embedded default, BullMQ on PostgreSQL (schema `bullmq`, runtime role app_user).
delete process.env.REDIS_URL;

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

@Injectable()
class TenantProbe {
  readonly seen: { day: string; tenantSetting: string }[] = [];
  constructor(private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>) {}

  @Transactional()
  async record(day: string): Promise<void> {
    const [row] = await this.txHost.tx.query("SELECT current_setting('app.tenant_id', true) AS t");
    this.seen.push({ day, tenantSetting: row.t });
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

@Injectable()
class Enqueuer {
  constructor(private readonly outbox: OutboxService) {}

  @Transactional()
  async commit(tenantId: string, day: string): Promise<string> {
    return this.outbox.enqueue(QUEUES.reminders, 'reminders.send-due', { tenantId, day });
  }

  @Transactional()
  async rollBack(tenantId: string, day: string): Promise<never> {
    await this.outbox.enqueue(QUEUES.reminders, 'reminders.send-due', { tenantId, day });
    throw new Error('rolled back');
  }
}

describe('jobs infrastructure on the PostgreSQL backend (no REDIS_URL)', () => {
  let moduleRef: TestingModule;
  let tenantContext: TenantContext;
  let enqueuer: Enqueuer;
  let probe: TenantProbe;
  const tenantId = randomUUID();
  const relayFrom = (ref: TestingModule) =>
    new OutboxRelay(ref.get(DataSource), ref.get(OutboxRepository), ref.get(QueueRegistry), ref.get(AppConfig));
  const reminders = () => moduleRef.get(QueueRegistry).get(QUEUES.reminders);

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, QueueWorkerModule],
      providers: [TenantProbe, ProbeRemindersProcessor, Enqueuer],
    }).compile();
    await moduleRef.init();
    tenantContext = moduleRef.get(TenantContext);
    enqueuer = moduleRef.get(Enqueuer);
    probe = moduleRef.get(TenantProbe);
    await moduleRef.get(OutboxRelay).stop();
  });

  afterAll(async () => {
    for (const q of moduleRef?.get(QueueRegistry).all() ?? []) await q.obliterate({ force: true }).catch(() => undefined);
    await moduleRef?.close();
  });

  it('runs as app_user, which owns nothing and cannot create schemas (the migration made `bullmq`)', async () => {
    const c = new Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try {
      const r = await c.query("SELECT current_user AS u, has_database_privilege(current_database(), 'CREATE') AS can_create");
      expect(r.rows[0]).toEqual({ u: 'app_user', can_create: false });
    } finally {
      await c.end();
    }
  });

  it('delivers a committed job once, tenant pinned; a rolled-back one never', async () => {
    await expect(tenantContext.runAsTenant(tenantId, () => enqueuer.rollBack(tenantId, '2026-03-01'))).rejects.toThrow('rolled back');
    const jobId = await tenantContext.runAsTenant(tenantId, () => enqueuer.commit(tenantId, '2026-03-02'));
    const results = await Promise.all([relayFrom(moduleRef).relayPending(), relayFrom(moduleRef).relayPending()]);
    expect(results.reduce((n, r) => n + r.dispatched, 0)).toBe(1);

    await waitFor(() => reminders().getJobState(jobId), (s) => s === 'completed');
    await reminders().add('reminders.send-due', { tenantId, day: '2026-03-02' }, { jobId }); // a replay: ignored
    expect(await reminders().getJobState(jobId)).toBe('completed');
    expect(probe.seen).toEqual([{ day: '2026-03-02', tenantSetting: tenantId }]);
  });

  it('a scheduler upserted by two callers at once exists once', async () => {
    const registrar = moduleRef.get(JobScheduleRegistrar);
    await Promise.all([registrar.registerAll(), registrar.registerAll()]);
    // schedules live on the queue of their job (maintenance, reminders, notifications …)
    const queues = [...new Set(JOB_SCHEDULES.map((s) => JOB_QUEUE[s.job]))].map((name) => moduleRef.get(QueueRegistry).get(name));
    const expected = JOB_SCHEDULES.map((s) => s.id).sort();
    expect((await Promise.all(queues.map((q) => q.getJobSchedulers()))).flat().map((s) => s.key).sort()).toEqual(expected);
    // … and they live in PostgreSQL, not in some Redis.
    const rows = await moduleRef.get(DataSource).query('SELECT count(*)::int AS n FROM bullmq.scheduler');
    expect(rows[0].n).toBe(expected.length);
  });

  it('answers the health ping and reports depths', async () => {
    await moduleRef.get(QueueHealth).ping();
    const depths = await moduleRef.get(QueueDepthReader).depths();
    // each scheduler of the queue keeps its next iteration waiting as a delayed job
    const scheduled = JOB_SCHEDULES.filter((s) => JOB_QUEUE[s.job] === QUEUES.reminders).length;
    expect(depths.reminders).toEqual({ waiting: 0, active: 0, delayed: scheduled, failed: 0 });
  });
});
