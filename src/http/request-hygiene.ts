import { ArgumentMetadata, CallHandler, ExecutionContext, Injectable, NestInterceptor, PipeTransform } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { AppException, FieldError } from '../errors/app.exception';
import { CommonErrors } from '../errors/common.errors';

/**
 * Hostile input (issue 8, items 4, 5 and 7): the rules every request meets before any
 * handler, pipe or database sees it. One place, not per-route patches.
 */

/** Deepest nesting of arrays/objects a JSON body may have; no DTO of ours goes past 4. */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the raw JSON text nests `[`/`{` deeper than `max`. A single pass over the
 * bytes that stops at the first excess: it allocates nothing and never builds the
 * structure, so a 1 MB body of `[[[[…` costs a millisecond instead of a full parse.
 * Brackets inside strings are skipped (a backslash escapes the next byte).
 */
export function jsonDepthExceeds(raw: Buffer, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** An error body-parser passes on untouched (it keeps our status and type); the problem filter maps the type. */
export function jsonParseError(status: number, type: string): Error {
  return Object.assign(new Error(type), { status, statusCode: status, type, expose: true });
}

/**
 * `verify` hook of the JSON body parser: runs on the raw bytes before JSON.parse.
 * JSON is UTF-8 (RFC 8259 §8.1); another charset is a 415, and the byte scan above
 * would be wrong for it anyway.
 */
export function verifyJsonBody(_req: IncomingMessage, _res: unknown, raw: Buffer, encoding: string): void {
  if (encoding && encoding.toLowerCase().replace('_', '-') !== 'utf-8' && encoding.toLowerCase() !== 'utf8')
    throw jsonParseError(415, 'charset.unsupported');
  if (jsonDepthExceeds(raw)) throw jsonParseError(400, 'entity.too.deep');
}

// ---------------------------------------------------------------------------------------
// Text that PostgreSQL and other systems cannot store: U+0000 and lone UTF-16 surrogates.

/** Why a string cannot be accepted, or undefined when it is fine. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unsafeTextReason(s: string): 'nul' | 'surrogate' | undefined {
  if (s.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(s)) return 'surrogate';
  return undefined;
}

const REASON_MESSAGES = {
  nul: { zh: '不能包含空字符（U+0000）', en: 'must not contain a NUL character (U+0000)' },
  surrogate: { zh: '包含无效的 Unicode 字符（孤立的代理项）', en: 'contains invalid Unicode (a lone surrogate)' },
};

export function unsafeTextError(field: string, reason: 'nul' | 'surrogate'): FieldError {
  return { field, constraint: 'safeText', ...REASON_MESSAGES[reason] };
}

/** A field name fit for a problem document, even when the key itself is hostile. */
function printable(key: string): string {
  return unsafeTextReason(key) ? JSON.stringify(key).slice(1, -1).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`) : key;
}

/**
 * Walks a parsed body, query or params object and collects every string (value or key)
 * holding NUL or a lone surrogate, named by its dotted path. Depth is already bounded
 * (JSON by MAX_JSON_DEPTH, query strings by the parser); the walk also stops at 64 levels
 * and 20 findings.
 */
export function findUnsafeText(value: unknown, path: string, out: FieldError[] = [], depth = 0): FieldError[] {
  if (out.length >= 20 || depth > 64) return out;
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    if (reason) out.push(unsafeTextError(path, reason));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findUnsafeText(v, path ? `${path}.${i}` : String(i), out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const field = path ? `${path}.${printable(k)}` : printable(k);
      const reason = unsafeTextReason(k);
      if (reason) out.push(unsafeTextError(field, reason));
      findUnsafeText(v, field, out, depth + 1);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Content types: bodies are strict JSON unless the route says it takes a multipart upload.

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SWAGGER_CONSUMES = 'swagger/apiConsumes';

function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

const isJson = (type: string) => type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);

/**
 * Every route's request body is JSON except the routes that declare
 * `@ApiConsumes('multipart/form-data')` (the uploads). A body of any other type —
 * form-encoded, text, none declared — is a 415, so nothing is ever converted from a form.
 */
export function contentTypeAccepted(req: IncomingMessage, consumes: string[] | undefined): boolean {
  if (!METHODS_WITH_BODY.has(String(req.method)) || !hasBody(req)) return true;
  const type = mediaType(req);
  const accepted = consumes?.length ? consumes.map((c) => c.toLowerCase()) : ['application/json'];
  return accepted.some((a) => (a === 'application/json' ? isJson(type) : a === type));
}

/**
 * The global interceptor (it runs after authentication, before any route interceptor such
 * as multer's and before the validation pipe): refuses a body of the wrong content type
 * with 415, and U+0000 or a lone surrogate anywhere in the body, query or path parameters
 * with a 400 naming the field.
 */
@Injectable()
export class RequestHygieneInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<IncomingMessage & { body?: unknown; query?: unknown; params?: unknown }>();
    const consumes = this.reflector.getAllAndOverride<string[] | undefined>(SWAGGER_CONSUMES, [context.getHandler(), context.getClass()]);
    if (!contentTypeAccepted(req, consumes)) throw new AppException(CommonErrors.UNSUPPORTED_MEDIA_TYPE);
    const errors: FieldError[] = [];
    findUnsafeText(req.params, '', errors);
    findUnsafeText(req.query, '', errors);
    findUnsafeText(req.body, '', errors);
    if (errors.length) throw new AppException(CommonErrors.VALIDATION_FAILED, {}, errors);
    return next.handle();
  }
}

// ---------------------------------------------------------------------------------------
// null only where the document says so. `@IsOptional()` lets null through to every
// validator-free code path (`dto.code.toLowerCase()` gave a 500 on `{"code":null}`, a null
// reached NOT NULL columns): a JSON null is refused unless the DTO property's
// @ApiProperty declares `nullable: true` — the same contract the OpenAPI document states.

const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
type ModelProperty = { nullable?: boolean; type?: unknown };

function dtoClassOf(type: unknown): Function | undefined {
  const t = Array.isArray(type) ? type[0] : type;
  if (typeof t !== 'function') return undefined;
  const cls = t.prototype ? t : (t as () => unknown)();
  return typeof cls === 'function' && Reflect.getMetadata('swagger/apiModelPropertiesArray', cls.prototype) ? cls : undefined;
}

export function findUndeclaredNulls(value: unknown, cls: Function | undefined, path: string, out: FieldError[] = [], depth = 0): FieldError[] {
  if (!cls || !value || typeof value !== 'object' || depth > 8 || out.length >= 20) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => findUndeclaredNulls(v, cls, path ? `${path}.${i}` : String(i), out, depth + 1));
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    const meta = Reflect.getMetadata(API_MODEL_PROPERTIES, cls.prototype, key) as ModelProperty | undefined;
    if (!meta) continue; // not a field of the DTO: the whitelist names it
    const field = path ? `${path}.${key}` : key;
    if (v === null) {
      if (!meta.nullable) out.push({ field, constraint: 'notNull', zh: '不能为 null（不填请省略该字段）', en: 'must not be null (leave the field out instead)' });
    } else if (typeof v === 'object') findUndeclaredNulls(v, dtoClassOf(meta.type), field, out, depth + 1);
  }
  return out;
}

/**
 * Body rules that run as the first global pipe, before validation: the text rule again for
 * bodies parsed after the interceptor ran (the text fields of a multipart upload: multer is
 * a route interceptor), and null only where the DTO declares it nullable.
 */
@Injectable()
export class SafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || Buffer.isBuffer(value)) return value;
    const errors = findUnsafeText(value, metadata.data ?? '');
    if (!metadata.data) findUndeclaredNulls(value, metadata.metatype, '', errors);
    if (errors.length) throw new AppException(CommonErrors.VALIDATION_FAILED, {}, errors);
    return value;
  }
}
