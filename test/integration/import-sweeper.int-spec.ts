import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { ConfigModule } from '../../config/config.module';
import { importJobId, ImportSweeper, StudentsCoreModule } from '../../modules/students';
import { DatabaseModule } from '../../src/database/database.module';
import { QueueModule, QueueRegistry, QUEUES } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import { IdentityFactory } from '../factories/identity.factory';
import { cohortRow } from '../e2e/matrix/cohorts.fixtures';
import { inTenant } from '../e2e/matrix/programmes.fixtures';

process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jts${randomBytes(4).toString('hex')}`;

/** Issue 8 item 14: an import whose record says queued/running but has no job gets one again, once. */
describe('import sweeper', () => {
  let moduleRef: TestingModule;
  let f: IdentityFactory;
  let imports: Queue;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, StudentsCoreModule],
      providers: [ImportSweeper],
    }).compile();
    await moduleRef.init();
    f = await IdentityFactory.open();
    imports = moduleRef.get(QueueRegistry).get(QUEUES.imports);
  });
  afterAll(async () => {
    await imports?.obliterate({ force: true }).catch(() => undefined);
    await f?.close();
    await moduleRef?.close();
  });

  const importRow = async (tenantId: string, status: 'queued' | 'running' | 'succeeded') => {
    const { cohortId } = await cohortRow(f, tenantId);
    return (
      await inTenant(f, tenantId, () =>
        f.query(
          `INSERT INTO student_imports (tenant_id, cohort_id, file_name, format, status, created_at) VALUES ($1, $2, 'a.csv', 'csv', $3, now() - interval '10 minutes') RETURNING id`,
          [tenantId, cohortId, status],
        ),
      )
    ).rows[0].id as string;
  };

  it('re-enqueues queued and running imports of every college that have no job (same job id), leaves finished ones and live jobs alone, and a second sweep adds nothing', async () => {
    const sweeper = moduleRef.get(ImportSweeper);
    // imports other files of this run left queued with no worker are swept first, so the counts below are this test's own
    await sweeper.sweep(60);
    const [a, b] = [await f.tenant(), await f.tenant()];
    const lostQueued = await importRow(a, 'queued');
    const lostRunning = await importRow(b, 'running');
    const live = await importRow(a, 'queued');
    const done = await importRow(b, 'succeeded');
    await imports.add('imports.process', { tenantId: a, importId: live }, { jobId: importJobId(live) });

    const first = await sweeper.sweep(60);
    expect(first.requeued).toBe(2);
    for (const [tenantId, id] of [[a, lostQueued], [b, lostRunning]]) {
      const job = await imports.getJob(importJobId(id));
      expect(job?.data).toEqual({ tenantId, importId: id });
      expect(await imports.getJobState(importJobId(id))).toBe('waiting');
    }
    expect(await imports.getJobState(importJobId(done))).toBe('unknown');

    const second = await sweeper.sweep(60);
    expect(second.requeued).toBe(0);
    const ids = (await imports.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).map((j) => j.id);
    expect(ids.filter((id) => [lostQueued, lostRunning, live, done].map(importJobId).includes(id ?? '')).sort()).toEqual([lostQueued, lostRunning, live].map(importJobId).sort());
    expect(ids.filter((id) => id === importJobId(lostQueued) || id === importJobId(lostRunning) || id === importJobId(live))).toHaveLength(3);
  });

  it('an import younger than the grace period is not touched (its outbox row may not be relayed yet)', async () => {
    const tenantId = await f.tenant();
    const { cohortId } = await cohortRow(f, tenantId);
    const fresh = (
      await inTenant(f, tenantId, () =>
        f.query(`INSERT INTO student_imports (tenant_id, cohort_id, file_name, format, status) VALUES ($1, $2, 'b.csv', 'csv', 'queued') RETURNING id`, [tenantId, cohortId]),
      )
    ).rows[0].id as string;
    await moduleRef.get(ImportSweeper).sweep(60);
    expect(await imports.getJobState(importJobId(fresh))).toBe('unknown');
  });
});
