import { defineErrors } from './error-catalog';

export const CommonErrors = defineErrors('COMMON', {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误，请检查后重试', en: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  JSON_TOO_DEEP: { status: 400, zh: '请求体 JSON 嵌套层级过深（最多 32 层）', en: 'The JSON body is nested too deeply (at most 32 levels)' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  NOT_FOUND: { status: 404, zh: '未找到所请求的资源', en: 'The resource was not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  UNAUTHENTICATED: { status: 401, zh: '未登录或登录已失效', en: 'Authentication is required' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  CONFLICT: { status: 409, zh: '数据与现有记录冲突', en: 'The data conflicts with an existing record' },
  STALE_VERSION: {
    status: 409,
    zh: '记录已被他人修改（当前版本 {current}），请刷新后重试',
    en: 'The record was changed by someone else (now version {current}); reload and retry',
  },
  REFERENCE_MISSING: { status: 422, zh: '引用的记录不存在', en: 'A referenced record does not exist' },
  INVALID_VALUE: { status: 400, zh: '字段取值无效', en: 'A field has an invalid value' },
  TOO_MANY_REQUESTS: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    zh: '该幂等键已用于另一个请求',
    en: 'This Idempotency-Key was used for a different request',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误，请稍后再试', en: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂不可用', en: 'Service unavailable' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    zh: '数据库连接暂时中断，本次操作未生效，请稍后重试',
    en: 'The database connection was interrupted; nothing was changed. Retry shortly',
  },
  REQUEST_TIMEOUT: { status: 408, zh: '请求发送超时，连接已关闭', en: 'The request took too long to arrive; the connection was closed' },
});
