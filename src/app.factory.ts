import { INestApplication, ValidationPipe } from '@nestjs/common';
import { AbstractHttpAdapter, NestFactory, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig, loadConfig } from '../config/app-config';
import { AppModule } from './app.module';
import { ProblemFilter } from './errors/problem.filter';
import { validationExceptionFactory } from './errors/validation.factory';
import { configureFastify, createFastifyAdapter, fastifyReady, isFastifyApp } from './http/fastify-platform';
import { setupOpenApi } from './http/openapi';
import { installRootFallbacks } from './http/fallback-routes';
import { applyServerTimeouts, requestDeadline } from './http/request-deadline';
import { requestIdOf } from './http/request-id';
import { RequestHygieneInterceptor, SafeTextPipe, verifyJsonBody } from './http/request-hygiene';
import { HttpMetrics } from './metrics';

export const API_PREFIX = 'api/v1';
/** Routes outside /api/v1: probes and scrapes. */
export const UNPREFIXED = ['health/live', 'health/ready', 'metrics', 'admin/queues{/*path}'];

/** The global pipe: unknown fields are refused, types converted, errors rendered in Chinese. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationExceptionFactory,
  });
}

/**
 * The HTTP adapter HTTP_ADAPTER names (ADR 0007): undefined for Express (Nest's default, what
 * the app ran on before the switch existed), a FastifyAdapter for `fastify`.
 */
export function httpAdapterFor(config: AppConfig): AbstractHttpAdapter | undefined {
  return config.HTTP_ADAPTER === 'fastify' ? createFastifyAdapter(config) : undefined;
}

/** Applies everything main.ts, the e2e tests and the bench share, so they run the same app. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  if (isFastifyApp(app)) configureFastify(app, config, API_PREFIX);
  else configureExpress(app, config);
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED });
  app.useGlobalInterceptors(new RequestHygieneInterceptor(app.get(Reflector))); // 415 and NUL/surrogates (issue 8 items 5, 7)
  app.useGlobalPipes(new SafeTextPipe(), validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  if (!isFastifyApp(app)) installRootFallbacks(app); // unknown paths anywhere → 404, known path with another method → 405 (issue 8 item 9)
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true }); // exit 0 after a clean drain, not a re-raised signal
  if (config.SWAGGER_ENABLED) setupOpenApi(app);
}

/** `app.init()`, then on Fastify its `ready()` (plugins and routes load there), so a test may send through `getHttpServer()` at once. */
export async function initApp(app: INestApplication): Promise<void> {
  await app.init();
  if (isFastifyApp(app)) await fastifyReady(app);
}

/** The Express-specific half of configureApp (HTTP_ADAPTER=express, the default): unchanged since before the switch. */
function configureExpress(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', 'loopback');
  express.disable('x-powered-by');
  app.use(app.get(HttpMetrics).middleware); // first, so 400/413 from the body parser are timed too
  // Request id, security headers and CORS before the body parser, so its 400/413 problems carry them too.
  // pino-http (mounted at init) reuses the id: requestIdOf is idempotent.
  app.use((req: any, res: any, next: () => void) => {
    res.setHeader('X-Request-Id', requestIdOf(req));
    next();
  });
  app.use(helmet());
  // Slow senders are cut off (issue 8 item 12): headers within HTTP_HEADERS_TIMEOUT_MS, the whole request within HTTP_REQUEST_TIMEOUT_MS.
  applyServerTimeouts(app.getHttpServer(), config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_HEADERS_TIMEOUT_MS);
  app.use(requestDeadline(config.HTTP_REQUEST_TIMEOUT_MS));
  // Issue 9 item 7: API responses carry personal data; no browser or proxy may keep them.
  app.use(`/${API_PREFIX}`, (_req: any, res: any, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (config.CORS_ORIGINS?.length) app.enableCors({ origin: config.CORS_ORIGINS, credentials: true, exposedHeaders: ['X-Request-Id', 'ETag'] });
  // Bodies are JSON only (issue 8 item 7: no form-encoded parser; other types are 415 in
  // RequestHygieneInterceptor) and their depth is checked on the raw bytes before parsing (item 4).
  // (express.json directly: Nest's useBodyParser types leave out `verify`)
  app.use(json({ limit: config.BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: verifyJsonBody }));
}

export async function createApp(): Promise<INestApplication> {
  const adapter = httpAdapterFor(loadConfig());
  const options = { bufferLogs: true, bodyParser: false };
  const app = adapter ? await NestFactory.create(AppModule, adapter, options) : await NestFactory.create<NestExpressApplication>(AppModule, options);
  app.useLogger(app.get(Logger));
  configureApp(app, app.get(AppConfig));
  return app;
}
