export { NotificationsCoreModule } from './notifications-core.module';
export { NotificationsModule } from './notifications.module';
export { NotificationsService, deliverJobId } from './notifications.service';
export type { NotifyInput } from './notifications.service';
export { NOTIFICATION_KINDS, KIND_NAMES } from './domain/kinds';
export type { NotificationKind } from './domain/kinds';
