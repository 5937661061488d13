/**
 * Date-only values (`YYYY-MM-DD`, a calendar day in China time) as whole days since
 * 1970-01-01. Everything here is integer arithmetic on UTC day numbers, so the machine's
 * own timezone never shifts a day (ARCHITECTURE §5: date-only fields are China dates).
 */
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** The day number of a valid `YYYY-MM-DD` string, or undefined (2026-02-30 is not a date). */
export function parseDateOnly(value: string): number | undefined {
  const m = DATE_ONLY.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to 2026-03-02; a real date survives the round trip.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

export function isDateOnly(value: string): boolean {
  return parseDateOnly(value) !== undefined;
}

export function formatDateOnly(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekend(dayNumber: number): boolean {
  const d = weekdayOf(dayNumber);
  return d === 0 || d === 6;
}

export function yearOfDay(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
}

/** China has had no daylight saving time since 1991: midnight there is always 16:00 UTC the day before. */
export function chinaMidnightInstant(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY - 8 * 3_600_000).toISOString();
}
