import { Module } from '@nestjs/common';
import { Mailer } from './channels/mailer';
import { LoggingSmsSender, SMS_SENDER } from './channels/sms-sender';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { PilotEventNotifier } from './pilot-event.notifier';

/**
 * `NotificationsService.notify` and `DeliveryService.sendDirect` for other modules
 * (reminders, identity, reports): no routes, no workers, so any module may import it.
 */
@Module({
  providers: [NotificationsRepository, NotificationsService, DeliveryRepository, DeliveryService, PilotEventNotifier, Mailer, { provide: SMS_SENDER, useClass: LoggingSmsSender }],
  exports: [NotificationsService, DeliveryService, PilotEventNotifier, SMS_SENDER, Mailer],
})
export class NotificationsCoreModule {}
