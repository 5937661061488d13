import { countsWithinWindow, minusYears, windowStart } from '../cooperation-window';
import { chinaToday } from '../../../src/time/china-date';

describe('R-ENT-1 cooperation within the last 3 years', () => {
  const ref = '2026-03-31';

  it('R-ENT-1: a project that ended exactly 3 years before the reference date counts', () => {
    expect(countsWithinWindow({ startedOn: '2020-09-01', endedOn: '2023-03-31' }, ref)).toBe(true);
  });

  it('R-ENT-1: a project that ended 3 years and a day before does not count', () => {
    expect(countsWithinWindow({ startedOn: '2020-09-01', endedOn: '2023-03-30' }, ref)).toBe(false);
  });

  it('R-ENT-1: an ongoing project counts, however old its start', () => {
    expect(countsWithinWindow({ startedOn: '2015-09-01', endedOn: null }, ref)).toBe(true);
  });

  it('R-ENT-1: a project starting on the reference date counts; one starting the day after does not', () => {
    expect(countsWithinWindow({ startedOn: '2026-03-31', endedOn: null }, ref)).toBe(true);
    expect(countsWithinWindow({ startedOn: '2026-04-01', endedOn: null }, ref)).toBe(false);
  });

  it('R-ENT-1: leap-day reference dates go back to 28 February (2028-02-29 − 3 years = 2025-02-28)', () => {
    expect(minusYears('2028-02-29', 3)).toBe('2025-02-28');
    expect(windowStart('2028-02-29')).toBe('2025-02-28');
    expect(countsWithinWindow({ startedOn: '2024-01-01', endedOn: '2025-02-28' }, '2028-02-29')).toBe(true);
    expect(countsWithinWindow({ startedOn: '2024-01-01', endedOn: '2025-02-27' }, '2028-02-29')).toBe(false);
    // and a reference date of 2027-02-28 reaches back to 2024-02-28, not the leap day
    expect(minusYears('2027-02-28', 3)).toBe('2024-02-28');
    expect(minusYears('2027-03-01', 3)).toBe('2024-03-01');
  });

  it('today is the China date: 16:00 UTC is already the next day in Guangdong', () => {
    expect(chinaToday(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(chinaToday(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });
});
