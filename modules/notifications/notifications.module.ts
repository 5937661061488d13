import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { InboxService } from './inbox.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsCoreModule } from './notifications-core.module';
import { NotificationsRepository } from './notifications.repository';

/** The signed-in user's inbox and preferences (API process). */
@Module({
  imports: [NotificationsCoreModule, AuditModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, InboxService],
})
export class NotificationsModule {}
