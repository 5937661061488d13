import { defineErrors } from '../errors/error-catalog';

export const HealthErrors = defineErrors('HEALTH', {
  NOT_READY: { status: 503, zh: '服务尚未就绪', en: 'The service is not ready' },
});
