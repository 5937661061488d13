import type { IncomingMessage } from 'node:http';
import { ArgumentsHost, HttpException, INestApplication } from '@nestjs/common';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../errors/app.exception';
import { CommonErrors } from '../errors/common.errors';
import { ProblemFilter } from '../errors/problem.filter';
import { HttpMetrics } from '../metrics';
import { applyServerTimeouts, requestDeadline } from './request-deadline';
import { requestIdOf } from './request-id';
import { jsonParseError, verifyJsonBody } from './request-hygiene';

/**
 * ADR 0007: the app on Fastify, behind HTTP_ADAPTER=fastify. Everything here is the Fastify
 * counterpart of one Express-specific line of `configureExpress` (src/app.factory.ts); the
 * Nest-level parts (prefix, interceptors, pipes, filter) are shared. Loaded only when the
 * switch says fastify, so an Express process never loads Fastify.
 */

/** `1mb`, `512kb` (BODY_LIMIT's format) in bytes, as Express's body-parser reads it (bytes: 1 kb = 1024). */
export function bodyLimitBytes(limit: string): number {
  const m = /^(\d+)(kb|mb)$/i.exec(limit.trim());
  if (!m) throw new Error(`BODY_LIMIT ${limit} is not like 1mb or 512kb`);
  return Number(m[1]) * (m[2].toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FastifyAdapter: Adapter } = require('@nestjs/platform-fastify') as typeof import('@nestjs/platform-fastify');
  return new Adapter({
    // Express's `trust proxy: 'loopback'`: X-Forwarded-For is believed from 127.0.0.1/8 and ::1 only (req.ip)
    trustProxy: 'loopback',
    bodyLimit: bodyLimitBytes(config.BODY_LIMIT),
    // one id per request, the caller's when sane (request-id.ts): Fastify's request.id, pino-http's and CLS's are the same
    genReqId: (raw: IncomingMessage) => requestIdOf(raw),
    // Node's default, which the Express server runs with (Fastify's own is 72 s): an idle keep-alive socket is let go
    // after 5 s, so a drain (app.close) waits at most that long for sockets that were still busy when it began
    keepAliveTimeout: 5_000,
    // Express has no limit on a path parameter; find-my-way's default (100) would answer 414 to a long id or slug
    // and Express's non-strict routing: `/api/v1/tenants/` is `/api/v1/tenants` (its case-insensitive matching is not copied)
    routerOptions: { maxParamLength: 16 * 1024, ignoreTrailingSlash: true },
    // @fastify/multipart is registered when an upload interceptor is made (file-upload.interceptor.ts); its parser
    // leaves the body unread, so the attachment route still streams it from the raw request with busboy
    // The router refuses a malformed %-escape (400) or an over-long URL before any hook or Nest's error handler:
    // answered by the same ProblemFilter, as Nest maps a Fastify error (a 4xx becomes an HttpException of its status).
    frameworkErrors: (error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 500;
      const mapped = status < 500 ? new HttpException(error.message, status, { cause: error }) : error;
      reply.header('X-Request-Id', requestIdOf(request.raw));
      new ProblemFilter().catch(mapped, { switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost);
    },
  });
}

export function isFastifyApp(app: INestApplication): boolean {
  return app.getHttpAdapter().getType() === 'fastify';
}

function fastifyOf(app: INestApplication): FastifyInstance {
  return app.getHttpAdapter().getInstance() as FastifyInstance;
}

type Done = (error?: Error) => void;

/**
 * The Express-specific half of configureApp, on Fastify. Call where configureExpress would be
 * called (before the global prefix, interceptors and filter), before `app.init()`.
 */
export function configureFastify(app: INestApplication, config: AppConfig, apiPrefix: string): void {
  const fastify = fastifyOf(app);
  const metrics = app.get(HttpMetrics);
  // First, so requests refused by the body parser (400/413) are timed too; route label from Fastify's own match.
  fastify.addHook('onRequest', metrics.fastifyOnRequest);
  fastify.addHook('onResponse', metrics.fastifyOnResponse);
  // Request id on every response (Fastify's request.id is requestIdOf, see genReqId); no-store on the API (issue 9 item 7).
  const apiPath = new RegExp(`^/${apiPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/?#]|$)`, 'i');
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: Done) => {
    reply.header('X-Request-Id', request.id);
    if (apiPath.test(request.url)) reply.header('Cache-Control', 'no-store');
    done();
  });
  // helmet 8's headers and defaults, on every response (errors and 404 included), without X-Powered-By (Fastify sends none)
  app.useSecurityHeaders();
  // Slow senders are cut off (issue 8 item 12), as on Express: the server's timeouts, and the deadline middleware (through middie, on the raw request).
  applyServerTimeouts(app.getHttpServer(), config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_HEADERS_TIMEOUT_MS);
  app.use(requestDeadline(config.HTTP_REQUEST_TIMEOUT_MS));
  if (config.CORS_ORIGINS?.length) app.enableCors({ origin: config.CORS_ORIGINS, credentials: true, exposedHeaders: ['X-Request-Id', 'ETag'] });

  // Bodies are JSON only (issue 8 item 7), depth checked on the raw bytes before parsing (item 4):
  // the same checks and error types as express.json({ verify: verifyJsonBody }), so ProblemFilter maps them alike.
  fastify.removeAllContentTypeParsers();
  const jsonParser = (request: FastifyRequest, body: string | Buffer, done: (e: Error | null, body?: unknown) => void) => {
    try {
      done(null, parseJsonBody(request.raw, body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonParser);
  fastify.addContentTypeParser(/^application\/[\w.+-]+\+json\s*(?:;.*)?$/i, { parseAs: 'buffer' }, jsonParser);
  // Any other type reaches the route unread: RequestHygieneInterceptor answers 415 (Fastify would answer its own
  // 415 before any interceptor), and the upload routes stream multipart from the raw request.
  fastify.addContentTypeParser('*', (_request: FastifyRequest, _payload: unknown, done: (e: Error | null, body?: unknown) => void) => done(null, undefined));

  // Unknown paths anywhere → 404 (Nest's not-found handler is global on Fastify); a known path with another method → 405 + Allow.
  installFastifyMethodFallback(app);
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const FIRST_CHAR = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

/**
 * express.json's parse, on bytes Fastify read (within bodyLimit): charset first (a non-UTF
 * charset is 415 charset.unsupported), the depth scan (400 entity.too.deep), an empty body is
 * `{}`, strict mode (only an object or an array at the top), then JSON.parse (400 entity.parse.failed).
 */
export function parseJsonBody(raw: IncomingMessage, body: Buffer): unknown {
  const charset = (CHARSET.exec(String(raw.headers['content-type'] ?? ''))?.[1] ?? 'utf-8').toLowerCase();
  if (!charset.startsWith('utf-')) throw jsonParseError(415, 'charset.unsupported');
  verifyJsonBody(raw, undefined, body, charset);
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  const first = FIRST_CHAR.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw jsonParseError(400, 'entity.parse.failed');
  try {
    return JSON.parse(text);
  } catch {
    throw jsonParseError(400, 'entity.parse.failed');
  }
}

/** Every method Fastify routes, for the Allow header of a 405. */
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** The methods the app's routes serve at `path`, from Fastify's own router (so always in step with the controllers). */
export function fastifyAllowedMethods(fastify: FastifyInstance, path: string): string[] {
  const allowed: string[] = [];
  for (const method of METHODS) {
    try {
      if (fastify.findRoute({ method, url: path } as never)) allowed.push(method);
    } catch {
      // a malformed %-escape in a parameter: that route cannot match
    }
  }
  // a catch-all (`@All`, a mounted sub-app) answers every method: it says nothing about 405
  return allowed.length === METHODS.length ? [] : allowed;
}

/**
 * Issue 8 item 9 on Fastify: Nest's not-found handler already answers every unknown path
 * (Fastify has one router, not one per prefix). Wrapped so that a path served under another
 * method answers 405 with `Allow` through the same error handler and ProblemFilter.
 */
function installFastifyMethodFallback(app: INestApplication): void {
  const adapter = app.getHttpAdapter() as unknown as { setNotFoundHandler: (handler: Function, prefix?: string) => unknown; getInstance: () => FastifyInstance };
  const original = adapter.setNotFoundHandler.bind(adapter);
  adapter.setNotFoundHandler = (handler: Function, prefix?: string) =>
    original((request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0];
      const allow = fastifyAllowedMethods(adapter.getInstance(), path);
      if (allow.length && !allow.includes(request.method)) {
        reply.send(new AppException(CommonErrors.METHOD_NOT_ALLOWED, {}, [], { Allow: allow.join(', ') }));
        return;
      }
      return handler(request, reply);
    }, prefix);
}

/** After `app.init()`: Fastify loads its plugins and routes at `ready`, before a test can send through its server. */
export async function fastifyReady(app: INestApplication): Promise<void> {
  await fastifyOf(app).ready();
}
