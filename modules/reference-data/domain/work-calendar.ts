import {
  chinaMidnightInstant,
  formatDateOnly,
  isWeekend,
  parseDateOnly,
  yearOfDay,
} from './calendar-date';

export const CALENDAR_YEAR_STATUSES = ['official', 'provisional'] as const;
/** `official`: the State Council schedule is entered; `provisional`: entered ahead of it. */
export type CalendarYearStatus = (typeof CALENDAR_YEAR_STATUSES)[number];

export const CALENDAR_DAY_KINDS = ['holiday', 'adjusted-workday'] as const;
/** The exceptions to "Monday–Friday work, weekends rest". */
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDayFact {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
}

export interface CalendarYearFact {
  year: number;
  status: CalendarYearStatus;
  days: CalendarDayFact[];
}

export interface WorkingDayWindow {
  /** the publication day (does not count) */
  from: string;
  days: number;
  /** the Nth working day after `from`, China date */
  endDate: string;
  /** when the window closes: 24:00 Asia/Shanghai of `endDate`, as a UTC instant */
  endsAt: string;
  /** true when any day counted lies in a year that is not official (R-APP-5) */
  provisional: boolean;
  /** the years that made it provisional, ascending */
  provisionalYears: number[];
}

/** Far more than any real window needs; stops a calendar of nothing but holidays from spinning. */
const MAX_SPAN_DAYS = 3 * 366;

/**
 * The Chinese statutory working calendar (R-APP-5), built from the province-maintained
 * rows. Pure: no I/O, no clock, no machine timezone. A date in a year that is not entered
 * follows the plain weekday rule, and any result that relies on it is flagged provisional.
 */
export class WorkCalendar {
  private readonly statusByYear = new Map<number, CalendarYearStatus>();
  private readonly exceptions = new Map<number, CalendarDayKind>();

  constructor(years: Iterable<CalendarYearFact>) {
    for (const y of years) {
      this.statusByYear.set(y.year, y.status);
      for (const d of y.days) this.exceptions.set(requireDate(d.date), d.kind);
    }
  }

  statusOf(year: number): CalendarYearStatus | 'not-entered' {
    return this.statusByYear.get(year) ?? 'not-entered';
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(requireDate(date));
  }

  /**
   * R-APP-5: the day of publication does not count; the window ends at 24:00 (Asia/Shanghai)
   * of the Nth working day after it. Weekends rest unless adjusted to working days; holidays rest.
   */
  addWorkingDays(start: string, n: number): WorkingDayWindow {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    const first = requireDate(start);
    const provisionalYears = new Set<number>();
    let day = first;
    let counted = 0;
    while (counted < n) {
      day += 1;
      if (day - first > MAX_SPAN_DAYS) throw new RangeError(`no ${n} working days within ${MAX_SPAN_DAYS} days of ${start}`);
      // Every day stepped over matters, resting ones too: in an unofficial year a "weekend" may yet be a working day.
      const year = yearOfDay(day);
      if (this.statusOf(year) !== 'official') provisionalYears.add(year);
      if (this.isWorkingDayNumber(day)) counted += 1;
    }
    return {
      from: formatDateOnly(first),
      days: n,
      endDate: formatDateOnly(day),
      endsAt: chinaMidnightInstant(day + 1),
      provisional: provisionalYears.size > 0,
      provisionalYears: [...provisionalYears].sort((a, b) => a - b),
    };
  }

  private isWorkingDayNumber(day: number): boolean {
    const exception = this.exceptions.get(day);
    if (exception === 'holiday') return false;
    if (exception === 'adjusted-workday') return true;
    return !isWeekend(day);
  }
}

function requireDate(value: string): number {
  const day = parseDateOnly(value);
  if (day === undefined) throw new RangeError(`not a YYYY-MM-DD date: ${value}`);
  return day;
}

export type CalendarProblemKind = 'invalid-date' | 'outside-year' | 'duplicate' | 'adjusted-workday-not-weekend';

export interface CalendarProblem {
  kind: CalendarProblemKind;
  /** index into the submitted days */
  index: number;
  date: string;
}

/**
 * What is wrong with the days a province admin submits for one year, in submission order.
 * A holiday may fall on a weekend (the schedule lists whole blocks); an adjusted working
 * day only makes sense on a Saturday or Sunday.
 */
export function findCalendarProblems(year: number, days: Pick<CalendarDayFact, 'date' | 'kind'>[]): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const seen = new Set<number>();
  days.forEach(({ date, kind }, index) => {
    const day = parseDateOnly(date);
    if (day === undefined) return problems.push({ kind: 'invalid-date', index, date });
    if (yearOfDay(day) !== year) return problems.push({ kind: 'outside-year', index, date });
    if (seen.has(day)) return problems.push({ kind: 'duplicate', index, date });
    seen.add(day);
    if (kind === 'adjusted-workday' && !isWeekend(day)) problems.push({ kind: 'adjusted-workday-not-weekend', index, date });
  });
  return problems;
}
