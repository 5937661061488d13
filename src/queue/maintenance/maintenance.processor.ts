import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../../../config/app-config';
import { TenantContext } from '../../tenancy/tenant-context';
import { AuditRetentionRepository } from './audit-retention.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { JobPayload, QUEUES } from '../queue-names';
import { JobHandlers, TenantJobProcessor } from '../tenant-job.processor';

/** Platform housekeeping. One at a time: these jobs are sweeps, not throughput. */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends TenantJobProcessor<'maintenance'> {
  constructor(
    tenantContext: TenantContext,
    private readonly outbox: OutboxRepository,
    private readonly auditRetention: AuditRetentionRepository,
    private readonly config: AppConfig,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'maintenance'> {
    return {
      'outbox.cleanup': (payload) => this.cleanOutbox(payload),
      'audit.retention-sweep': () => this.sweepAudit(),
    };
  }

  private async sweepAudit(): Promise<{ purged: number }> {
    return { purged: await this.auditRetention.purgeOlderThan(this.config.AUDIT_RETENTION_DAYS) };
  }

  private async cleanOutbox(payload: JobPayload<'outbox.cleanup'>): Promise<{ deleted: number }> {
    return { deleted: await this.outbox.deleteDispatchedOlderThan(payload.olderThanDays) };
  }
}
