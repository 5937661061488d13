import { AppException } from '../errors/app.exception';
import { defineErrors } from '../errors/error-catalog';
import { chinaToday } from './china-date';

export const TimeErrors = defineErrors('TIME', {
  DATE_IN_FUTURE: {
    status: 422,
    zh: '{fieldZh}（{date}）是已经发生的日期，不能晚于今天（北京时间 {today}）',
    en: '{fieldEn} ({date}) records something that already happened and cannot be after today ({today}, China time)',
  },
});

/**
 * Dates of things that already happened (a departure, a reassignment, a check, a signature)
 * cannot lie in the future, by China's "today" of the injected clock: the rule hours follow
 * (R-TRN-4), applied to every such date. Undefined passes (the service defaults it to today).
 */
export function assertNotFuture(date: string | null | undefined, field: string, fieldZh: string, fieldEn: string, today: string = chinaToday()): void {
  if (date === undefined || date === null || date <= today) return;
  throw new AppException(TimeErrors.DATE_IN_FUTURE, { date, today, fieldZh, fieldEn }, [
    {
      field,
      constraint: TimeErrors.DATE_IN_FUTURE.code,
      zh: `${fieldZh}不能晚于今天（${today}）`,
      en: `${fieldEn} cannot be after today (${today})`,
    },
  ]);
}
