import { WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { OutboxRelay } from './outbox/outbox-relay';

/**
 * Graceful shutdown (ARCHITECTURE §6). Runs before any module's onApplicationShutdown,
 * so workers stop taking jobs and finish the running ones while the database pool and
 * the queues are still open; only then do the other modules close their connections.
 */
@Injectable()
export class WorkerDrain implements BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerDrain');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly relay: OutboxRelay,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const workers = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .map((host) => {
        try {
          return host.worker;
        } catch {
          return undefined; // a WorkerHost whose worker was never built
        }
      })
      .filter((worker) => worker !== undefined);
    this.logger.log(`${signal ?? 'shutdown'}: draining ${workers.length} worker(s)`);
    await Promise.all([this.relay.stop(), ...workers.map((worker) => worker.close())]);
  }
}
