/**
 * R-TRN-4 stage progress: planned, logged and confirmed hours, and the at-risk flag.
 *
 * The elapsed share of a stage is the share of its calendar days (start and end
 * inclusive) up to and including `today` (China date); before the start it is 0, after
 * the end 1. The confirmed share is confirmed ÷ planned hours, capped at 1. A stage is
 * AT RISK when the confirmed share lags the elapsed share by MORE than `riskPoints`
 * percentage points (tenant setting `practiceRiskPoints`, default 20): exactly 20 points
 * behind is not at risk, 21 is. The comparison is done in integers (hours in hundredths),
 * so a threshold case never flips on a floating-point rounding.
 */
export const DEFAULT_PRACTICE_RISK_POINTS = 20;

export interface StageProgressInput {
  plannedHours: number;
  loggedHours: number;
  confirmedHours: number;
  startsOn: string;
  endsOn: string;
  today: string;
  riskPoints: number;
}

export interface StageProgress {
  plannedHours: number;
  loggedHours: number;
  confirmedHours: number;
  /** percentage points, one decimal */
  confirmedShare: number;
  elapsedShare: number;
  lagPoints: number;
  atRisk: boolean;
  riskPoints: number;
}

const DAY = 86_400_000;
const dayNo = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / DAY);
const round1 = (x: number) => Math.round(x * 10) / 10;

export function stageProgress(i: StageProgressInput): StageProgress {
  const totalDays = dayNo(i.endsOn) - dayNo(i.startsOn) + 1;
  const elapsedDays = Math.min(Math.max(dayNo(i.today) - dayNo(i.startsOn) + 1, 0), totalDays);
  const planned = Math.round(i.plannedHours * 100);
  const confirmed = Math.min(Math.round(i.confirmedHours * 100), planned);
  // lag > points  ⇔  elapsed/total − confirmed/planned > points/100
  //               ⇔  100·elapsed·planned − 100·confirmed·total > points·total·planned
  const lhs = 100 * elapsedDays * planned - 100 * confirmed * totalDays;
  const rhs = i.riskPoints * totalDays * planned;
  const elapsedShare = (100 * elapsedDays) / totalDays;
  const confirmedShare = planned ? (100 * confirmed) / planned : 0;
  return {
    plannedHours: i.plannedHours,
    loggedHours: i.loggedHours,
    confirmedHours: i.confirmedHours,
    confirmedShare: round1(confirmedShare),
    elapsedShare: round1(elapsedShare),
    lagPoints: round1(Math.max(elapsedShare - confirmedShare, 0)),
    atRisk: planned > 0 && lhs > rhs,
    riskPoints: i.riskPoints,
  };
}

/** A span of one day as minutes since midnight; `24:00` is 1440. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
