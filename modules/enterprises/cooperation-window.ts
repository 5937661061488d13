import { parseDateOnly } from '../reference-data';

/**
 * R-ENT-1: "in the last 3 years" counted back from a reference date (the application
 * date, or today). A project counts when it started on or before the reference date and
 * ended on or after (reference date − 3 years), or is still ongoing.
 *
 * Subtracting years keeps month and day; a reference date of 29 February goes back to
 * 28 February of a common year (2028-02-29 − 3 years = 2025-02-28), so the window never
 * spills into March.
 */
export function minusYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y - years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export const COOPERATION_WINDOW_YEARS = 3;

export interface DatedProject {
  startedOn: string;
  endedOn: string | null;
}

export function windowStart(referenceDate: string, years = COOPERATION_WINDOW_YEARS): string {
  if (parseDateOnly(referenceDate) === undefined) throw new Error(`not a date: ${referenceDate}`);
  return minusYears(referenceDate, years);
}

export function countsWithinWindow(p: DatedProject, referenceDate: string, years = COOPERATION_WINDOW_YEARS): boolean {
  const from = windowStart(referenceDate, years);
  // YYYY-MM-DD strings compare in date order.
  if (p.startedOn > referenceDate) return false;
  return p.endedOn === null || p.endedOn >= from;
}
