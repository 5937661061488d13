import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';
import { QUEUE_DEPTH_READER, QUEUE_STATES, QueueDepthReader, QueueJobCounts } from './queue-depth';

/** A scrape must answer within Prometheus' scrape_timeout (10 s default) even when Redis hangs. */
const DEPTH_TIMEOUT_MS = 2000;

type Depths = Record<string, QueueJobCounts>;

/**
 * jishi_queue_jobs{queue,state}, read from the queue backend on each scrape (nothing on
 * the request path), and jishi_queue_depth_scrape_success (0 when the read failed).
 */
@Injectable()
export class QueueMetrics {
  private readonly logger = new Logger('QueueMetrics');
  /** prom-client collects all metrics of a scrape concurrently: both gauges share one read. */
  private inFlight?: Promise<Depths | undefined>;

  constructor(registry: MetricsRegistry, @Optional() @Inject(QUEUE_DEPTH_READER) private readonly reader?: QueueDepthReader) {
    if (!reader) return;
    const read = () => this.read();
    new Gauge({
      name: 'jishi_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed), read on scrape',
      labelNames: ['queue', 'state'],
      registers: [registry.registry],
      async collect() {
        this.reset();
        const depths = await read();
        for (const [queue, counts] of Object.entries(depths ?? {})) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'jishi_queue_depth_scrape_success',
      help: '1 when this scrape read the queue depths, 0 when the queue backend did not answer',
      registers: [registry.registry],
      async collect() {
        this.set((await read()) ? 1 : 0);
      },
    });
  }

  private read(): Promise<Depths | undefined> {
    this.inFlight ??= withTimeout(this.reader!.depths(), DEPTH_TIMEOUT_MS)
      .catch((error): undefined => {
        this.logger.warn({ err: error }, 'queue depths unavailable');
        return undefined;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
