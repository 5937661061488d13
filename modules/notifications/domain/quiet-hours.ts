/** China has no daylight-saving time: UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
export const QUIET_FROM_HOUR = 22;
export const QUIET_UNTIL_HOUR = 7;

/**
 * No e-mail 22:00–07:00 China time: how long a message written at `now` waits (0 outside
 * quiet hours); the wait ends at 07:00 China time.
 */
export function quietHoursWaitMs(now: Date): number {
  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  const hour = china.getUTCHours();
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return 0;
  const morning = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), QUIET_UNTIL_HOUR));
  if (hour >= QUIET_FROM_HOUR) morning.setUTCDate(morning.getUTCDate() + 1);
  return morning.getTime() - china.getTime();
}
