/** Jobs per state in one queue, as BullMQ's getJobCounts reports them. */
export interface QueueJobCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * What the metrics scrape needs from the queues. src/queue binds this token to its
 * QueueDepthReader; unbound, the queue gauges are simply absent.
 */
export interface QueueDepthReader {
  depths(): Promise<Record<string, QueueJobCounts>>;
}

export const QUEUE_DEPTH_READER = Symbol('QUEUE_DEPTH_READER');

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
