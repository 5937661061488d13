import { Processor } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigModule } from '../../config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { JobHandlers, QueueModule, QueueRegistry, QueueWorkerModule, QUEUES, TenantJobProcessor } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import type { TenantPinningTypeOrmAdapter } from '../../src/tenancy/tenant-pinning.adapter';

process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jts${randomBytes(4).toString('hex')}`;

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

/** A job that waits for the test to let it go, then still needs the database. */
@Injectable()
class SlowWork {
  started = false;
  finishedWithTenant?: string;
  private release!: () => void;
  readonly released = new Promise<void>((r) => (this.release = r));
  constructor(private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>) {}

  letGo(): void {
    this.release();
  }

  @Transactional()
  async run(): Promise<void> {
    this.started = true;
    await this.released;
    const [row] = await this.txHost.tx.query("SELECT current_setting('app.tenant_id', true) AS t");
    this.finishedWithTenant = row.t;
  }
}

@Processor(QUEUES.imports)
class SlowImportsProcessor extends TenantJobProcessor<'imports'> {
  constructor(
    tenantContext: TenantContext,
    private readonly work: SlowWork,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'imports'> {
    return { 'imports.process': () => this.work.run() };
  }
}

describe('worker shutdown drains the running job', () => {
  let moduleRef: TestingModule;
  let observer: Queue;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, QueueWorkerModule],
      providers: [SlowWork, SlowImportsProcessor],
    }).compile();
    await moduleRef.init();
    observer = new Queue(QUEUES.imports, {
      connection: { url: process.env.REDIS_URL, maxRetriesPerRequest: null },
      prefix: process.env.QUEUE_PREFIX,
    });
  });

  afterAll(async () => {
    await observer.obliterate({ force: true }).catch(() => undefined);
    await observer.close();
  });

  it('close() waits for the active job, which still reaches the database, and it completes once', async () => {
    const work = moduleRef.get(SlowWork);
    const tenantId = randomUUID();
    const job = await moduleRef
      .get(QueueRegistry)
      .get(QUEUES.imports)
      .add('imports.process', { tenantId, importId: randomUUID() }, { jobId: 'slow-import' });
    await waitFor(() => work.started, Boolean);

    const worker = moduleRef.get(SlowImportsProcessor).worker;
    const closing = moduleRef.close();
    // Let the job go only once shutdown is under way and the worker is closing.
    await waitFor(() => Boolean(worker.closing), Boolean);
    work.letGo();
    await closing;

    expect(work.finishedWithTenant).toBe(tenantId);
    expect(await observer.getJobState(job.id!)).toBe('completed');
    expect((await observer.getJob(job.id!))?.attemptsMade).toBe(1);
  });
});
