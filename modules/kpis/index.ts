export { KpisModule } from './kpis.module';
export { KpisService } from './kpis.service';
export { KpiErrors } from './kpis.errors';
export { evaluateKpi, kpisOf, KPI_DEFINITIONS, KPI_KEYS } from './domain/kpi';
export type { KpiCounts, KpiKey, KpiValue } from './domain/kpi';
export { KPI_SQL, kpiParams } from './kpis.repository';
