import { getQueueToken } from '@nestjs/bullmq';
import { Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUE_NAMES, QueueName } from './queue-names';

/** Every registered queue by name: for the relay, the depth reader and the health probe. */
export class QueueRegistry {
  private readonly byName: ReadonlyMap<string, Queue>;

  constructor(queues: Queue[]) {
    this.byName = new Map(queues.map((q) => [q.name, q]));
  }

  get(name: string): Queue {
    const queue = this.byName.get(name);
    if (!queue) throw new Error(`unknown queue "${name}"`);
    return queue;
  }

  all(): Queue[] {
    return [...this.byName.values()];
  }

  names(): QueueName[] {
    return [...this.byName.keys()] as QueueName[];
  }
}

export const queueRegistryProvider: Provider = {
  provide: QueueRegistry,
  inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]) => new QueueRegistry(queues),
};
