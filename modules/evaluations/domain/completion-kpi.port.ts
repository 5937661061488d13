/**
 * The completion evaluation's frozen KPI figures that belong to the KPI module (issue 11):
 * technician attainment (R-EVA-3) and matched employment (R-EVA-4), as DOMAIN §4 defines
 * them. Until that module is wired in, the default reader answers "no data" (null), never
 * 0 % and never "met".
 */
export interface KpiFigure {
  numerator: number;
  denominator: number;
  ratio: number | null;
  target: number;
  met: boolean | null;
}

export interface CompletionKpis {
  attainment: KpiFigure | null;
  matchedEmployment: KpiFigure | null;
  /** where the figures came from, e.g. 'kpi-module' or 'not-wired' */
  source: string;
}

export interface CompletionKpiReader {
  /** the figures of a programme's cohorts as of `asOf` (China date), in the caller's transaction pinned to its college */
  completionKpis(programmeId: string, asOf: string): Promise<CompletionKpis>;
}

export const COMPLETION_KPI_READER = Symbol('COMPLETION_KPI_READER');

/** No KPI module yet: "no data". Replace the provider of COMPLETION_KPI_READER in EvaluationsModule. */
export class NoCompletionKpis implements CompletionKpiReader {
  async completionKpis(): Promise<CompletionKpis> {
    return { attainment: null, matchedEmployment: null, source: 'not-wired' };
  }
}
