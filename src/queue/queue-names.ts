/**
 * Every queue and job of the system, with its payload type (ARCHITECTURE §6).
 * Queue names are kebab-case, job names `<module>.<verb>`. Payloads hold ids only,
 * never personal data (QUALITY §3): a job log is not a place for names or ID numbers.
 */
export const QUEUES = {
  reminders: 'reminders',
  reports: 'reports',
  notifications: 'notifications',
  imports: 'imports',
  /** platform housekeeping (outbox cleanup, retention sweeps) */
  maintenance: 'maintenance',
  /** stored per-cohort KPI counts (issue 11) */
  kpis: 'kpis',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

/**
 * Every payload says which college it acts for. `null` only for province-wide jobs,
 * which run with province scope and fan out per tenant when they touch tenant data.
 */
export interface JobPayloadBase {
  tenantId: string | null;
}

/**
 * Job name → payload. Modules add their jobs here (ids only). The processor base reads
 * `tenantId` to pin the tenant; `OutboxService.enqueue` only accepts names listed here.
 */
export interface JobPayloads {
  'outbox.cleanup': JobPayloadBase & { tenantId: null; olderThanDays: number };
  'audit.retention-sweep': JobPayloadBase & { tenantId: null };
  /** daily (issue 13): province reminders, then one `reminders.send-due` per active college */
  'reminders.fan-out': JobPayloadBase & { tenantId: null; day?: string };
  'reminders.send-due': JobPayloadBase & { tenantId: string; day: string };
  'reports.generate': JobPayloadBase & { reportId: string };
  /** the monthly province KPI report (issue 13): creates the month's report once, then generates it */
  'reports.monthly-province': JobPayloadBase & { tenantId: null };
  'notifications.deliver': JobPayloadBase & { notificationId: string };
  'imports.process': JobPayloadBase & { tenantId: string; importId: string };
  /** a step of the pilot process the college is told about (issue 12); no worker yet (notifications issue) */
  'notifications.pilot-event': JobPayloadBase & { tenantId: string; event: string; subjectId: string };
  /** recompute a cohort's stored KPI counts (`cohortId: null`: every cohort of the college) */
  'kpis.refresh-counts': JobPayloadBase & { tenantId: string; cohortId: string | null };
  /** nightly: one refresh-counts job per college */
  'kpis.refresh-all': JobPayloadBase & { tenantId: null };
  /** an e-mail or SMS to an address (invitation, password reset), not to an inbox (issue 13) */
  'notifications.send-direct': JobPayloadBase & { messageId: string };
  /** the daily e-mail digest of every user who chose it (issue 13) */
  'notifications.digest': JobPayloadBase & { tenantId: null };
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

/** Which queue carries which job: one place, so a job cannot be enqueued on the wrong queue. */
export const JOB_QUEUE = {
  'outbox.cleanup': QUEUES.maintenance,
  'audit.retention-sweep': QUEUES.maintenance,
  'reminders.fan-out': QUEUES.reminders,
  'reminders.send-due': QUEUES.reminders,
  'reports.generate': QUEUES.reports,
  'reports.monthly-province': QUEUES.reports,
  'notifications.deliver': QUEUES.notifications,
  'imports.process': QUEUES.imports,
  'notifications.pilot-event': QUEUES.notifications,
  'kpis.refresh-counts': QUEUES.kpis,
  'kpis.refresh-all': QUEUES.kpis,
  'notifications.send-direct': QUEUES.notifications,
  'notifications.digest': QUEUES.notifications,
} as const satisfies { readonly [N in JobName]: QueueName };

/** The job names a queue carries, e.g. `JobNameOn<'maintenance'>` = 'outbox.cleanup'. */
export type JobNameOn<Q extends QueueName> = {
  [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never;
}[JobName];
