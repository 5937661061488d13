/**
 * DOMAIN §4 KPI definitions, exactly. A ratio is numerator / denominator of counts summed
 * in SQL (a college is the sum of its cohorts, never a mean of ratios). An empty
 * denominator is "no data": ratio null, met null — never 0 %, never met.
 */
export type Comparison = 'at-least' | 'more-than';
export type Rag = 'green' | 'amber' | 'red' | 'no-data' | 'shown';

export interface KpiDefinition {
  key: KpiKey;
  nameZh: string;
  nameEn: string;
  rule: string;
  /** target in whole percent; null for KPIs that are only shown */
  targetPercent: number | null;
  comparison: Comparison | null;
}

export const KPI_KEYS = ['technicianAttainment', 'matchedEmployment', 'payAboveBenchmark', 'stableEmployment', 'practiceHours', 'streaming'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

export const KPI_DEFINITIONS: Record<KpiKey, KpiDefinition> = {
  // R-EVA-3: graduates meeting ①/②/③ (once each) / graduates, ≥ 80 %
  technicianAttainment: { key: 'technicianAttainment', nameZh: '技师水平达成率', nameEn: 'Technician attainment', rule: 'R-EVA-3', targetPercent: 80, comparison: 'at-least' },
  // R-EVA-4: employed graduates in a matching post / employed graduates, ≥ 60 %
  matchedEmployment: { key: 'matchedEmployment', nameZh: '对口就业率', nameEn: 'Matched employment', rule: 'R-EVA-4', targetPercent: 60, comparison: 'at-least' },
  // R-EVA-4: employed graduates paid strictly above the benchmark / employed graduates, > 60 %
  payAboveBenchmark: { key: 'payAboveBenchmark', nameZh: '薪酬高于技师岗位基准占比', nameEn: 'Paid above the benchmark', rule: 'R-EVA-4', targetPercent: 60, comparison: 'more-than' },
  stableEmployment: { key: 'stableEmployment', nameZh: '稳定就业率', nameEn: 'Stable employment', rule: 'R-EVA-4', targetPercent: null, comparison: null },
  practiceHours: { key: 'practiceHours', nameZh: '企业实践学时完成率', nameEn: 'Practice hours confirmed', rule: 'R-TRN-4', targetPercent: null, comparison: null },
  streaming: { key: 'streaming', nameZh: '中期分流率', nameEn: 'Streamed out at mid-term', rule: 'R-EVA-1', targetPercent: null, comparison: null },
};

/** How far below the target (percentage points) a KPI is amber rather than red. */
export const AMBER_POINTS = 10;

export interface KpiValue {
  key: KpiKey;
  name: string;
  nameEn: string;
  rule: string;
  numerator: number;
  denominator: number;
  /** null when the denominator is 0 ("no data") */
  ratio: number | null;
  target: number | null;
  comparison: Comparison | null;
  /** true / false against the target; null when there is no data or no target */
  met: boolean | null;
  rag: Rag;
}

/** Integer arithmetic at the threshold: 48/60 is exactly 80 %, never 0.7999…. */
export function evaluateKpi(key: KpiKey, numerator: number, denominator: number): KpiValue {
  const d = KPI_DEFINITIONS[key];
  const ratio = denominator === 0 ? null : Math.round((numerator / denominator) * 10000) / 10000;
  let met: boolean | null = null;
  let rag: Rag = denominator === 0 ? 'no-data' : 'shown';
  if (denominator > 0 && d.targetPercent !== null) {
    met = d.comparison === 'at-least' ? numerator * 100 >= d.targetPercent * denominator : numerator * 100 > d.targetPercent * denominator;
    rag = met ? 'green' : numerator * 100 >= (d.targetPercent - AMBER_POINTS) * denominator ? 'amber' : 'red';
  }
  return {
    key,
    name: d.nameZh,
    nameEn: d.nameEn,
    rule: d.rule,
    numerator,
    denominator,
    ratio,
    target: d.targetPercent === null ? null : d.targetPercent / 100,
    comparison: d.comparison,
    met,
    rag,
  };
}

/** The summed counts every KPI is built from (one cohort, or a sum of cohorts). */
export interface KpiCounts {
  students: number;
  graduates: number;
  attained: number;
  employed: number;
  matched: number;
  payAbove: number;
  stableBase: number;
  stable: number;
  plannedHours: number;
  confirmedHours: number;
  streamingDecided: number;
  streamedOut: number;
  left: number;
}

/** A KPI SQL row's counts (float8, or null for no rows) as numbers; hours to the hundredth. */
export function countsOfRow(row: object): KpiCounts {
  const r = row as { [K in keyof KpiCounts]?: unknown };
  const n = (v: unknown) => Number(v ?? 0);
  return {
    students: n(r.students),
    graduates: n(r.graduates),
    attained: n(r.attained),
    employed: n(r.employed),
    matched: n(r.matched),
    payAbove: n(r.payAbove),
    stableBase: n(r.stableBase),
    stable: n(r.stable),
    plannedHours: n(r.plannedHours),
    confirmedHours: Math.round(n(r.confirmedHours) * 100) / 100,
    streamingDecided: n(r.streamingDecided),
    streamedOut: n(r.streamedOut),
    left: n(r.left),
  };
}

export function kpisOf(c: KpiCounts): Record<KpiKey, KpiValue> {
  return {
    technicianAttainment: evaluateKpi('technicianAttainment', c.attained, c.graduates),
    matchedEmployment: evaluateKpi('matchedEmployment', c.matched, c.employed),
    payAboveBenchmark: evaluateKpi('payAboveBenchmark', c.payAbove, c.employed),
    stableEmployment: evaluateKpi('stableEmployment', c.stable, c.stableBase),
    practiceHours: evaluateKpi('practiceHours', c.confirmedHours, c.plannedHours),
    streaming: evaluateKpi('streaming', c.streamedOut, c.streamingDecided),
  };
}
