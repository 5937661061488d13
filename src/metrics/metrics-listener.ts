import { createServer, Server } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { prometheusContentType } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { metricsTokenMatches } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

/**
 * With METRICS_PORT, a separate listener that serves only GET /metrics (issue 9 item 9):
 * bind it to the monitoring network and keep the API port free of it. METRICS_TOKEN, when
 * also set, is checked here too.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MetricsListener');
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: MetricsRegistry,
  ) {}

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.METRICS_PORT) return;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      if (!metricsTokenMatches(this.config.METRICS_TOKEN, req.headers.authorization)) {
        res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' }).end('metrics token required\n');
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'Content-Type': prometheusContentType, 'Cache-Control': 'no-store' }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((ok, fail) => {
      this.server!.once('error', fail);
      this.server!.listen(this.config.METRICS_PORT, () => ok());
    });
    this.logger.log(`metrics on :${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}
