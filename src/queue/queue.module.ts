import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { QUEUE_PROBE } from '../health/queue-probe';
import { QUEUE_DEPTH_READER } from '../metrics/queue-depth';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxService } from './outbox/outbox.service';
import { queueRootOptions } from './queue-backend';
import { QueueDepthReader } from './queue-depth.reader';
import { QueueHealth } from './queue-health';
import { QUEUE_NAMES } from './queue-names';
import { QueueRegistry, queueRegistryProvider } from './queue-registry';

/**
 * Queues for both processes: producers (@InjectQueue, the outbox), depths and health.
 * Workers, the relay and schedules live in QueueWorkerModule, imported by the worker only.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({ inject: [AppConfig], useFactory: queueRootOptions }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
  ],
  providers: [
    queueRegistryProvider,
    OutboxRepository,
    OutboxService,
    QueueDepthReader,
    QueueHealth,
    // The ports readiness and the metrics scrape declare, bound to this module's implementations.
    { provide: QUEUE_PROBE, useExisting: QueueHealth },
    { provide: QUEUE_DEPTH_READER, useExisting: QueueDepthReader },
  ],
  exports: [BullModule, QueueRegistry, OutboxRepository, OutboxService, QueueDepthReader, QueueHealth, QUEUE_PROBE, QUEUE_DEPTH_READER],
})
export class QueueModule {}
