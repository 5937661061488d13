import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobScheduleRegistrar } from './maintenance/job-schedules';
import { AuditRetentionRepository } from './maintenance/audit-retention.repository';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { OutboxRelay } from './outbox/outbox-relay';
import { WorkerDrain } from './worker-drain';

/**
 * What only a worker runs: the outbox relay, the schedules and the platform processors.
 * The embedded demo may import it in the API process as well.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [OutboxRelay, JobScheduleRegistrar, MaintenanceProcessor, AuditRetentionRepository, WorkerDrain],
  exports: [OutboxRelay, JobScheduleRegistrar],
})
export class QueueWorkerModule {}
