/** China has kept UTC+8 all year since 1991: no time-zone database needed for "today". */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Today's date in China as `YYYY-MM-DD` (ARCHITECTURE §5: date-only fields are China dates). */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
