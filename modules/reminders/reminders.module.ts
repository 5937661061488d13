import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { NotificationsCoreModule, NotificationsService } from '../notifications';
import { REMINDER_SINK } from './domain/reminder-sink';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';

/** The reminders' service and SQL, shared by the API (routes) and the worker (jobs). */
@Module({
  imports: [AuditModule, NotificationsCoreModule],
  providers: [
    RemindersRepository,
    RemindersService,
    // Delivery: in-app inbox, e-mail and SMS per the recipient's preferences, one per (recipient, dedupe key).
    { provide: REMINDER_SINK, useExisting: NotificationsService },
  ],
  exports: [RemindersService],
})
export class RemindersCoreModule {}

/** Issue 13: the reminders routes (GET /reminders/sent, POST /reminders/run). */
@Module({ imports: [RemindersCoreModule], controllers: [RemindersController] })
export class RemindersModule {}
