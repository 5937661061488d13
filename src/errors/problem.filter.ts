import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { requestIdOf } from '../http/request-id';
import { responseSent, sendResponse, setResponseHeader } from '../http/reply';
import { AppException, FieldError } from './app.exception';
import { CommonErrors } from './common.errors';
import { ErrorDefinition, interpolate } from './error-catalog';
import { validationMessage } from './validation-messages';

export type Lang = 'zh' | 'en';

export function languageOf(req: Pick<Request, 'headers'>): Lang {
  const header = String(req.headers['accept-language'] ?? '').trim().toLowerCase();
  return header.startsWith('en') ? 'en' : 'zh';
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: { field: string; message: string }[];
  requestId?: string;
  instance?: string;
}

/** Maps PostgreSQL SQLSTATEs that user input can cause to 4xx codes; anything else is a 500. */
function fromDatabaseError(error: QueryFailedError): AppException | undefined {
  const code = (error as unknown as { code?: string }).code;
  switch (code) {
    case '23505':
      return new AppException(CommonErrors.CONFLICT);
    case '23503':
      return new AppException(CommonErrors.REFERENCE_MISSING);
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
    case '22P05': // untranslatable character (U+0000 in jsonb/text) — refused earlier, kept as a safety net
    case '23502': // a required column left empty (an optional field sent as null)
    case '23514':
      return new AppException(CommonErrors.INVALID_VALUE);
    case '42501':
      // RLS refused the row: to the caller it does not exist (never reveal another tenant).
      return new AppException(CommonErrors.NOT_FOUND);
    default:
      return undefined;
  }
}

/** Nest's own HttpExceptions (unknown route, body parser errors, …) as catalogue errors. */
function fromHttpException(error: HttpException): AppException {
  const status = error.getStatus();
  const response = error.getResponse() as { message?: unknown } | string;
  const message = typeof response === 'string' ? response : String(response?.message ?? '');
  const byStatus: Record<number, ErrorDefinition> = {
    400: /JSON/i.test(message) ? CommonErrors.MALFORMED_JSON : CommonErrors.VALIDATION_FAILED,
    401: CommonErrors.UNAUTHENTICATED,
    403: CommonErrors.FORBIDDEN,
    404: /Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message)
      ? CommonErrors.ROUTE_NOT_FOUND
      : CommonErrors.NOT_FOUND,
    405: CommonErrors.METHOD_NOT_ALLOWED,
    409: CommonErrors.CONFLICT,
    413: CommonErrors.PAYLOAD_TOO_LARGE,
    415: CommonErrors.UNSUPPORTED_MEDIA_TYPE,
    429: CommonErrors.TOO_MANY_REQUESTS,
    503: CommonErrors.SERVICE_UNAVAILABLE,
  };
  const definition = byStatus[status] ?? { ...CommonErrors.INTERNAL, status };
  return new AppException(definition);
}

/** Errors thrown by body-parser carry `type`/`status` but are not HttpExceptions. */
function fromBodyParser(error: { type?: string; status?: number }): AppException | undefined {
  if (error.type === 'entity.too.large') return new AppException(CommonErrors.PAYLOAD_TOO_LARGE);
  if (error.type === 'entity.parse.failed') return new AppException(CommonErrors.MALFORMED_JSON);
  if (error.type === 'entity.too.deep') return new AppException(CommonErrors.JSON_TOO_DEEP);
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported')
    return new AppException(CommonErrors.UNSUPPORTED_MEDIA_TYPE);
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500 && error.type)
    return new AppException(CommonErrors.VALIDATION_FAILED);
  return undefined;
}

/**
 * SQLSTATEs and driver messages of a lost or refused database connection: the server shut the
 * session (57P01 pg_terminate_backend, 57P02/57P03 restart), the link broke (08xxx), too many
 * connections (53300), or the pool could not hand one out in time. A connection that broke
 * between two queries of a transaction makes TypeORM release its query runner, so the next
 * query (or the ROLLBACK) reports "Query runner already released" (or, from its entity manager,
 * "connection provided by a query runner was already released"): the same outage.
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const CONNECTION_MESSAGES =
  /Connection terminated|terminating connection|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|Connection is not established|ECONNRESET|ECONNREFUSED|read ECONN|write EPIPE|the database system is (starting up|shutting down)|Query runner already released|query runner was already released/i;

/** True when `error` means the database connection went away (not that the request was wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; driverError?: { code?: unknown; message?: unknown }; message?: unknown };
  const codes = [e.code, e.driverError?.code].filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => CONNECTION_SQLSTATES.has(c))) return true;
  return [e.message, e.driverError?.message].some((m) => typeof m === 'string' && CONNECTION_MESSAGES.test(m));
}

export function toAppException(error: unknown): AppException | undefined {
  if (error instanceof AppException) return error;
  // Issue 8 item 17: a connection killed mid-request is a 503 the client may retry (the
  // transaction died with it, so nothing was applied), never a 500.
  if (isDatabaseUnavailable(error)) return new AppException(CommonErrors.DATABASE_UNAVAILABLE, {}, [], { 'Retry-After': '1' });
  if (error instanceof QueryFailedError) return fromDatabaseError(error);
  if (error instanceof HttpException) {
    // Nest wraps body-parser's errors (http-errors) in an HttpException: its `type` says what went wrong
    const cause = (error as { cause?: unknown }).cause;
    const parser = cause && typeof cause === 'object' ? fromBodyParser(cause as { type?: string }) : undefined;
    return parser ?? fromHttpException(error);
  }
  if (error && typeof error === 'object') return fromBodyParser(error as { type?: string });
  return undefined;
}

function renderFieldError(e: FieldError, lang: Lang): { field: string; message: string } {
  const written = lang === 'en' ? e.en : e.zh;
  return { field: e.field, message: written ?? validationMessage(e.constraint, lang, e.params) };
}

export function renderProblem(
  exception: AppException,
  lang: Lang,
  requestId?: string,
  instance?: string,
): ProblemDocument {
  const d = exception.definition;
  const title = interpolate(lang === 'en' ? d.en : d.zh, exception.params);
  const errors = exception.fieldErrors.map((e) => renderFieldError(e, lang));
  const detail = errors.length ? errors.map((e) => `${e.field}: ${e.message}`).join('；') : title;
  return {
    type: `https://jishi.gd.cn/problems/${d.code.toLowerCase().replace(/[._]/g, '-')}`,
    title,
    status: d.status,
    detail,
    code: d.code,
    errors,
    requestId,
    // a hostile path can be megabytes long; the document promises at most 2,000 characters
    instance: instance?.slice(0, 2000),
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>(); // Express's response or Fastify's reply (HTTP_ADAPTER)
    // errors raised before any middleware ran (body parser) still get an id
    const requestId = requestIdOf(req);
    let exception = toAppException(error);
    if (!exception) {
      this.logger.error({ err: error, requestId }, 'unhandled error');
      exception = new AppException(CommonErrors.INTERNAL);
    } else if (exception.definition.status === 500) {
      // a 500 that came through a mapping (an HttpException of status 500) is still a bug to see
      this.logger.error({ err: error, requestId }, 'internal error');
    }
    const body = renderProblem(exception, languageOf(req), requestId, req.originalUrl?.split('?')[0]);
    if (responseSent(res)) return;
    setResponseHeader(res, 'X-Request-Id', requestId);
    for (const [k, v] of Object.entries(exception.headers)) setResponseHeader(res, k, v);
    sendResponse(res, body.status, 'application/problem+json', JSON.stringify(body));
  }
}
