import { Injectable } from '@nestjs/common';
import { QueueRegistry } from './queue-registry';

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Queue depths for the metrics module (gauges) and operators. */
@Injectable()
export class QueueDepthReader {
  constructor(private readonly queues: QueueRegistry) {}

  async depths(): Promise<Record<string, QueueDepth>> {
    const entries = await Promise.all(
      this.queues.all().map(async (queue) => {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        // Jobs with a priority wait in their own state; to an operator they are waiting too.
        const depth: QueueDepth = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
        };
        return [queue.name, depth] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
}
