/**
 * R-TRK-1 / R-TRK-2 date arithmetic, date-only and leap-safe.
 *
 * Rule ("same day, or the last day of the month"): adding n months to a date keeps its
 * day of the month; when the target month is shorter, the result is that month's last
 * day. 2024-02-29 + 48 months = 2028-02-29; 2024-02-29 + 12 months = 2025-02-28;
 * 2024-08-31 + 6 months = 2025-02-28. PostgreSQL's `date + interval 'n months'` follows the
 * same rule, which is what the generated columns of `cohorts` use; this is the same
 * function for previews and tests.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface TrackFacts {
  code: string;
  years: number | null;
  seniorWorkerStageYears: number | null;
  flexible: boolean;
}

export interface FlexibleSplit {
  durationMonths: number;
  seniorWorkerStageMonths: number;
  justification: string;
}

export interface CohortSchedule {
  durationMonths: number;
  seniorWorkerStageMonths: number;
  /** the first day of the technician stage; null when the track has no senior-worker stage */
  seniorWorkerStageEnd: string | null;
  expectedGraduation: string;
}

export type ScheduleProblem = 'FLEXIBLE_SPLIT_REQUIRED' | 'FLEXIBLE_SPLIT_NOT_ALLOWED' | 'STAGE_NOT_SHORTER';

/**
 * The cohort's duration and stage split: copied from the track (R-TRK-1), or the flexible
 * track's own split with its justification (R-TRK-2). Never typed for a fixed track.
 */
export function scheduleOf(track: TrackFacts, startDate: string, flexible?: FlexibleSplit | null): CohortSchedule | ScheduleProblem {
  let durationMonths: number;
  let stageMonths: number;
  if (track.flexible) {
    if (!flexible) return 'FLEXIBLE_SPLIT_REQUIRED';
    durationMonths = flexible.durationMonths;
    stageMonths = flexible.seniorWorkerStageMonths;
    if (stageMonths >= durationMonths) return 'STAGE_NOT_SHORTER';
  } else {
    if (flexible) return 'FLEXIBLE_SPLIT_NOT_ALLOWED';
    durationMonths = (track.years ?? 0) * 12;
    stageMonths = (track.seniorWorkerStageYears ?? 0) * 12;
  }
  return {
    durationMonths,
    seniorWorkerStageMonths: stageMonths,
    seniorWorkerStageEnd: stageMonths > 0 ? addMonths(startDate, stageMonths) : null,
    expectedGraduation: addMonths(startDate, durationMonths),
  };
}

/**
 * R-EVA-1 streaming checkpoint: the college's setting `streamingCheckpointMonths` (months
 * after the start) when set; otherwise the end of the senior-worker stage; a track without
 * that stage streams at mid-term (half the duration, rounded down to whole months).
 */
export function streamingCheckpoint(
  startDate: string,
  schedule: Pick<CohortSchedule, 'durationMonths' | 'seniorWorkerStageMonths'>,
  settingMonths: number | null,
): string {
  if (settingMonths && settingMonths > 0 && settingMonths < schedule.durationMonths) return addMonths(startDate, settingMonths);
  if (schedule.seniorWorkerStageMonths > 0) return addMonths(startDate, schedule.seniorWorkerStageMonths);
  return addMonths(startDate, Math.floor(schedule.durationMonths / 2));
}
