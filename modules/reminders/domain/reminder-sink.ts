import type { ReminderKind } from './reminder-kinds';

/**
 * Where a due reminder is delivered: the notifications module's `NotificationsService.notify`
 * (wired in RemindersCoreModule; tests put a recording sink in its place).
 * Called inside the reminder's transaction: a delivery that fails rolls the record back
 * and the job's retry sends it again, once.
 */
export interface ReminderNotifyInput {
  tenantId: string | null;
  recipientUserIds: string[];
  kind: ReminderKind;
  title: string;
  body: string;
  link?: string;
  /** same (recipient, dedupeKey) twice = one notification, ever */
  dedupeKey: string;
}

export interface ReminderSink {
  notify(input: ReminderNotifyInput): Promise<{ created: number }>;
}

export const REMINDER_SINK = Symbol('REMINDER_SINK');
