import { addMonths } from '../../modules/cohorts';
import { chinaDaysFromToday, chinaToday } from '../../src/time/china-date';

/**
 * Dates relative to the China "today" of the injected clock (src/time/clock.ts), so no test
 * expires (issue 8). Only fixed facts (the holiday calendar, leap days) stay literal in tests.
 */
export const today = (): string => chinaToday();

/** Today's China date moved by `n` days (negative: the past). */
export const daysFromToday = (n: number): string => chinaDaysFromToday(n);

/** Today's China date moved by `n` calendar months (end-of-month clamped, as cohorts count). */
export const monthsFromToday = (n: number): string => addMonths(chinaToday(), n);
