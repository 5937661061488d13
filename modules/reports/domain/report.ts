import type { KpiCounts, KpiKey, KpiValue } from '../../kpis';

export const REPORT_KINDS = ['kpi', 'evaluation-dossier'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_LEVELS = ['cohort', 'programme', 'college', 'province'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];
export const REPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const EVALUATION_KINDS = ['mid-term', 'completion'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

export const LEVEL_NAMES: Record<ReportLevel, string> = { cohort: '班级', programme: '专业', college: '学院', province: '全省' };
export const EVALUATION_KIND_NAMES: Record<EvaluationKind, string> = { 'mid-term': '中期评估', completion: '结业质量评估' };

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * One key per report, whatever the attempt: a retried job overwrites the same file (the
 * storage writes to a temporary name and renames), so a report never has two files.
 */
export function reportStorageKey(tenantId: string | null, reportId: string, format: ReportFormat): string {
  return `reports/${tenantId ?? 'province'}/${reportId}-${format}`;
}

/** One row of KPIs at one level (a cohort, a programme, a college or the province). */
export interface KpiLine {
  level: ReportLevel;
  id: string | null;
  name: string;
  collegeName: string | null;
  programmeName: string | null;
  intakeYear: number | null;
  counts: KpiCounts;
  kpis: Record<KpiKey, KpiValue>;
}

/** What a KPI report shows: its subject and every level below it, from the one KPI statement. */
export interface KpiReportData {
  title: string;
  level: ReportLevel;
  subjectName: string;
  asOf: Date;
  generatedAt: Date;
  lines: Record<ReportLevel, KpiLine[]>;
}

/** The levels a report of `level` shows, from its own down to cohorts. */
export function levelsFrom(level: ReportLevel): ReportLevel[] {
  return REPORT_LEVELS.slice(0, REPORT_LEVELS.indexOf(level) + 1).reverse();
}
