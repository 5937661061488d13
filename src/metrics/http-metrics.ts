import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

/** Requests that matched no route (404 scans, body-parser rejections): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const STARTED_AT = Symbol('jishi.metrics.startedAt');
type Timed = Response & { [STARTED_AT]?: number };
type Observe = (seconds: number) => void;

/**
 * http_request_duration_seconds{method,route,status_code}; its _count is the request
 * counter. `route` is Express's matched template (`/api/v1/tenants/:id`), never the raw
 * URL, so ids cannot explode cardinality.
 */
@Injectable()
export class HttpMetrics {
  private readonly histogram: Histogram<'method' | 'route' | 'status_code'>;
  /** method → route → status → bound child: the hot path does three Map look-ups, no label hashing. */
  private readonly children = new Map<string, Map<string, Map<number, Observe>>>();

  /** Shared by every response (`this` is the response): no closure allocated per request. */
  private readonly onFinish: (this: Timed) => void;

  constructor(registry: MetricsRegistry) {
    const metrics = this;
    this.onFinish = function (this: Timed) {
      metrics.record(this);
    };
    this.histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry.registry],
    });
  }

  /** Register first in configureApp so body-parser rejections (400/413) are timed too. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    (res as Timed)[STARTED_AT] = performance.now();
    // `on`, not `once`: `once` allocates a wrapper per call, and a response finishes only once anyway.
    res.on('finish', this.onFinish);
    next();
  };

  /** HTTP_ADAPTER=fastify (ADR 0007): the same timing as `middleware`, as Fastify hooks. */
  readonly fastifyOnRequest = (request: object, _reply: unknown, done: () => void): void => {
    (request as { [STARTED_AT]?: number })[STARTED_AT] = performance.now();
    done();
  };

  /** The route label is Fastify's matched template (`/api/v1/tenants/:id`); the not-found handler's requests are `unmatched`. */
  readonly fastifyOnResponse = (
    request: { method: string; is404?: boolean; routeOptions?: { url?: string }; [STARTED_AT]?: number },
    reply: { statusCode: number },
    done: () => void,
  ): void => {
    const started = request[STARTED_AT];
    if (started !== undefined) {
      const route = !request.is404 && request.routeOptions?.url ? request.routeOptions.url : UNMATCHED_ROUTE;
      this.child(request.method, route, reply.statusCode)((performance.now() - started) / 1000);
    }
    done();
  };

  private record(res: Timed): void {
    const started = res[STARTED_AT];
    if (started === undefined) return;
    const req = res.req as Request;
    const route = req.route?.path ? req.baseUrl + req.route.path : UNMATCHED_ROUTE;
    this.child(req.method, route, res.statusCode)((performance.now() - started) / 1000);
  }

  private child(method: string, route: string, status: number): Observe {
    let byRoute = this.children.get(method);
    if (!byRoute) this.children.set(method, (byRoute = new Map()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map()));
    let observe = byStatus.get(status);
    if (!observe) {
      const child = this.histogram.labels({ method, route, status_code: status });
      observe = (seconds) => child.observe(seconds);
      byStatus.set(status, observe);
    }
    return observe;
  }
}
