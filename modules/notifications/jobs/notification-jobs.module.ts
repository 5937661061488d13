import { Module } from '@nestjs/common';
import { DeliveryRepository } from '../delivery.repository';
import { NotificationsCoreModule } from '../notifications-core.module';
import { NotificationsProcessor, PilotEventNotifier } from './notifications.processor';

/** The worker side of notifications (imported by src/worker.module.ts only). */
@Module({
  imports: [NotificationsCoreModule],
  providers: [DeliveryRepository, PilotEventNotifier, NotificationsProcessor],
})
export class NotificationJobsModule {}
