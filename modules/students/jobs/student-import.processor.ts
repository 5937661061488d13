import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { Module } from '@nestjs/common';
import { JobHandlers, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { StudentImportService } from '../import/student-import.service';
import { StudentsCoreModule } from '../students.module';
import { ImportSweeper } from './import-sweeper';

/** Large roster imports (above IMPORT_JOB_THRESHOLD rows), one at a time per worker. */
@Processor(QUEUES.imports, { concurrency: 1 })
export class StudentImportProcessor extends TenantJobProcessor<'imports'> {
  constructor(
    tenantContext: TenantContext,
    private readonly imports: StudentImportService,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'imports'> {
    return { 'imports.process': (payload) => this.imports.process(payload.importId).then((r) => (r ? { created: r.created, unchanged: r.unchanged, errors: r.errorCount } : null)) };
  }

  /**
   * Issue 8 item 10: a job that failed for good — attempts used up, or stalled past the limit
   * because the worker running it keeps dying (out of memory) — ends its import `failed`,
   * instead of leaving it `running` forever.
   */
  @OnWorkerEvent('failed')
  async onImportFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== 'imports.process') return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError || /stalled more than/i.test(error?.message ?? '');
    const { tenantId, importId } = job.data ?? {};
    if (!final || typeof tenantId !== 'string' || typeof importId !== 'string') return;
    try {
      const ended = await this.tenantContext.runAsTenant(tenantId, () =>
        this.imports.failUnfinished(importId, '导入任务异常中止（处理进程多次中断或重试次数已用尽），请检查文件后重新导入'),
      );
      if (ended) this.logger.warn(`import ${importId} marked failed after its job ${job.id} failed: ${error?.message}`);
    } catch (e) {
      this.logger.error(`could not mark import ${importId} failed: ${(e as Error).message}`);
    }
  }
}

@Module({ imports: [StudentsCoreModule], providers: [StudentImportProcessor, ImportSweeper] })
export class StudentImportJobsModule {}
