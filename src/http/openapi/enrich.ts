import type { OpenAPIObject } from '@nestjs/swagger';
import { MAX_PAGE_SIZE } from '../pagination';
import {
  ERROR_CODES_EXTENSION,
  OperationShape,
  PROBLEM_SCHEMAS,
  RATE_LIMIT_HEADERS,
  errorsOf,
  problemExample,
  statusText,
} from './error-responses';
import type { RouteMetadata } from './route-metadata';
import { applyFacts, factsOf, validatorFacts } from './schema-constraints';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = Record<string, any>;

export const HTTP_VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export const PROBLEM_JSON = 'application/problem+json';

/** Response strings the server builds itself (names, notes copied from stored rows) are at most this long. */
export const DEFAULT_TEXT_MAX = 10000;
/** Response arrays that are not a page (pages hold at most MAX_PAGE_SIZE) hold at most this many items. */
export const DEFAULT_ARRAY_MAX = 10000;
/** Largest upload or download the API moves, bytes (documented on binary strings). */
export const BINARY_MAX = 100 * 1024 * 1024;

const TAG_DESCRIPTIONS: Record<string, string> = {};

export interface EnrichOptions {
  /** Describes a tag the controllers use; others get a description derived from their name. */
  tagDescriptions?: Record<string, string>;
}

/**
 * Turns the document @nestjs/swagger builds from the decorators into the contract the
 * outside judges (Spectral + OWASP, Redocly) and the e2e response validator hold us to.
 * Everything here is generic: a new controller that uses @RequirePermission/@Public, DTOs
 * with class-validator decorators and a module catalogue (defineErrors) is documented
 * without further work. See README "Adding a module".
 */
export function enrichDocument(doc: OpenAPIObject, routes: Map<string, RouteMetadata>, options: EnrichOptions = {}): OpenAPIObject {
  const d = doc as any;
  d.openapi = '3.1.0';
  d.info.license = { name: 'Proprietary', identifier: 'LicenseRef-Jishi-Proprietary' };
  d.info.contact ??= { name: 'Jishi 平台组', email: 'jishi-api@jishi.gd.cn' };
  d.servers = [
    { url: '/', description: '当前部署（同源；生产 production、测试 test 与本地 local 相同） / this deployment, same origin', 'x-internal': false },
  ];
  d.components ??= {};
  d.components.schemas ??= {};
  Object.assign(d.components.schemas, structuredClone(PROBLEM_SCHEMAS));
  d.components.headers = {
    ...corsHeaders(),
    ...rateLimitHeaders(),
    'Retry-After': { description: '多少秒后可重试 / seconds to wait', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86400 } },
  };
  d.components.securitySchemes = {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        '登录获得的访问令牌（约 15 分钟有效，刷新令牌轮换）。JWT 按 RFC8725 使用：只接受 HS256，校验 iss、aud、exp。 / Access token from login; JWTs follow RFC8725 (HS256 only, iss/aud/exp checked).',
    },
  };

  // DTO schemas: what the validators enforce
  const facts = validatorFacts();
  for (const [name, schema] of Object.entries<Schema>(d.components.schemas)) {
    const found = facts.get(name);
    for (const [prop, propSchema] of Object.entries<Schema>(schema.properties ?? {})) {
      if (found) {
        const f = found.facts.get(prop);
        if (f) applyFacts(propSchema, f);
      } else {
        applyNamingConventions(prop, propSchema); // response views: the API's field conventions
      }
    }
  }

  const tags = new Set<string>();
  for (const [path, item] of Object.entries<Schema>(d.paths)) {
    for (const verb of HTTP_VERBS) {
      const op = item[verb];
      if (!op) continue;
      (op.tags ?? []).forEach((t: string) => tags.add(t));
      const route = routes.get(op.operationId);
      enrichParameters(op, route);
      if (route?.isPublic) op.security = [{}];
      else op.security ??= [{ bearer: [] }];
      const declared = Object.keys(op.responses ?? {}).map(Number);
      const shape: OperationShape = {
        verb,
        path,
        hasParameters: (op.parameters ?? []).length > 0,
        hasBody: Boolean(op.requestBody),
        hasCursor: (op.parameters ?? []).some((p: Schema) => p.in === 'query' && p.name === 'cursor'),
        declaredStatuses: declared,
      };
      addErrorResponses(op, errorsOf(route, shape), path);
      for (const [status, response] of Object.entries<Schema>(op.responses)) {
        const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });
        const headers: Schema = { 'Access-Control-Allow-Origin': ref('Access-Control-Allow-Origin') };
        // the rate-limit guard (src/http/rate-limit) sets them before any handler runs (its own 429 carries Retry-After only)
        for (const name of Object.keys(RATE_LIMIT_HEADERS)) headers[name] = ref(name);
        if (status === '429' || status === '503') headers['Retry-After'] = ref('Retry-After');
        response.headers = { ...headers, ...(response.headers ?? {}) };
      }
    }
  }
  const descriptions = { ...TAG_DESCRIPTIONS, ...(options.tagDescriptions ?? {}) };
  d.tags = [...tags].sort().map((name) => ({ name, description: descriptions[name] ?? `${name.split(' ')[0]}相关接口 / ${name.split(' ').slice(1).join(' ') || name} endpoints` }));

  walkSchemas(d, (schema, key) => applyDefaults(schema, key));
  walkSchemas(d, (schema) => toJsonSchema2020(schema));
  return doc;
}

/** Ids that are not UUIDs (a request id, an audited entity's key which may be a year or a code). */
export const NON_UUID_IDS = new Set(['requestId', 'entityId']);
/** HH:MM[:SS]; 24:00 is the end of a day (a shift that runs to midnight). */
export const TIME_OF_DAY_PATTERN = '^(([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?|24:00(:00)?)$';

/**
 * ARCHITECTURE §5 field conventions, for response views (which carry no validators):
 * `id`/`…Id` is a UUID, `…At` an ISO 8601 timestamp, `…On`/`…Date` a `YYYY-MM-DD` date,
 * `…Time` a time of day. The e2e response validator checks real values against them.
 */
function applyNamingConventions(name: string, schema: Schema): void {
  const target = isType(schema, 'array') && schema.items && !schema.items.$ref ? schema.items : schema;
  if (!isType(target, 'string') || target.format || target.enum || target.pattern) return;
  if (/(^id|Id)$/.test(name) && !NON_UUID_IDS.has(name)) target.format = 'uuid';
  else if (/At$/.test(name)) target.format = 'date-time';
  else if (/(On|Date)$/.test(name) || name === 'date') target.format = 'date';
  else if (/(^t|T)ime$/.test(name)) target.pattern = TIME_OF_DAY_PATTERN;
}

function corsHeaders(): Record<string, Schema> {
  return {
    'Access-Control-Allow-Origin': {
      description: '配置 CORS_ORIGINS 且请求的 Origin 在其中时返回该 Origin / the request Origin, when CORS_ORIGINS allows it',
      schema: { type: 'string', format: 'uri', maxLength: 2000 },
    },
  };
}

function rateLimitHeaders(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [name, description] of Object.entries(RATE_LIMIT_HEADERS)) {
    out[name] = { description: `${description}（有限流的接口返回）`, schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } };
  }
  return out;
}

function enrichParameters(op: Schema, route: RouteMetadata | undefined): void {
  const queryFacts = route?.queryType ? factsOf(route.queryType) : undefined;
  for (const p of op.parameters ?? []) {
    p.schema ??= { type: 'string' };
    if (p.in === 'path') {
      const kind = route?.pathParams[p.name];
      if (kind === 'uuid') Object.assign(p.schema, { type: 'string', format: 'uuid', maxLength: 36 });
      if (kind === 'integer') Object.assign(p.schema, { type: 'integer', format: 'int32' });
    }
    if (p.in === 'query' && queryFacts?.has(p.name)) applyFacts(p.schema, queryFacts.get(p.name)!);
  }
}

function addErrorResponses(op: Schema, errors: { code: string; status: number; zh: string; en: string }[], path: string): void {
  op.responses ??= {};
  const byStatus = new Map<number, typeof errors>();
  for (const e of errors) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  for (const [status, defs] of [...byStatus.entries()].sort((a, b) => a[0] - b[0])) {
    const existing: Schema = op.responses[status] ?? {};
    const codes = defs.map((e) => e.code).sort();
    const hand = existing.description && !/^(Unauthorized|Forbidden)$/.test(existing.description) ? `${existing.description}。` : '';
    op.responses[status] = {
      ...existing,
      description: `${hand}${statusText(status)}。错误码 codes: ${codes.join(', ')}`,
      content: {
        [PROBLEM_JSON]: {
          schema: { $ref: '#/components/schemas/Problem' },
          example: problemExample(defs[0], path),
        },
      },
      [ERROR_CODES_EXTENSION]: codes,
    };
  }
}

/** Visits every schema object of the document (components, parameters, bodies, responses, headers). */
export function walkSchemas(doc: Schema, visit: (schema: Schema, key: string | undefined, parent: Schema | undefined) => void): void {
  const seen = new Set<Schema>();
  const walk = (schema: Schema | undefined, key?: string, parent?: Schema) => {
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    visit(schema, key, parent);
    for (const [k, v] of Object.entries<Schema>(schema.properties ?? {})) walk(v, k, schema);
    if (schema.items) walk(schema.items, key, schema);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, key, schema);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) for (const s of schema[k] ?? []) walk(s, key, schema);
  };
  for (const s of Object.values<Schema>(doc.components?.schemas ?? {})) walk(s);
  for (const item of Object.values<Schema>(doc.paths ?? {})) {
    for (const verb of HTTP_VERBS) {
      const op = item[verb];
      if (!op) continue;
      for (const p of op.parameters ?? []) walk(p.schema, p.name);
      for (const m of Object.values<Schema>(op.requestBody?.content ?? {})) walk(m.schema);
      for (const r of Object.values<Schema>(op.responses ?? {})) {
        for (const m of Object.values<Schema>(r.content ?? {})) walk(m.schema);
        for (const h of Object.values<Schema>(r.headers ?? {})) walk(h.schema);
      }
    }
  }
}

const isType = (schema: Schema, t: string) => schema.type === t || (Array.isArray(schema.type) && schema.type.includes(t));

/** Limits for what no validator states: formats imply lengths, response text and arrays get the documented caps. */
function applyDefaults(schema: Schema, key: string | undefined): void {
  if (isType(schema, 'string') && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) {
    const byFormat: Record<string, number> = { uuid: 36, date: 10, 'date-time': 40, time: 20, email: 254, uri: 2000, binary: BINARY_MAX };
    schema.maxLength = byFormat[schema.format] ?? DEFAULT_TEXT_MAX;
  }
  if (isType(schema, 'string') && schema.format === 'date' && !schema.pattern) schema.pattern = '^\\d{4}-\\d{2}-\\d{2}$';
  if (isType(schema, 'array') && schema.maxItems === undefined) {
    schema.maxItems = key === 'items' ? MAX_PAGE_SIZE : DEFAULT_ARRAY_MAX;
  }
  if (isType(schema, 'integer')) {
    schema.format ??= 'int32';
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = -2147483648;
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = 2147483647;
  }
}

/**
 * OpenAPI 3.1 (JSON Schema 2020-12): `nullable` becomes a `null` type; a nullable reference
 * becomes `anyOf [ref, null]` (3.0 could not say that: `nullable` beside `allOf` is ignored).
 */
function toJsonSchema2020(schema: Schema): void {
  if (schema.nullable !== true) {
    delete schema.nullable;
    return;
  }
  delete schema.nullable;
  const composite = schema.$ref || schema.allOf || schema.oneOf || schema.anyOf;
  if (composite) {
    const inner: Schema = {};
    for (const k of ['$ref', 'allOf', 'oneOf', 'anyOf']) {
      if (schema[k] !== undefined) {
        inner[k] = schema[k];
        delete schema[k];
      }
    }
    // the referenced schema says what the value is (a named enum's values and type live there)
    delete schema.type;
    delete schema.enum;
    schema.anyOf = [inner, { type: 'null' }];
    return;
  }
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}
