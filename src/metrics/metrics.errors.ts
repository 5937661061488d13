import { defineErrors } from '../errors/error-catalog';

export const MetricsErrors = defineErrors('METRICS', {
  NOT_FOUND: { status: 404, zh: '未找到该地址', en: 'Not found' },
  TOKEN_REQUIRED: { status: 401, zh: '抓取指标需要有效的令牌', en: 'A valid metrics token is required' },
});
