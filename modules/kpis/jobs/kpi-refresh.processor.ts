import { Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JobHandlers, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { chinaToday } from '../../../src/time/china-date';
import { KpiRefreshService } from '../kpi-refresh.service';
import { KpisRepository } from '../kpis.repository';

/** Stored KPI counts (kpi_cohort_counts): one refresh at a time per worker (each is one SQL statement over a college or a cohort). */
@Processor(QUEUES.kpis, { concurrency: 1 })
export class KpiRefreshProcessor extends TenantJobProcessor<'kpis'> {
  constructor(
    tenantContext: TenantContext,
    private readonly refresh: KpiRefreshService,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'kpis'> {
    return {
      'kpis.refresh-counts': (payload) => this.refresh.refresh(payload.cohortId).then((cohorts) => ({ cohorts })),
      'kpis.refresh-all': () => this.refresh.fanOut(chinaToday()).then((colleges) => ({ colleges })),
    };
  }
}

/** The worker's side of the KPI module (src/worker.module.ts). */
@Module({ providers: [KpisRepository, KpiRefreshService, KpiRefreshProcessor] })
export class KpiJobsModule {}
