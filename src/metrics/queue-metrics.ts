import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';
import { QUEUE_DEPTH_READER, QUEUE_STATES, QueueDepthReader, QueueJobCounts } from './queue-depth';

/** A scrape must answer within Prometheus' scrape_timeout (10 s default) even when Redis hangs. */
const DEPTH_TIMEOUT_MS = 2000;

/**
 * jishi_queue_jobs{queue,state}, read from the queue backend on each scrape (nothing on
 * the request path), and jishi_queue_depth_scrape_success (0 when the read failed).
 */
@Injectable()
export class QueueMetrics {
  private readonly logger = new Logger('QueueMetrics');

  constructor(registry: MetricsRegistry, @Optional() @Inject(QUEUE_DEPTH_READER) reader?: QueueDepthReader) {
    if (!reader) return;
    const logger = this.logger;
    const success = new Gauge({
      name: 'jishi_queue_depth_scrape_success',
      help: '1 when the last scrape read the queue depths, 0 when the queue backend did not answer',
      registers: [registry.registry],
    });
    new Gauge({
      name: 'jishi_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed), read on scrape',
      labelNames: ['queue', 'state'],
      registers: [registry.registry],
      async collect() {
        this.reset();
        try {
          const depths = await withTimeout(reader.depths(), DEPTH_TIMEOUT_MS);
          for (const [queue, counts] of Object.entries(depths)) {
            for (const state of QUEUE_STATES) this.set({ queue, state }, (counts as QueueJobCounts)[state] ?? 0);
          }
          success.set(1);
        } catch (error) {
          logger.warn({ err: error }, 'queue depths unavailable');
          success.set(0);
        }
      },
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
