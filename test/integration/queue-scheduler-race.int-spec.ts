import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule } from '../../config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { JOB_QUEUE, JOB_SCHEDULES, JobScheduleRegistrar, QueueModule, QueueRegistry } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenancyModule } from '../../src/tenancy/tenancy.module';

// The PostgreSQL backend (no REDIS_URL), where the race was seen.
delete process.env.REDIS_URL;

/**
 * Issue 8 item 18: two workers starting together on the PostgreSQL queue backend upsert the
 * same schedulers at the same moment; one could fail at boot with "job ID already exists".
 * Two module instances here are two processes' queue clients (each its own connection pool).
 */
describe('job schedulers upserted by two workers at once (PostgreSQL backend)', () => {
  let a: TestingModule;
  let b: TestingModule;
  const build = () => Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule] , providers: [JobScheduleRegistrar] }).compile();

  beforeAll(async () => {
    [a, b] = await Promise.all([build(), build()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('20 simultaneous boots of two registrars never fail and leave exactly one scheduler per id', async () => {
    const registry = a.get(QueueRegistry);
    // schedules live on the queue of their job (maintenance, reminders, notifications …)
    const queues = [...new Set(JOB_SCHEDULES.map((s) => JOB_QUEUE[s.job]))].map((name) => registry.get(name));
    const schedulerKeys = async () => (await Promise.all(queues.map((q) => q.getJobSchedulers()))).flat().map((s) => s.key).sort();
    const expected = JOB_SCHEDULES.map((s) => s.id).sort();
    for (let round = 0; round < 20; round++) {
      // a first boot (no schedulers yet) every other round, a restart (schedulers there) otherwise
      if (round % 2 === 0) for (const s of JOB_SCHEDULES) await registry.get(JOB_QUEUE[s.job]).removeJobScheduler(s.id);
      const outcomes = await Promise.allSettled([a.get(JobScheduleRegistrar).registerAll(), b.get(JobScheduleRegistrar).registerAll()]);
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      expect(await schedulerKeys()).toEqual(expected);
    }
  }, 120_000);
});
