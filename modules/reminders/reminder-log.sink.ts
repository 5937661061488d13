import { Injectable, Logger } from '@nestjs/common';
import type { ReminderNotifyInput, ReminderSink } from './domain/reminder-sink';

/**
 * Stand-in until the notifications module delivers: reminder_deliveries already holds what
 * went out (GET /reminders/sent); this only logs ids and counts, never names.
 */
@Injectable()
export class ReminderLogSink implements ReminderSink {
  private readonly logger = new Logger('Reminders');

  async notify(input: ReminderNotifyInput): Promise<{ created: number }> {
    this.logger.log(`${input.kind} ${input.dedupeKey} → ${input.recipientUserIds.length} recipient(s)`);
    return { created: input.recipientUserIds.length };
  }
}
