import { Injectable } from '@nestjs/common';
import { OutboxService, QUEUES } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { KpiRefreshRepository } from './kpi-refresh.repository';

/**
 * Writes that move a KPI coalesce into one refresh per cohort per window: every write of a
 * cohort in the same 10-second window enqueues the same job id, so BullMQ keeps one job.
 * The job runs GRACE after the window closes, so a write enqueued near the end of the window
 * whose transaction commits within GRACE is still in the snapshot the job counts. Stored
 * figures therefore trail a write by at most ≈ 15 s plus the job itself (issue 11: never more
 * than a minute); `computedAt` on the dashboards says when each was taken.
 */
export const KPI_REFRESH_WINDOW_MS = 10_000;
export const KPI_REFRESH_GRACE_MS = 5_000;

/** The deterministic job id and delay of a cohort's refresh for a write at `now`. */
export function kpiRefreshJob(cohortId: string, now: number): { jobId: string; delay: number } {
  const window = Math.floor(now / KPI_REFRESH_WINDOW_MS);
  return { jobId: `kpis.refresh-counts_${cohortId}_${window}`, delay: (window + 1) * KPI_REFRESH_WINDOW_MS - now + KPI_REFRESH_GRACE_MS };
}

/**
 * Asks for the stored KPI counts (kpi_cohort_counts) of cohorts to be recomputed (assessments,
 * certificates, graduates, practice and streaming call it on the writes that move a KPI), through
 * the transactional outbox: a rolled-back write asks for nothing. Call it inside the
 * write's @Transactional() method, after the write.
 */
@Injectable()
export class KpiRefreshRequests {
  constructor(
    private readonly outbox: OutboxService,
    private readonly refs: KpiRefreshRepository,
    private readonly tenant: TenantContext,
  ) {}

  async cohorts(cohortIds: Iterable<string>): Promise<void> {
    const tenantId = this.tenant.requireTenantId();
    const now = Date.now();
    await this.outbox.enqueueMany(
      QUEUES.kpis,
      'kpis.refresh-counts',
      [...new Set(cohortIds)].map((cohortId) => ({ payload: { tenantId, cohortId }, ...kpiRefreshJob(cohortId, now) })),
    );
  }

  /** The cohorts of these students (a certificate, a graduation, an employment record). */
  async students(studentIds: string[]): Promise<void> {
    await this.cohorts(await this.refs.cohortsOfStudents(studentIds));
  }
}
