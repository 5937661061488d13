import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppConfig } from '../../config/app-config';
import { AppModule } from '../../src/app.module';
import { PERMISSION_KEY, PUBLIC_KEY } from '../../src/auth/decorators';
import { QUEUE_PROBE } from '../../src/health';
import { REDIS } from '../../src/redis';
import { startApp } from '../setup/app';

/**
 * The platform's HTTP surface, on the real app configured exactly as main.ts does it:
 * probes, metrics, problem+json errors, request ids, security headers, and two meta-tests
 * that hold every module to the conventions (OpenAPI documented, access declared).
 */
interface RouteHandler {
  controller: string;
  method: string;
  isPublic: boolean;
  permission?: string;
}

describe('platform HTTP (e2e)', () => {
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let routes: RouteHandler[];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule, DiscoveryModule] }).compile();
    app = await startApp(moduleRef);
    http = app.getHttpServer();
    routes = routeHandlers(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('probes', () => {
    it('GET /health/live answers 200 without touching a dependency', async () => {
      const res = await request(http).get('/health/live').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('GET /health/ready answers 200 with the database and the queue backend up', async () => {
      const res = await request(http).get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.details.database.status).toBe('up');
      expect(res.body.details.queue).toMatchObject({
        status: 'up',
        backend: process.env.REDIS_URL ? 'redis' : 'postgres',
      });
    });

    it('probes live outside /api/v1', async () => {
      await request(http).get('/api/v1/health/live').expect(404);
    });
  });

  describe('metrics', () => {
    it('exposes the latency histogram labelled by route template, never by raw URL', async () => {
      const id = randomUUID();
      await request(http).get(`/api/v1/tenants/${id}`).expect(401);
      const res = await request(http).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toMatch(/# TYPE http_request_duration_seconds histogram/);
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tenants\/:id",status_code="401"\} [1-9]/,
      );
      expect(res.text).not.toContain(id);
    });

    it('collapses unknown URLs into one series', async () => {
      await request(http).get(`/no-such-${randomUUID()}`).expect(404);
      const res = await request(http).get('/metrics').expect(200);
      expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\}/);
    });

    it('exposes queue depth gauges, read from the queue backend on scrape', async () => {
      const res = await request(http).get('/metrics').expect(200);
      expect(res.text).toMatch(/^jishi_queue_depth_scrape_success 1$/m);
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(res.text).toMatch(new RegExp(`^jishi_queue_jobs\\{queue="[a-z-]+",state="${state}"\\} \\d+$`, 'm'));
      }
    });

    it('exposes process metrics', async () => {
      const res = await request(http).get('/metrics').expect(200);
      expect(res.text).toMatch(/^process_cpu_seconds_total /m);
      expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    });
  });

  describe('errors are problem+json', () => {
    it('an unknown route is 404 in Chinese by default', async () => {
      const res = await request(http).get('/api/v1/no-such-route').expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'COMMON.ROUTE_NOT_FOUND', title: '接口不存在' });
      expect(res.body.requestId).toEqual(expect.any(String));
    });

    it('an unknown route is 404 in English with Accept-Language: en', async () => {
      const res = await request(http).get('/api/v1/no-such-route').set('Accept-Language', 'en-GB,en;q=0.9').expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'COMMON.ROUTE_NOT_FOUND', title: 'No such endpoint' });
    });

    it('a malformed JSON body is 400 COMMON.MALFORMED_JSON', async () => {
      const res = await request(http)
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": "a@b.cn", ')
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'COMMON.MALFORMED_JSON' });
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at JSON|node_modules/);
    });

    it('a body over BODY_LIMIT is 413', async () => {
      const limit = parseSize(app.get(AppConfig).BODY_LIMIT);
      const body = JSON.stringify({ padding: 'x'.repeat(limit + 1024) });
      const res = await request(http).post('/api/v1/auth/login').set('Content-Type', 'application/json').send(body).expect(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 413, code: 'COMMON.PAYLOAD_TOO_LARGE' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });
  });

  describe('request ids and headers', () => {
    it('answers with a fresh X-Request-Id when none is sent', async () => {
      const res = await request(http).get('/health/live').expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('reuses a sane incoming X-Request-Id and replaces an unsafe one', async () => {
      const sane = 'req-0123456789abcdef';
      const kept = await request(http).get('/api/v1/no-such-route').set('X-Request-Id', sane).expect(404);
      expect(kept.headers['x-request-id']).toBe(sane);
      expect(kept.body.requestId).toBe(sane);

      const unsafe = await request(http).get('/health/live').set('X-Request-Id', 'bad id <script>').expect(200);
      expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sets helmet security headers and hides the framework', async () => {
      const res = await request(http).get('/health/live').expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('conventions every module must keep', () => {
    it('finds the routes it guards', () => {
      const names = routes.map((r) => `${r.controller}.${r.method}`);
      expect(names).toEqual(expect.arrayContaining(['HealthController.live', 'HealthController.ready', 'MetricsController.scrape']));
      expect(routes.length).toBeGreaterThan(5);
    });

    // QUALITY §2: a meta-test fails if a route declares neither permissions nor @Public().
    it('every route declares who may call it', () => {
      const undeclared = routes.filter((r) => !r.isPublic && !r.permission).map((r) => `${r.controller}.${r.method}`);
      expect(undeclared).toEqual([]);
    });

    it('/api/docs-json is OpenAPI 3 and every operation has a summary and declares security unless public', async () => {
      const res = await request(http).get('/api/docs-json').expect(200);
      const doc = res.body as OpenApiDocument;
      expect(doc.openapi).toMatch(/^3\./);

      // Swagger's default operationId is `<Controller>_<method>`: the bridge back to the handler's metadata.
      const byOperationId = new Map(routes.map((r) => [`${r.controller}_${r.method}`, r]));
      const problems: string[] = [];
      let operations = 0;
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [verb, op] of Object.entries(item)) {
          if (!HTTP_VERBS.has(verb)) continue;
          operations++;
          const where = `${verb.toUpperCase()} ${path}`;
          if (!op.summary?.trim()) problems.push(`${where}: no summary`);
          const route = op.operationId ? byOperationId.get(op.operationId) : undefined;
          // Unknown operations are held to the stricter rule: fail closed.
          const isPublic = route?.isPublic ?? false;
          const security = op.security ?? doc.security ?? [];
          if (!isPublic && security.length === 0) problems.push(`${where}: not public but declares no security`);
        }
      }
      expect(problems).toEqual([]);
      expect(operations).toBe(routes.length);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
    });
  });
});

describe('readiness when the queue backend is down (e2e)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const down = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:6379'));
    // A Redis that passed the start-up policy check and then went away; the queue probe too, if src/queue binds one.
    const deadRedis = { config: async () => ['maxmemory-policy', 'noeviction'], ping: down, quit: async () => 'OK', disconnect: () => undefined };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(REDIS)
      .useValue(deadRedis)
      .overrideProvider(QUEUE_PROBE)
      .useValue({ ping: down })
      .compile();
    app = await startApp(moduleRef);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('GET /health/ready is 503 problem+json naming the dependency, without its error', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').set('Accept-Language', 'en').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, code: 'HEALTH.NOT_READY', errors: [{ field: 'queue', message: 'is unavailable' }] });
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });

  it('GET /health/live stays 200: a dependency outage must not restart the process', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });
});

const HTTP_VERBS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  security?: Record<string, string[]>[];
}

/** Every route handler of every controller, with its access metadata, as the AccessGuard reads it. */
function routeHandlers(app: INestApplication): RouteHandler[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const out: RouteHandler[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { metatype, instance } = wrapper;
    if (!metatype || !instance) continue;
    const prototype = Object.getPrototypeOf(instance);
    for (const method of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[method];
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      if (RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)] === undefined) continue;
      const targets = [handler, metatype];
      out.push({
        controller: metatype.name,
        method,
        isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
        permission: reflector.getAllAndOverride<string>(PERMISSION_KEY, targets),
      });
    }
  }
  return out;
}

function parseSize(limit: string): number {
  const m = /^(\d+)(kb|mb)$/i.exec(limit);
  if (!m) throw new Error(`unexpected BODY_LIMIT ${limit}`);
  return Number(m[1]) * (m[2].toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}
