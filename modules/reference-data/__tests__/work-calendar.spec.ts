import { CALENDAR_YEARS } from '../data/seed';
import { formatDateOnly, parseDateOnly, weekdayOf } from '../domain/calendar-date';
import { findCalendarProblems, WorkCalendar } from '../domain/work-calendar';

/** The seeded calendar: 2025 and 2026 official, every other year not entered. */
const calendar = new WorkCalendar(CALENDAR_YEARS);
const chinaMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();

describe('calendar dates', () => {
  it('rejects impossible and malformed dates', () => {
    for (const bad of ['2026-02-29', '2025-13-01', '2025-1-1', '2025-01-01T00:00:00Z', '']) {
      expect(parseDateOnly(bad)).toBeUndefined();
    }
    expect(formatDateOnly(parseDateOnly('2024-02-29')!)).toBe('2024-02-29');
  });

  it('knows the weekday without the machine timezone', () => {
    expect(weekdayOf(parseDateOnly('2025-09-28')!)).toBe(0);
    expect(weekdayOf(parseDateOnly('2025-10-11')!)).toBe(6);
    expect(weekdayOf(parseDateOnly('2026-02-12')!)).toBe(4);
  });
});

describe('WorkCalendar.isWorkingDay', () => {
  it('R-APP-5: weekdays work, weekends rest', () => {
    expect(calendar.isWorkingDay('2025-03-07')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2025-03-08')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2025-03-09')).toBe(false); // Sunday
  });

  it('R-APP-5: statutory holidays rest, even on weekdays', () => {
    expect(calendar.isWorkingDay('2025-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-08')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false);
  });

  it('R-APP-5: adjusted working weekends work (2025-09-28 Sunday, 2025-10-11 Saturday)', () => {
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
  });

  it('R-APP-5: a year that is not entered follows the weekday rule', () => {
    expect(calendar.statusOf(2027)).toBe('not-entered');
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true); // a Friday; New Year is unknown until entered
  });

  it('refuses a string that is not a date', () => {
    expect(() => calendar.isWorkingDay('2025-02-30')).toThrow(RangeError);
  });
});

describe('WorkCalendar.addWorkingDays', () => {
  it('R-APP-5: in an ordinary week, a notice published on Monday 2025-03-03 ends on Monday 2025-03-10', () => {
    const w = calendar.addWorkingDays('2025-03-03', 5);
    expect(w.endDate).toBe('2025-03-10');
    expect(w.endsAt).toBe(chinaMidnight('2025-03-11'));
    expect(w.endsAt).toBe('2025-03-10T16:00:00.000Z');
    expect(w.provisional).toBe(false);
    expect(w.provisionalYears).toEqual([]);
  });

  it('R-APP-5: a notice published on Friday 2025-03-07 skips the weekend and ends on Friday 2025-03-14', () => {
    expect(calendar.addWorkingDays('2025-03-07', 5).endDate).toBe('2025-03-14');
  });

  it('R-APP-5: a notice published on 2025-09-30 ends on 2025-10-14 (National Day 10-01…10-08 rest, Saturday 10-11 works)', () => {
    const w = calendar.addWorkingDays('2025-09-30', 5);
    // 10-09 Thu, 10-10 Fri, 10-11 Sat (adjusted), 10-13 Mon, 10-14 Tue
    expect(w.endDate).toBe('2025-10-14');
    expect(w.endsAt).toBe(chinaMidnight('2025-10-15'));
    expect(w.provisional).toBe(false);
  });

  it('R-APP-5: a notice published on Friday 2025-09-26 counts the adjusted Sunday 09-28 and ends on 2025-10-10', () => {
    // 09-28 Sun (adjusted), 09-29 Mon, 09-30 Tue, then the holiday, 10-09 Thu, 10-10 Fri
    expect(calendar.addWorkingDays('2025-09-26', 5).endDate).toBe('2025-10-10');
  });

  it('R-APP-5: n = 5 on both sides of a holiday: published 2025-09-22 ends before it (09-29), 2025-10-08 after it (10-15)', () => {
    // before: 09-23, 09-24, 09-25, 09-26, then the adjusted Sunday 09-28 is the fifth
    expect(calendar.addWorkingDays('2025-09-22', 5).endDate).toBe('2025-09-28');
    expect(calendar.addWorkingDays('2025-09-23', 5).endDate).toBe('2025-09-29');
    // after: published on the last holiday day: 10-09, 10-10, 10-11 (adjusted), 10-13, 10-14
    expect(calendar.addWorkingDays('2025-10-08', 5).endDate).toBe('2025-10-14');
    expect(calendar.addWorkingDays('2025-10-09', 5).endDate).toBe('2025-10-15');
  });

  it('R-APP-5: a notice published on a holiday (2025-10-03) starts counting after the holiday and ends on 2025-10-14', () => {
    const w = calendar.addWorkingDays('2025-10-03', 5);
    expect(w.endDate).toBe('2025-10-14');
    expect(w.from).toBe('2025-10-03');
  });

  it('R-APP-5: across Spring Festival 2026, a notice published on 2026-02-12 ends on 2026-02-26', () => {
    // 02-13 Fri, 02-14 Sat (adjusted), 02-15…02-23 holiday, 02-24, 02-25, 02-26
    const w = calendar.addWorkingDays('2026-02-12', 5);
    expect(w.endDate).toBe('2026-02-26');
    expect(w.endsAt).toBe('2026-02-26T16:00:00.000Z');
    expect(w.provisional).toBe(false);
  });

  it('R-APP-5: fully inside 2026, a notice published on 2026-12-21 ends on 2026-12-28 and is not provisional', () => {
    const w = calendar.addWorkingDays('2026-12-21', 5);
    expect(w.endDate).toBe('2026-12-28');
    expect(w.provisional).toBe(false);
  });

  it('R-APP-5: across the year boundary into unentered 2027, a notice published on 2026-12-28 ends on 2027-01-04, provisional', () => {
    // 12-29, 12-30, 12-31, 2027-01-01 (a Friday, no schedule yet), 2027-01-04
    const w = calendar.addWorkingDays('2026-12-28', 5);
    expect(w.endDate).toBe('2027-01-04');
    expect(w.endsAt).toBe(chinaMidnight('2027-01-05'));
    expect(w.provisional).toBe(true);
    expect(w.provisionalYears).toEqual([2027]);
  });

  it('R-APP-5: a year entered as provisional flags the result even when the days it lists are used', () => {
    const c = new WorkCalendar([
      ...CALENDAR_YEARS,
      { year: 2027, status: 'provisional', days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] },
    ]);
    const w = c.addWorkingDays('2026-12-28', 5);
    expect(w.endDate).toBe('2027-01-05');
    expect(w.provisional).toBe(true);
  });

  it('R-APP-5: the publication day itself never counts, and its year does not make the result provisional', () => {
    const w = calendar.addWorkingDays('2024-12-31', 1);
    expect(w.endDate).toBe('2025-01-02');
    expect(w.provisional).toBe(false);
  });

  it('refuses n that is not a positive integer', () => {
    expect(() => calendar.addWorkingDays('2025-03-03', 0)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2025-03-03', 2.5)).toThrow(RangeError);
  });
});

describe('findCalendarProblems', () => {
  it('R-APP-5: finds bad dates, dates outside the year, duplicates and adjusted working days on weekdays', () => {
    const problems = findCalendarProblems(2027, [
      { date: '2027-01-01', kind: 'holiday' },
      { date: '2027-02-30', kind: 'holiday' },
      { date: '2026-12-31', kind: 'holiday' },
      { date: '2027-01-01', kind: 'holiday' },
      { date: '2027-01-04', kind: 'adjusted-workday' },
      { date: '2027-01-09', kind: 'adjusted-workday' },
    ]);
    expect(problems).toEqual([
      { kind: 'invalid-date', index: 1, date: '2027-02-30' },
      { kind: 'outside-year', index: 2, date: '2026-12-31' },
      { kind: 'duplicate', index: 3, date: '2027-01-01' },
      { kind: 'adjusted-workday-not-weekend', index: 4, date: '2027-01-04' },
    ]);
  });

  it('R-APP-5: the seeded 2025 and 2026 schedules are consistent', () => {
    for (const y of CALENDAR_YEARS) expect(findCalendarProblems(y.year, y.days)).toEqual([]);
    expect(CALENDAR_YEARS.map((y) => [y.year, y.status])).toEqual([
      [2025, 'official'],
      [2026, 'official'],
    ]);
  });
});
