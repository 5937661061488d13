import { Processor } from '@nestjs/bullmq';
import { TenantContext } from '../../tenancy/tenant-context';
import { OutboxRepository } from '../outbox/outbox.repository';
import { JobPayload, QUEUES } from '../queue-names';
import { JobHandlers, TenantJobProcessor } from '../tenant-job.processor';

/** Platform housekeeping. One at a time: these jobs are sweeps, not throughput. */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends TenantJobProcessor<'maintenance'> {
  constructor(
    tenantContext: TenantContext,
    private readonly outbox: OutboxRepository,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'maintenance'> {
    return { 'outbox.cleanup': (payload) => this.cleanOutbox(payload) };
  }

  private async cleanOutbox(payload: JobPayload<'outbox.cleanup'>): Promise<{ deleted: number }> {
    return { deleted: await this.outbox.deleteDispatchedOlderThan(payload.olderThanDays) };
  }
}
