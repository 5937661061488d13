const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in China (Asia/Shanghai) as `YYYY-MM-DD` (ARCHITECTURE §5: date-only fields are China dates). */
export function chinaToday(now: Date = new Date()): string {
  return CHINA_DAY.format(now);
}
