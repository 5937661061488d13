export { KpisModule, KpiRefreshModule } from './kpis.module';
export { KpiRefreshRequests, kpiRefreshJob, KPI_REFRESH_WINDOW_MS } from './kpi-refresh.requests';
export { KpiRefreshService } from './kpi-refresh.service';
export { KpiJobsModule } from './jobs/kpi-refresh.processor';
export { KpisService } from './kpis.service';
export { KpiErrors } from './kpis.errors';
export { countsOfRow, evaluateKpi, kpisOf, KPI_DEFINITIONS, KPI_KEYS } from './domain/kpi';
export type { KpiCounts, KpiKey, KpiValue } from './domain/kpi';
export { KPI_SQL, storedKpiSql, kpiParams, kpiCountsRefreshStatements, queryLiveKpis } from './kpis.repository';
