import type { ReminderKind } from './reminder-kinds';

/**
 * Where a due reminder is delivered: the shape of the notifications module's
 * `NotificationsService.notify` (issue 13), so wiring it is one provider line in
 * RemindersCoreModule: `{ provide: REMINDER_SINK, useExisting: NotificationsService }`.
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
