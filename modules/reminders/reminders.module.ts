import { Module } from '@nestjs/common';
import { REMINDER_SINK } from './domain/reminder-sink';
import { ReminderLogSink } from './reminder-log.sink';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';

/** The reminders' service and SQL, shared by the API (routes) and the worker (jobs). */
@Module({
  providers: [
    RemindersRepository,
    RemindersService,
    // Delivery: the notifications module once merged (`useExisting: NotificationsService`).
    { provide: REMINDER_SINK, useClass: ReminderLogSink },
  ],
  exports: [RemindersService],
})
export class RemindersCoreModule {}

/** Issue 13: the reminders routes (GET /reminders/sent, POST /reminders/run). */
@Module({ imports: [RemindersCoreModule], controllers: [RemindersController] })
export class RemindersModule {}
