import { defineErrors } from '../../src/errors/error-catalog';

export const NotificationErrors = defineErrors('NOTIFICATIONS', {
  NOT_FOUND: { status: 404, zh: '未找到该通知', en: 'Notification not found' },
  UNKNOWN_KIND: { status: 404, zh: '没有这种通知类型（见 GET /notifications/preferences 列出的 kind）', en: 'No such notification kind (see the kinds GET /notifications/preferences lists)' },
});
