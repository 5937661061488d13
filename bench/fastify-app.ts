import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { NestFactory, Reflector } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig, loadConfig } from '../config/app-config';
import { API_PREFIX, UNPREFIXED, validationPipe } from '../src/app.factory';
import { AppModule } from '../src/app.module';
import { ProblemFilter } from '../src/errors/problem.filter';
import { requestDeadline } from '../src/http/request-deadline';
import { requestIdOf } from '../src/http/request-id';
import { RequestHygieneInterceptor, SafeTextPipe, verifyJsonBody } from '../src/http/request-hygiene';
import { HttpMetrics } from '../src/metrics';

/**
 * PROTOTYPE, bench only (ADR 0007): the real AppModule on `@nestjs/platform-fastify`, so the
 * adapter can be compared on the real routes in the same run. Not a production bootstrap:
 * helmet's headers are set by one `onRequest` hook (what `@fastify/helmet` amounts to for a
 * JSON API), the JSON parser is Fastify's with the app's depth/charset check in front, the
 * 405 fallback and uploads are left out. Every global pipe, interceptor, filter, guard,
 * CLS, pino-http and the metrics middleware are the app's own.
 *
 *   node dist/bench/fastify-app.js   (same environment as dist/src/main.js)
 */

/** What helmet() 8 sets by default on every response (its defaults, fixed strings). */
const HELMET_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

async function main(): Promise<void> {
  loadConfig();
  // devDependency, loaded only here so the production build never needs it
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  const config0 = loadConfig();
  const adapter = new FastifyAdapter({ trustProxy: '127.0.0.1', bodyLimit: parseBytes(config0.BODY_LIMIT) });
  const app = await NestFactory.create(AppModule, adapter as never, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  const fastify = (app.getHttpAdapter() as any).getInstance();

  fastify.addHook('onRequest', (req: { raw: IncomingMessage; url: string }, reply: any, done: () => void) => {
    reply.headers(HELMET_HEADERS);
    reply.header('x-request-id', requestIdOf(req.raw));
    if (req.url.startsWith(`/${API_PREFIX}`)) reply.header('cache-control', 'no-store');
    done();
  });
  fastify.removeContentTypeParser(['application/json']);
  fastify.addContentTypeParser(['application/json'], { parseAs: 'buffer' }, (req: { raw: IncomingMessage }, body: Buffer, done: (e: Error | null, v?: unknown) => void) => {
    try {
      verifyJsonBody(req.raw, undefined, body, 'utf-8');
      done(null, JSON.parse(body.toString('utf8')));
    } catch (error) {
      done(error as Error);
    }
  });
  app.use(app.get(HttpMetrics).middleware as never);
  app.use(requestDeadline(config.HTTP_REQUEST_TIMEOUT_MS) as never);
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED.filter((p) => !p.startsWith('admin/queues')) });
  app.useGlobalInterceptors(new RequestHygieneInterceptor(app.get(Reflector)));
  app.useGlobalPipes(new SafeTextPipe(), validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.PORT, '127.0.0.1');
}

function parseBytes(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const m = /^(\d+)\s*(kb|mb|b)?$/i.exec(limit.trim());
  if (!m) return 1024 * 1024;
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
