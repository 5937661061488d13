import { defineErrors } from '../../src/errors/error-catalog';

export const NotificationErrors = defineErrors('NOTIFICATIONS', {
  NOT_FOUND: { status: 404, zh: '未找到该通知', en: 'Notification not found' },
});
