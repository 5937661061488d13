import { Injectable } from '@nestjs/common';
import { KpisService, KpiValue } from '../kpis';
import { CompletionKpiReader, CompletionKpis, KpiFigure } from './domain/completion-kpi.port';

function figure(k: KpiValue): KpiFigure {
  // R-EVA-3 / R-EVA-4 targets always exist for these two KPIs; an empty denominator stays "no data" (ratio and met null)
  return { numerator: k.numerator, denominator: k.denominator, ratio: k.ratio, target: k.target as number, met: k.met };
}

/**
 * The completion evaluation's KPI figures (R-GOV-3) from the KPI module (issue 11):
 * technician attainment (R-EVA-3) and matched employment (R-EVA-4) of the programme,
 * exactly the numbers of GET /kpis/programmes/:id. The KPI module computes the current
 * state (it keeps no history), so the figures are those at the conclusion, which the
 * evaluation then freezes; `asOf` is the evaluation's date.
 */
@Injectable()
export class KpiModuleCompletionReader implements CompletionKpiReader {
  constructor(private readonly kpis: KpisService) {}

  async completionKpis(programmeId: string): Promise<CompletionKpis> {
    const k = await this.kpis.programmeKpis(programmeId);
    return { attainment: figure(k.technicianAttainment), matchedEmployment: figure(k.matchedEmployment), source: 'kpi-module' };
  }
}
