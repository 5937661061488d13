import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../../config/app-config';
import { QueueRegistry, QUEUES } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { ImportsRepository } from '../import/imports.repository';
import { importJobId, StudentImportService } from '../import/student-import.service';

export interface SweepResult {
  /** imports still queued/running past the grace period */
  looked: number;
  /** re-enqueued because no job existed for them any more (e.g. Redis restarted without its data) */
  requeued: number;
  /** ended `failed` because their job had failed for good */
  failed: number;
}

/**
 * Issue 8 item 14: work whose record says queued or running must have a live job. Every
 * JOB_SWEEP_SECONDS the worker looks at imports still queued/running for longer than that
 * and asks the queue about each one's job (its id is deterministic): none → enqueued again
 * with the same id, so two sweepers, or a sweeper and the outbox relay, still make one job;
 * failed for good → the import ends `failed`. Running or waiting jobs are left alone.
 */
@Injectable()
export class ImportSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImportSweeper');
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly imports: ImportsRepository,
    private readonly service: StudentImportService,
    private readonly queues: QueueRegistry,
    private readonly context: TenantContext,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.JOB_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const r = await this.sweep();
      if (r.requeued || r.failed) this.logger.warn(`imports swept: ${r.requeued} re-enqueued, ${r.failed} ended failed (of ${r.looked} unfinished)`);
    } catch (error) {
      this.logger.warn(`import sweep failed: ${(error as Error)?.message ?? error}`);
    } finally {
      this.sweeping = false;
    }
  }

  @Transactional()
  private unfinished(olderThanSeconds: number) {
    return this.imports.unfinishedAcrossTenants(olderThanSeconds, 500);
  }

  async sweep(olderThanSeconds = this.config.JOB_SWEEP_SECONDS): Promise<SweepResult> {
    const rows = await this.context.runAsProvinceSystem(() => this.unfinished(olderThanSeconds));
    const queue = this.queues.get(QUEUES.imports);
    const result: SweepResult = { looked: rows.length, requeued: 0, failed: 0 };
    for (const row of rows) {
      const jobId = importJobId(row.id);
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') {
        await queue.add('imports.process', { tenantId: row.tenantId, importId: row.id }, { jobId });
        result.requeued += 1;
      } else if (state === 'failed' || state === 'completed') {
        // completed without ending the import cannot happen by design; failed for good: say so
        const ended = await this.context.runAsTenant(row.tenantId, () =>
          this.service.failUnfinished(row.id, '导入任务异常中止（处理进程多次中断或重试次数已用尽），请检查文件后重新导入'),
        );
        if (ended) result.failed += 1;
      }
    }
    return result;
  }
}
