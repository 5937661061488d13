import { kpiRefreshJob, KPI_REFRESH_WINDOW_MS } from '../kpi-refresh.requests';

describe('KPI refresh jobs: coalesced per cohort and window (issue 11)', () => {
  const cohort = '0b6f3c1e-4d2a-4f7e-9a1b-2c3d4e5f6a7b';
  const start = 1_764_500_000_000 - (1_764_500_000_000 % KPI_REFRESH_WINDOW_MS);

  it('writes of a cohort in the same window share one deterministic job id; the next window gets another', () => {
    const first = kpiRefreshJob(cohort, start);
    expect(kpiRefreshJob(cohort, start + KPI_REFRESH_WINDOW_MS - 1).jobId).toBe(first.jobId);
    expect(kpiRefreshJob(cohort, start + KPI_REFRESH_WINDOW_MS).jobId).not.toBe(first.jobId);
    expect(kpiRefreshJob('1b6f3c1e-4d2a-4f7e-9a1b-2c3d4e5f6a7b', start).jobId).not.toBe(first.jobId);
    expect(first.jobId).not.toContain(':'); // BullMQ reserves ':'
  });

  it('the job runs after its window closes plus the grace, and never more than a minute after the write', () => {
    for (const offset of [0, 1, KPI_REFRESH_WINDOW_MS - 1]) {
      const { delay } = kpiRefreshJob(cohort, start + offset);
      expect(start + offset + delay).toBe(start + KPI_REFRESH_WINDOW_MS + 5_000);
      expect(delay).toBeLessThanOrEqual(60_000);
    }
  });
});
