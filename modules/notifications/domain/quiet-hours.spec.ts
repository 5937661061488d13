import { quietHoursWaitMs } from './quiet-hours';

const at = (chinaTime: string) => new Date(`${chinaTime}+08:00`);

describe('quiet hours (no e-mail 22:00–07:00 China time)', () => {
  it('21:59 and 07:00 are outside: no wait', () => {
    expect(quietHoursWaitMs(at('2026-05-10T21:59:59'))).toBe(0);
    expect(quietHoursWaitMs(at('2026-05-10T07:00:00'))).toBe(0);
  });

  it('22:00 and 23:00 wait until 07:00 the next morning', () => {
    expect(quietHoursWaitMs(at('2026-05-10T22:00:00'))).toBe(9 * 3_600_000);
    expect(quietHoursWaitMs(at('2026-05-10T23:00:00'))).toBe(8 * 3_600_000);
  });

  it('06:59 waits one minute; the month end rolls over', () => {
    expect(quietHoursWaitMs(at('2026-05-11T06:59:00'))).toBe(60_000);
    expect(new Date(at('2026-05-31T23:30:00').getTime() + quietHoursWaitMs(at('2026-05-31T23:30:00'))).toISOString()).toBe('2026-05-31T23:00:00.000Z');
  });
});
