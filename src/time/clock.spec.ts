import { loadConfig } from '../../config/app-config';
import { chinaToday } from './china-date';
import { Clock, currentClock, resetClock, setClock } from './clock';

describe('Clock', () => {
  afterEach(() => resetClock());

  it('a fixed clock at 01:00 China time gives the China date, while the UTC date is the day before', () => {
    const clock = Clock.fromSettings({ CLOCK_FIXED_NOW: '2028-02-29T01:00:00+08:00' }); // a leap day: a fixed fact
    expect(clock.now().toISOString()).toBe('2028-02-28T17:00:00.000Z');
    expect(clock.today()).toBe('2028-02-29');
    expect(clock.sqlNow()).toBe('2028-02-28T17:00:00.000Z');
    expect(clock.isSystem).toBe(false);
  });

  it('turns the China date at 16:00 UTC on both sides of midnight in China', () => {
    expect(Clock.fixed('2028-02-28T15:59:59.999Z').today()).toBe('2028-02-28');
    expect(Clock.fixed('2028-02-28T16:00:00.000Z').today()).toBe('2028-02-29');
  });

  it('an offset clock shifts the system time; the system clock pins nothing for SQL', () => {
    const day = 86_400_000;
    const shifted = Clock.fromSettings({ CLOCK_OFFSET_MS: String(-day) });
    expect(Math.abs(shifted.now().getTime() - (Date.now() - day))).toBeLessThan(1000);
    expect(Clock.system().sqlNow()).toBe('');
    expect(Clock.fromSettings({}).isSystem).toBe(true);
  });

  it('chinaToday() follows the process clock once it is set', () => {
    setClock(Clock.fixed('2028-02-28T17:00:00Z'));
    expect(chinaToday()).toBe('2028-02-29');
    expect(currentClock().today()).toBe('2028-02-29');
  });

  it.each(['2028-02-29T01:00:00', '2028-02-29', 'yesterday', '2028-02-30T01:00:00+08:00'])('refuses CLOCK_FIXED_NOW=%s (no zone, not an instant)', (value) => {
    expect(() => Clock.fromSettings({ CLOCK_FIXED_NOW: value })).toThrow(/CLOCK_FIXED_NOW/);
  });

  it('the configuration validates the clock settings', () => {
    const base = {
      DATABASE_URL: 'postgres://app_user:pw@127.0.0.1:5432/jishi',
      JWT_SECRET: 'x'.repeat(48),
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      PII_HASH_KEY: 'y'.repeat(40),
    };
    expect(loadConfig({ ...base, CLOCK_FIXED_NOW: '2028-02-29T01:00:00+08:00' }).CLOCK_FIXED_NOW).toBe('2028-02-29T01:00:00+08:00');
    expect(loadConfig({ ...base, CLOCK_FIXED_NOW: '' }).CLOCK_FIXED_NOW).toBeUndefined();
    expect(() => loadConfig({ ...base, CLOCK_FIXED_NOW: '2028-02-29 01:00' })).toThrow(/CLOCK_FIXED_NOW/);
    expect(() => loadConfig({ ...base, CLOCK_OFFSET_MS: '1.5' })).toThrow(/CLOCK_OFFSET_MS/);
    expect(loadConfig({ ...base, CLOCK_OFFSET_MS: '-3600000' }).CLOCK_OFFSET_MS).toBe(-3600000);
  });
});
