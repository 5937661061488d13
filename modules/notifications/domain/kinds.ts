/**
 * Every kind of notification. A kind names what happened, so a user can choose per kind
 * which channels they want (preferences); reminders are `reminder.<what>`.
 */
export const NOTIFICATION_KINDS = [
  'invitation',
  'password-reset',
  'pilot-event',
  'report-ready',
  'reminder.notice-deadline',
  'reminder.public-notice-ending',
  'reminder.mentor-pair-missing',
  'reminder.practice-hours-at-risk',
  'reminder.awaiting-mentor',
  'reminder.awaiting-mentor-escalated',
  'reminder.stage-assessment-missing',
  'reminder.agreement-expiring',
  'reminder.team-non-compliant',
  'reminder.graduate-follow-up',
  'reminder.evaluation',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Chinese names of the kinds (preferences page, digest headings). */
export const KIND_NAMES: Record<NotificationKind, string> = {
  invitation: '账号邀请',
  'password-reset': '密码重置',
  'pilot-event': '试点工作进展',
  'report-ready': '报表生成完成',
  'reminder.notice-deadline': '申报截止提醒',
  'reminder.public-notice-ending': '公示期即将结束',
  'reminder.mentor-pair-missing': '"1+1"导师未配齐',
  'reminder.practice-hours-at-risk': '实践学时不足风险',
  'reminder.awaiting-mentor': '待企业导师确认',
  'reminder.awaiting-mentor-escalated': '企业导师确认超期',
  'reminder.stage-assessment-missing': '阶段考核缺失',
  'reminder.agreement-expiring': '合作协议即将到期',
  'reminder.team-non-compliant': '教学团队不达标',
  'reminder.graduate-follow-up': '毕业生跟踪回访',
  'reminder.evaluation': '评估安排与结论',
};

/** Kinds a user asked for themselves: never held by quiet hours. */
export const USER_REQUESTED_KINDS: readonly NotificationKind[] = ['password-reset'];

export const EMAIL_MODES = ['off', 'immediate', 'digest'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];
