import { kpiCountsRefreshStatements } from '../../../modules/kpis';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Issue 11: the dashboards sum stored per-cohort KPI counts (kpi_cohort_counts), which the
 * worker keeps after each KPI write and nightly. The seed writes its rows directly, so it
 * stores every demo college's counts last, with the refresh job's own SQL: a demo user sees
 * the graduated cohorts' KPIs on the dashboards at once. Counts rows new to the database.
 */
export const kpisSeed: SeedStep = {
  name: 'kpis',
  async run(ctx: SeedContext) {
    for (const tenantId of ctx.ids.tenants.values()) {
      const added = await ctx.tx({ tenantId }, async (m) => {
        const before = Number((await m.query('SELECT count(*) AS n FROM kpi_cohort_counts WHERE tenant_id = $1', [tenantId]))[0].n);
        for (const s of kpiCountsRefreshStatements(tenantId)) await m.query(s.sql, s.params);
        return Number((await m.query('SELECT count(*) AS n FROM kpi_cohort_counts WHERE tenant_id = $1', [tenantId]))[0].n) - before;
      });
      ctx.count('kpi_cohort_counts', added);
    }
  },
};
