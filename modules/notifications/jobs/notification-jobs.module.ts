import { Module } from '@nestjs/common';
import { NotificationsCoreModule } from '../notifications-core.module';
import { NotificationsProcessor } from './notifications.processor';

/** The worker side of notifications (imported by src/worker.module.ts only). */
@Module({
  imports: [NotificationsCoreModule],
  providers: [NotificationsProcessor],
})
export class NotificationJobsModule {}
