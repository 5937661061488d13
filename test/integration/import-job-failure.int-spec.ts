import { Test, TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError } from 'bullmq';
import { ConfigModule } from '../../config/config.module';
import { importJobId, StudentImportJobsModule, StudentImportService } from '../../modules/students';
import { DatabaseModule } from '../../src/database/database.module';
import { QueueModule, QueueRegistry, QUEUES } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import { IdentityFactory } from '../factories/identity.factory';
import { cohortRow } from '../e2e/matrix/cohorts.fixtures';
import { inTenant } from '../e2e/matrix/programmes.fixtures';

process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jtf${randomBytes(4).toString('hex')}`;

/**
 * Issue 8 item 10: an import whose job fails for good — every attempt used up, or an
 * unrecoverable error — ends `failed` with a reason, instead of staying `running` forever.
 * The real BullMQ queue and the real import worker (StudentImportJobsModule); only the
 * import's processing is made to throw, as a worker that runs out of memory on the file would.
 */
describe('an import whose job fails for good (real queue and worker)', () => {
  let moduleRef: TestingModule;
  let f: IdentityFactory;
  let imports: Queue;
  let service: StudentImportService;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, StudentImportJobsModule],
    }).compile();
    await moduleRef.init();
    f = await IdentityFactory.open();
    imports = moduleRef.get(QueueRegistry).get(QUEUES.imports);
    service = moduleRef.get(StudentImportService);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await imports?.obliterate({ force: true }).catch(() => undefined);
    await f?.close();
    await moduleRef?.close();
  });

  const importRow = async (tenantId: string) => {
    const { cohortId } = await cohortRow(f, tenantId);
    return (
      await inTenant(f, tenantId, () =>
        f.query(`INSERT INTO student_imports (tenant_id, cohort_id, file_name, format, status, created_at) VALUES ($1, $2, 'roster.xlsx', 'xlsx', 'running', now()) RETURNING id`, [tenantId, cohortId]),
      )
    ).rows[0].id as string;
  };
  const statusOf = async (tenantId: string, id: string) =>
    (await inTenant(f, tenantId, () => f.query('SELECT status, errors FROM student_imports WHERE id = $1', [id]))).rows[0] as { status: string; errors: { message: string }[] };

  /** Polls until `done` (the worker's failed handler runs after BullMQ records the failure). */
  async function until(what: string, done: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await done())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('every attempt fails: the import stays running between attempts and ends failed, with the reason, after the last one', async () => {
    const tenantId = await f.tenant();
    const id = await importRow(tenantId);
    let attempts = 0;
    const spy = jest.spyOn(service, 'process').mockImplementation(async () => {
      attempts++;
      throw new Error('JavaScript heap out of memory (simulated)');
    });
    await imports.add('imports.process', { tenantId, importId: id }, { jobId: importJobId(id), attempts: 3, backoff: { type: 'fixed', delay: 1_000 } });
    await until('the first attempt', async () => attempts >= 1 && (await imports.getJobState(importJobId(id))) === 'delayed');
    expect((await statusOf(tenantId, id)).status).toBe('running'); // a retry is still to come
    await until('the import to end', async () => (await statusOf(tenantId, id)).status !== 'running');
    const row = await statusOf(tenantId, id);
    expect(attempts).toBe(3);
    expect(row.status).toBe('failed');
    expect(row.errors[0].message).toContain('重试次数已用尽');
    expect(await imports.getJobState(importJobId(id))).toBe('failed');
    spy.mockRestore();
  }, 60_000);

  it('an unrecoverable error ends the import failed after its first attempt', async () => {
    const tenantId = await f.tenant();
    const id = await importRow(tenantId);
    const spy = jest.spyOn(service, 'process').mockRejectedValue(new UnrecoverableError('the stored file cannot be decrypted'));
    await imports.add('imports.process', { tenantId, importId: id }, { jobId: importJobId(id), attempts: 5, backoff: { type: 'fixed', delay: 300 } });
    await until('the import to end', async () => (await statusOf(tenantId, id)).status !== 'running');
    await new Promise((r) => setTimeout(r, 1_000)); // no retry follows
    expect(spy).toHaveBeenCalledTimes(1);
    expect((await statusOf(tenantId, id)).status).toBe('failed');
    spy.mockRestore();
  }, 60_000);
});
