import { chinaDateOf, currentClock } from './clock';

export { chinaDateOf };

/**
 * Today's date in China as `YYYY-MM-DD` (ARCHITECTURE §5: date-only fields are China dates),
 * by the process's injected clock (src/time/clock.ts) unless an instant is given.
 */
export function chinaToday(now: Date = currentClock().now()): string {
  return chinaDateOf(now);
}

/** The China date `days` days from today (negative: the past), by the injected clock. */
export function chinaDaysFromToday(days: number, today: string = chinaToday()): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
