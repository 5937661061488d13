import { ConnectionOptions, createPostgresBackend, DefaultJobOptions, setDefaultBackendFactory } from 'bullmq';
import { AppConfig } from '../../config/app-config';

/** The schema BullMQ's PostgreSQL backend lives in; created by migration 1764400002000. */
export const BULLMQ_PG_SCHEMA = 'bullmq';

/**
 * Retries with exponential backoff (2 s, 4 s, 8 s, 16 s); completed jobs are kept a day
 * so a relay that re-adds the same jobId after a crash still finds (and skips) it;
 * failed jobs are kept a month, visible in Bull Board.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export type QueueBackendKind = 'redis' | 'postgres';

export function queueBackendKind(config: Pick<AppConfig, 'REDIS_URL'>): QueueBackendKind {
  return config.REDIS_URL ? 'redis' : 'postgres';
}

export interface QueueRootOptions {
  /** Redis options, or a `pg` pool config typed as BullMQ's (Redis-shaped) ConnectionOptions */
  connection: ConnectionOptions;
  prefix?: string;
  defaultJobOptions: DefaultJobOptions;
}

/**
 * Picks the backend for the whole process: Redis when REDIS_URL is set (keys under
 * QUEUE_PREFIX so several test runs share one Redis), else PostgreSQL in the `bullmq`
 * schema. The PostgreSQL backend is installed as BullMQ's process-wide default so that
 * @nestjs/bullmq, which builds Queue and Worker without a backend argument, needs no
 * change; it must run before any queue is built, which BullModule.forRootAsync's
 * factory guarantees. The runtime role never migrates that schema (it cannot CREATE
 * schemas): the app's migrations do, as the owner (docs/adr/0005).
 */
export function queueRootOptions(config: AppConfig): QueueRootOptions {
  if (queueBackendKind(config) === 'redis') {
    setDefaultBackendFactory(undefined);
    return {
      // Workers block on Redis: BullMQ requires maxRetriesPerRequest null for them.
      // Reconnect within 2 s of Redis returning (BullMQ's default back-off grows to 20 s).
      connection: { url: config.REDIS_URL, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(200 * times, 2000) },
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    };
  }
  setDefaultBackendFactory(createPostgresBackend);
  return {
    connection: { connectionString: config.DATABASE_URL, schema: BULLMQ_PG_SCHEMA, max: 4 } as ConnectionOptions,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  };
}
