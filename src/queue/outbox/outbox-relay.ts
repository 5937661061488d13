import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { QueueRegistry } from '../queue-registry';
import { OutboxRepository, PendingOutboxRow } from './outbox.repository';

const CHANNEL = 'jishi_outbox';
const BATCH_SIZE = 100;
const POLL_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** Well under app_user's idle_in_transaction_session_timeout (60 s): rows stay locked meanwhile. */
const ADD_TIMEOUT_MS = 5_000;

export interface RelayRunResult {
  dispatched: number;
  failed: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Moves committed outbox rows to BullMQ. Woken by NOTIFY on `jishi_outbox` and by a
 * 1 s poll (a notification can be missed while reconnecting). Exactly-once delivery
 * rests on two facts: rows are claimed with FOR UPDATE SKIP LOCKED, so concurrent
 * relays split the work; and each job is added with the row's job_id, so a relay that
 * dies after adding but before marking re-adds a job BullMQ already has, which it
 * ignores. While Redis is down, rows stay, attempts count up and the relay backs off.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<RelayRunResult>;
  private rerunRequested = false;
  private consecutiveFailures = 0;
  private stopped = true;
  /** one tick at a time: a wake-up during a pass must not count that pass's failure twice */
  private ticking = false;
  private wakeRequested = false;
  private watchedClients = new WeakSet<object>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts polling at once; resolves when LISTEN is in place (or has failed and will be retried). */
  start(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.stopped = false;
    this.schedule(0);
    this.watchReconnects();
    return this.listen();
  }

  /**
   * Issue 8 item 15: when a queue's Redis connection becomes ready again, relay at once
   * instead of sleeping out the back-off (up to 30 s) grown during the outage.
   */
  private watchReconnects(): void {
    for (const queue of this.queues.all()) {
      // the backend forwards its connection's 'ready' (every reconnect of the Redis client)
      const backend = queue.getBackend() as unknown as { on?: (event: string, fn: () => void) => void };
      if (!backend?.on || this.watchedClients.has(backend)) continue;
      this.watchedClients.add(backend);
      backend.on('ready', () => this.wake('queue connection ready'));
    }
  }

  /** Relay now, forgetting the back-off; during a pass, right after it. */
  wake(reason: string): void {
    if (this.stopped) return;
    if (this.consecutiveFailures > 0) this.logger.log(`outbox relay woken (${reason})`);
    this.consecutiveFailures = 0;
    if (this.ticking) this.wakeRequested = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  /** One pass: relays everything pending now. Concurrent calls in one process share a pass. */
  relayPending(): Promise<RelayRunResult> {
    if (this.running) {
      this.rerunRequested = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<RelayRunResult> {
    const total: RelayRunResult = { dispatched: 0, failed: 0 };
    for (;;) {
      this.rerunRequested = false;
      const batch = await this.relayBatch();
      total.dispatched += batch.dispatched;
      total.failed += batch.failed;
      // A full batch may mean more rows; a failure means back off rather than spin.
      if (batch.failed > 0 || (batch.dispatched < BATCH_SIZE && !this.rerunRequested)) return total;
    }
  }

  private async relayBatch(): Promise<RelayRunResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      const rows = await this.outbox.claimPending(runner, BATCH_SIZE);
      const dispatched: string[] = [];
      let failed = 0;
      for (const row of rows) {
        try {
          await this.addToQueue(row);
          dispatched.push(row.id);
        } catch (error) {
          // Redis is away or slow: one failure stops the batch (the other rows would each wait out
          // the same timeout while their locks are held); they are tried again on the next pass.
          failed += 1;
          await this.outbox.recordFailure(runner, row.id, String((error as Error)?.message ?? error));
          break;
        }
      }
      await this.markDispatched(runner, dispatched);
      await runner.commitTransaction();
      return { dispatched: dispatched.length, failed };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async addToQueue(row: PendingOutboxRow): Promise<void> {
    const queue = this.queues.get(row.queue);
    const adding = queue.add(row.jobName, row.payload, { jobId: row.jobId, delay: row.remainingDelayMs || undefined });
    try {
      await withTimeout(adding, ADD_TIMEOUT_MS, `adding ${row.jobId} to ${row.queue}`);
    } catch (error) {
      // Re-check after a timed-out add: the client may still deliver it once Redis is back;
      // then relay again at once, which marks the row (the re-add is the same jobId: ignored).
      adding.then(
        () => this.wake(`a timed-out add of ${row.jobId} completed`),
        () => undefined,
      );
      throw error;
    }
  }

  /** Its own method so a test can make the relay die between add and mark. */
  protected markDispatched(runner: Parameters<OutboxRepository['markDispatched']>[0], ids: string[]): Promise<void> {
    return this.outbox.markDispatched(runner, ids);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.ticking) {
      this.wakeRequested = true;
      return;
    }
    this.ticking = true;
    try {
      const result = await this.relayPending();
      this.consecutiveFailures = result.failed > 0 ? this.consecutiveFailures + 1 : 0;
      if (result.failed > 0) this.logger.warn(`${result.failed} outbox row(s) not relayed; retrying with backoff`);
    } catch (error) {
      this.consecutiveFailures += 1;
      this.logger.error(`outbox relay pass failed: ${(error as Error)?.message ?? error}`);
    } finally {
      this.ticking = false;
    }
    const now = this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(now ? 0 : this.nextDelay());
  }

  private nextDelay(): number {
    if (this.consecutiveFailures === 0) return POLL_MS;
    return Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** this.consecutiveFailures);
  }

  /** NOTIFY wakes the relay at once; while backing off, the poll timer keeps the pace. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'jishi-outbox-relay' });
    client.on('notification', () => {
      if (this.consecutiveFailures === 0) this.schedule(0);
    });
    client.on('error', () => {
      // Only the live listener reconnects; a failed connect is retried below.
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      setTimeout(() => void this.listen(), POLL_MS).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.listener = client;
    } catch (error) {
      this.logger.warn(`cannot LISTEN ${CHANNEL} (${(error as Error)?.message}); polling only until it can`);
      await client.end().catch(() => undefined);
      setTimeout(() => void this.listen(), 5 * POLL_MS).unref();
    }
  }
}
