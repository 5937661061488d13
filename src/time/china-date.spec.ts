import { chinaToday } from './china-date';

describe('chinaToday', () => {
  it('turns over at 16:00 UTC, which is midnight in China', () => {
    expect(chinaToday(new Date('2026-03-31T15:59:59.999Z'))).toBe('2026-03-31');
    expect(chinaToday(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });

  it('agrees with the Asia/Shanghai time zone across a year end', () => {
    const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (const instant of ['2025-12-31T15:59:59Z', '2025-12-31T16:00:00Z', '2026-06-15T23:30:00Z']) {
      expect(chinaToday(new Date(instant))).toBe(zone.format(new Date(instant)));
    }
  });
});
