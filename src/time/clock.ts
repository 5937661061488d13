/** China has kept UTC+8 all year since 1991: no time-zone database needed for "today". */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China date (`YYYY-MM-DD`) of an instant. */
export function chinaDateOf(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Settings that freeze or shift the clock (tests, demos). Unset: the system time. */
export interface ClockSettings {
  /** An ISO 8601 instant with a zone (`2026-03-01T01:00:00+08:00`): the clock stands still there. */
  CLOCK_FIXED_NOW?: string;
  /** Milliseconds added to the system time (negative: the past). Ignored when CLOCK_FIXED_NOW is set. */
  CLOCK_OFFSET_MS?: number | string;
}

/** An instant with an explicit zone: `Z` or `±hh:mm`. A bare local time would depend on the host's zone. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO_INSTANT whose calendar fields exist (2028-02-30 does not, though Date.parse rolls it over). */
export function isRealInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value);
  if (!m) return false;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return false;
  const zone = m[3] === 'Z' ? 0 : (m[3][0] === '-' ? -1 : 1) * (Number(m[3].slice(1, 3)) * 60 + Number(m[3].slice(4, 6)));
  return new Date(ms + zone * 60_000).toISOString().slice(0, 16) === value.slice(0, 16);
}

/**
 * The one clock of the process. "Now" and China's "today" come from here, in code and
 * (through the `app.now` transaction setting, see `china_today()` in SQL) in the database.
 * Production runs on the system time; CLOCK_FIXED_NOW / CLOCK_OFFSET_MS freeze or shift it.
 */
export class Clock {
  private constructor(
    private readonly fixedMs: number | null,
    private readonly offsetMs: number,
  ) {}

  static system(): Clock {
    return new Clock(null, 0);
  }

  static fixed(at: Date | string): Clock {
    const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
    if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(at)}`);
    return new Clock(ms, 0);
  }

  static offset(ms: number): Clock {
    return new Clock(null, ms);
  }

  static fromSettings(s: ClockSettings): Clock {
    if (s.CLOCK_FIXED_NOW !== undefined && s.CLOCK_FIXED_NOW !== '') {
      if (!isRealInstant(s.CLOCK_FIXED_NOW)) {
        throw new Error('CLOCK_FIXED_NOW must be an ISO 8601 instant with a zone, e.g. 2026-03-01T01:00:00+08:00');
      }
      return Clock.fixed(s.CLOCK_FIXED_NOW);
    }
    if (s.CLOCK_OFFSET_MS !== undefined && s.CLOCK_OFFSET_MS !== '') {
      const ms = Number(s.CLOCK_OFFSET_MS);
      if (!Number.isInteger(ms)) throw new Error('CLOCK_OFFSET_MS must be an integer number of milliseconds');
      return Clock.offset(ms);
    }
    return Clock.system();
  }

  /** True when the clock is the unmodified system time. */
  get isSystem(): boolean {
    return this.fixedMs === null && this.offsetMs === 0;
  }

  now(): Date {
    return new Date(this.fixedMs ?? Date.now() + this.offsetMs);
  }

  /** Today's date in China (Asia/Shanghai), `YYYY-MM-DD`. */
  today(): string {
    return chinaDateOf(this.now());
  }

  /** The value pinned as `app.now` in each transaction: '' on the system clock, so SQL reads now(). */
  sqlNow(): string {
    return this.isSystem ? '' : this.now().toISOString();
  }
}

let current: Clock | undefined;

/** The process's clock: set at boot from the validated configuration, else read from the environment. */
export function currentClock(): Clock {
  current ??= Clock.fromSettings(process.env);
  return current;
}

/** Replaces the process's clock (boot, tests). Returns the previous one. */
export function setClock(clock: Clock): Clock | undefined {
  const previous = current;
  current = clock;
  return previous;
}

/** Forgets the process's clock; the next use reads the environment again. */
export function resetClock(): void {
  current = undefined;
}
