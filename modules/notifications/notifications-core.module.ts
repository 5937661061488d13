import { Module } from '@nestjs/common';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * `NotificationsService.notify` for other modules (reminders, identity, reports): no routes,
 * no workers, so any module or job module may import it.
 */
@Module({
  providers: [NotificationsRepository, NotificationsService],
  exports: [NotificationsService],
})
export class NotificationsCoreModule {}
