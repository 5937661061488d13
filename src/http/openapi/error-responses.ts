import { AuthErrors } from '../../auth/auth.errors';
import { CommonErrors } from '../../errors/common.errors';
import { ErrorDefinition, registeredCatalogues } from '../../errors/error-catalog';
import { TenancyErrors } from '../../tenancy/tenancy.errors';
import { TimeErrors } from '../../time/not-future';
import { PaginationErrors } from '../pagination';
import type { RouteMetadata } from './route-metadata';

/** The extension on every documented error response listing the `code`s it may carry. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/** The rate-limit headers @nestjs/throttler sends on every response it lets through (src/http/rate-limit). */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': '当前时间窗口允许的请求数 / requests allowed in the window',
  'X-RateLimit-Remaining': '当前时间窗口剩余的请求数 / requests left in the window',
  'X-RateLimit-Reset': '距时间窗口重置的秒数 / seconds until the window resets',
} as const;

const WRITE_VERBS = new Set(['post', 'put', 'patch', 'delete']);

export interface OperationShape {
  verb: string;
  path: string;
  hasParameters: boolean;
  hasBody: boolean;
  hasCursor: boolean;
  /** statuses the controller documented by hand (e.g. @ApiTooManyRequestsResponse) */
  declaredStatuses: number[];
}

/**
 * The error codes an operation can answer with, generated from the catalogues and the
 * global rules of the guards, pipes and filter — never typed per route:
 * - its own module's catalogue (the unit its controller is declared in), the catalogues of
 *   the modules its Nest module imports (their services' errors pass through), + @ApiErrors;
 * - 400 validation when it takes parameters or a body, PAGINATION.BAD_CURSOR with a cursor;
 * - 401/403 (AUTH.*, TENANCY.*) unless public; 404 when the path has an id;
 * - 409/422 (version conflict, duplicates, missing references) on writes;
 * - 413/415 with a body; 429 always (the API's rate limit), a module's own 429s where the
 *   route names its limit; 500 always.
 */
export function errorsOf(route: RouteMetadata | undefined, op: OperationShape): ErrorDefinition[] {
  const out = new Map<string, ErrorDefinition>();
  const add = (...defs: ErrorDefinition[]) => defs.forEach((d) => out.set(d.code, d));
  const isPublic = route?.isPublic ?? false;
  const throttled = (route?.throttled ?? false) || op.declaredStatuses.includes(429);
  if (route?.unit) {
    const units = new Set([route.unit, ...route.importedUnits]);
    for (const catalogue of registeredCatalogues()) {
      if (!catalogue.unit || !units.has(catalogue.unit)) continue;
      // 401/429 of a module (login failures, lockouts) belong to public or throttled routes only
      add(
        ...catalogue.errors.filter(
          (e) => (e.status !== 429 || throttled) && (e.status !== 401 || isPublic || op.declaredStatuses.includes(401)),
        ),
      );
    }
  }
  add(...(route?.extraErrors ?? []));
  if (op.hasParameters || op.hasBody) add(CommonErrors.VALIDATION_FAILED, CommonErrors.INVALID_VALUE);
  if (op.hasCursor) add(PaginationErrors.BAD_CURSOR);
  // the JSON parser's depth check (issue 8 item 4) answers before any route code runs
  if (op.hasBody) add(CommonErrors.MALFORMED_JSON, CommonErrors.JSON_TOO_DEEP, CommonErrors.PAYLOAD_TOO_LARGE, CommonErrors.UNSUPPORTED_MEDIA_TYPE);
  if (!isPublic) {
    add(CommonErrors.UNAUTHENTICATED, AuthErrors.TOKEN_MISSING, AuthErrors.TOKEN_INVALID, AuthErrors.SESSION_ENDED);
    add(CommonErrors.FORBIDDEN, AuthErrors.FORBIDDEN, TenancyErrors.NO_TENANT_CONTEXT);
  }
  if (op.path.includes('{')) add(CommonErrors.NOT_FOUND);
  if (WRITE_VERBS.has(op.verb) && !isPublic) {
    add(CommonErrors.CONFLICT, CommonErrors.STALE_VERSION, CommonErrors.IDEMPOTENCY_CONFLICT, CommonErrors.REFERENCE_MISSING);
    // the Idempotency-Key interceptor (src/http/idempotency) answers on any write
    for (const c of registeredCatalogues()) if (c.prefix === 'IDEMPOTENCY') add(...c.errors);
    // dates of things that already happened are bounded by China's today in every module (src/time/not-future.ts)
    if (op.hasBody) add(TimeErrors.DATE_IN_FUTURE);
  }
  // every route counts against a rate limit (src/http/rate-limit): its own or the API's
  add(CommonErrors.TOO_MANY_REQUESTS);
  // the request deadline (408) and a lost database connection (503) can end any request (issue 8 items 12, 17)
  add(CommonErrors.REQUEST_TIMEOUT, CommonErrors.DATABASE_UNAVAILABLE, CommonErrors.INTERNAL);
  return [...out.values()];
}

/** RFC 9457 problem details, as src/errors/problem.filter.ts renders them. */
export const PROBLEM_SCHEMAS = {
  ProblemFieldError: {
    type: 'object',
    description: '一个字段的错误 / one invalid field',
    required: ['field', 'message'],
    properties: {
      field: { type: 'string', maxLength: 200, description: '点分路径，例如 `items.0.name`；行错误为 `row 3 列名`', example: 'name' },
      message: { type: 'string', maxLength: 1000, description: '按 Accept-Language 的说明', example: '不能为空' },
    },
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 问题详情（application/problem+json）。默认中文，`Accept-Language: en` 时为英文。',
    required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
    properties: {
      type: { type: 'string', format: 'uri', maxLength: 200, description: '错误类型 URI，由 code 派生', example: 'https://jishi.gd.cn/problems/common-validation-failed' },
      title: { type: 'string', maxLength: 500, description: '错误标题', example: '请求参数有误，请检查后重试' },
      status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599, description: 'HTTP 状态码', example: 400 },
      detail: { type: 'string', maxLength: 20000, description: '详细说明（字段错误逐条列出）', example: 'name: 不能为空' },
      instance: { type: 'string', maxLength: 2000, description: '出错的请求路径', example: '/api/v1/students' },
      code: { type: 'string', maxLength: 100, pattern: '^[A-Z][A-Z0-9_]*\\.[A-Z][A-Z0-9_]*$', description: '机器可读的错误码 `MODULE.UPPER_SNAKE`（各接口列出其可能的错误码）', example: 'COMMON.VALIDATION_FAILED' },
      requestId: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9._-]{8,64}$', description: '请求 ID（同 X-Request-Id 响应头），报障时提供', example: '8d3c1f0e-5b7a-4c2e-9f1d-2a6b4c8e0f13' },
      errors: { type: 'array', maxItems: 10000, items: { $ref: '#/components/schemas/ProblemFieldError' }, description: '字段错误列表' },
    },
  },
} as const;

const STATUS_TEXT: Record<number, string> = {
  400: '请求无效 / bad request',
  401: '未登录或令牌无效 / not authenticated',
  403: '无权操作 / forbidden',
  404: '资源不存在（含其他院校的数据） / not found',
  405: '不支持的方法 / method not allowed',
  408: '请求超时 / request timeout',
  409: '冲突（版本过期、重复） / conflict',
  413: '请求体过大 / payload too large',
  415: '不支持的内容类型 / unsupported media type',
  422: '业务规则不允许 / rule refused',
  429: '请求过于频繁 / too many requests',
  500: '服务器内部错误 / internal error',
  503: '服务暂不可用 / unavailable',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `HTTP ${status}`;
}

/** An example problem document for a code, in Chinese (the default language). */
export function problemExample(def: ErrorDefinition, instance: string): Record<string, unknown> {
  const title = def.zh.replace(/\{(\w+)\}/g, '…');
  return {
    type: `https://jishi.gd.cn/problems/${def.code.toLowerCase().replace(/[._]/g, '-')}`,
    title,
    status: def.status,
    detail: title,
    code: def.code,
    errors: [],
    requestId: '8d3c1f0e-5b7a-4c2e-9f1d-2a6b4c8e0f13',
    instance,
  };
}
