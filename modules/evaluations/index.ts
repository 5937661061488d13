export { EvaluationsModule } from './evaluations.module';
export { EvaluationErrors } from './evaluations.errors';
export { COMPLETION_KPI_READER, NoCompletionKpis } from './domain/completion-kpi.port';
export type { CompletionKpiReader, CompletionKpis, KpiFigure } from './domain/completion-kpi.port';
