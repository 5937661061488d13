import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { JobHandlers, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { MonthlyReportService } from '../monthly-report.service';
import { ReportGenerator } from '../report-generator.service';
import { ReportsCoreModule } from '../reports.module';

/** Report jobs, one at a time per worker: a PDF is CPU-bound and the worker shares its cores. */
@Processor(QUEUES.reports, { concurrency: 1 })
export class ReportsProcessor extends TenantJobProcessor<'reports'> {
  constructor(
    tenantContext: TenantContext,
    private readonly generator: ReportGenerator,
    private readonly monthly: MonthlyReportService,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'reports'> {
    return {
      'reports.generate': (payload) => this.generator.generate(payload.reportId),
      'reports.monthly-province': () => this.monthly.run(),
    };
  }

  /** A job that failed for good (attempts used up, or stalled past the limit) ends its report `failed`. */
  @OnWorkerEvent('failed')
  async onReportFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== 'reports.generate') return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError || /stalled more than/i.test(error?.message ?? '');
    const { tenantId, reportId } = job.data ?? {};
    if (!final || typeof reportId !== 'string' || (tenantId !== null && typeof tenantId !== 'string')) return;
    const fail = () => this.generator.failFinally(reportId, '报表生成失败（已重试多次），请稍后重新申请');
    try {
      await (tenantId ? this.tenantContext.runAsTenant(tenantId, fail) : this.tenantContext.runAsProvinceSystem(fail));
    } catch (e) {
      this.logger.error(`could not mark report ${reportId} failed: ${(e as Error).message}`);
    }
  }
}

@Module({ imports: [ReportsCoreModule], providers: [ReportsProcessor] })
export class ReportJobsModule {}
