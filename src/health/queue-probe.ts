/**
 * What readiness needs from the queue backend. src/queue owns the backend (Redis or
 * BullMQ's PostgreSQL backend) and binds this token to its QueueHealth; until it does,
 * readiness falls back to a Redis PING or the database check (see HealthController).
 */
export interface QueueProbe {
  /** Resolves when the queue backend answers; rejects otherwise. */
  ping(): Promise<void>;
}

export const QUEUE_PROBE = Symbol('QUEUE_PROBE');
