export { RemindersModule, RemindersCoreModule } from './reminders.module';
export { RemindersJobsModule, RemindersProcessor, sendDueJobId, queueReminderCheck } from './jobs/reminders.processor';
export { RemindersService } from './reminders.service';
export type { ReminderRunResult } from './reminders.service';
export { REMINDER_SINK } from './domain/reminder-sink';
export type { ReminderSink, ReminderNotifyInput } from './domain/reminder-sink';
export { REMINDER_KINDS, reminderDedupeKey, isoWeekday } from './domain/reminder-kinds';
export type { ReminderKind } from './domain/reminder-kinds';
