import { Module } from '@nestjs/common';
import { JobScheduleRegistrar } from './maintenance/job-schedules';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { OutboxRelay } from './outbox/outbox-relay';

/**
 * What only a worker runs: the outbox relay, the schedules and the platform processors.
 * The embedded demo may import it in the API process as well.
 */
@Module({
  providers: [OutboxRelay, JobScheduleRegistrar, MaintenanceProcessor],
  exports: [OutboxRelay, JobScheduleRegistrar],
})
export class QueueWorkerModule {}
