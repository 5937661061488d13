import { NOTIFICATION_KINDS, NotificationKind } from '../../notifications';

/** A reminder of issue 13 is the notification kind named `reminder.<what>`, delivered as-is. */
export type ReminderKind = Extract<NotificationKind, `reminder.${string}`>;
export const REMINDER_KINDS: readonly ReminderKind[] = NOTIFICATION_KINDS.filter((k): k is ReminderKind => k.startsWith('reminder.'));

/** R-APP-1: the addressed colleges are reminded 7 and 2 days before a notice's deadline. */
export const NOTICE_DEADLINE_DAYS_BEFORE = [7, 2] as const;
/** R-APP-5: the province is reminded the day before the public-notice window ends and the day after it ended (still open). */
export const PUBLICITY_DAYS_BEFORE_END = [1, -1] as const;
/** R-TRN-4: a stage that ended without its assessment: the day after the end, and again a week later. */
export const STAGE_ASSESSMENT_DAYS_AFTER_END = [1, 7] as const;
/** R-EVA-4: follow-ups 6 and 12 months after graduation. */
export const FOLLOW_UP_MONTHS = [6, 12] as const;
/** An evaluation is announced the day after it is scheduled, a week before its date, and the day after its conclusion. */
export const EVALUATION_DAYS_BEFORE = 7;

/* Reminders about a standing condition (1+1 pair, hours at risk, team compliance) have no threshold day: they go out weekly on REMINDER_WEEKLY_ISO_DAY. */

/** ISO weekday (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD` date. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The one key of a reminder: kind, subject, threshold and day. The notifications module keeps
 * one notification per (recipient, dedupe key), and so does reminder_deliveries: the same
 * reminder found again by a second worker, a retry or a manual run is not sent twice.
 */
export function reminderDedupeKey(kind: ReminderKind, subjectId: string, variant: string, day: string): string {
  return `${kind}:${subjectId}:${variant}:${day}`;
}

/** A reminder ready to go: who gets it, what it says, and the key that makes it go out once. */
export interface ReminderMessage {
  kind: ReminderKind;
  subjectType: string;
  subjectId: string;
  variant: string;
  recipientUserIds: string[];
  title: string;
  body: string;
  link: string;
}

export const KIND_NAMES_ZH: Record<ReminderKind, string> = {
  'reminder.notice-deadline': '试点申报截止提醒',
  'reminder.public-notice-ending': '公示期结束提醒',
  'reminder.mentor-pair-missing': '双导师未配齐提醒',
  'reminder.practice-hours-at-risk': '实践学时滞后提醒',
  'reminder.awaiting-mentor': '待企业导师确认提醒',
  'reminder.awaiting-mentor-escalated': '企业导师超期未确认（上报企业管理员）',
  'reminder.stage-assessment-missing': '实践阶段考核未录入提醒',
  'reminder.agreement-expiring': '合作协议即将到期提醒',
  'reminder.team-non-compliant': '教学和考评团队不达标提醒',
  'reminder.graduate-follow-up': '毕业生跟踪回访提醒',
  'reminder.evaluation': '试点评估提醒',
};

/** Up to five names, then "等N人". */
export function namesZh(names: string[], total: number): string {
  const shown = names.slice(0, 5).join('、');
  return total > names.length || total > 5 ? `${shown}等${total}人` : shown;
}
