import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TenantPinningTypeOrmAdapter } from '../../tenancy/tenant-pinning.adapter';
import { TenantContext } from '../../tenancy/tenant-context';
import { JobNameOn, JobPayload, QueueName } from '../queue-names';
import { assertValidJobId, defaultJobId } from './job-id';
import { OutboxRepository } from './outbox.repository';

export interface EnqueueOptions {
  /** deterministic id; defaults to a hash of name and payload */
  jobId?: string;
  /** ms after the enqueue (not after the relay) before the job may run */
  delay?: number;
}

export class OutboxNeedsTransactionError extends Error {
  constructor() {
    super('OutboxService.enqueue must run inside a @Transactional() call: the job commits with the change or not at all');
  }
}

/**
 * The transactional outbox (ARCHITECTURE §6): a job that must follow a database change
 * is written in the same transaction and relayed to BullMQ after commit. A rollback
 * leaves no job; Redis being down delays the job, never loses it.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly txHost: TransactionHost<TenantPinningTypeOrmAdapter>,
    private readonly tenant: TenantContext,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Returns the job's id. */
  async enqueue<Q extends QueueName, N extends JobNameOn<Q>>(
    queue: Q,
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions = {},
  ): Promise<string> {
    const [jobId] = await this.enqueueMany(queue, name, [{ payload, ...options }]);
    return jobId;
  }

  /** Several jobs of one name in one statement; returns their ids in order. */
  async enqueueMany<Q extends QueueName, N extends JobNameOn<Q>>(
    queue: Q,
    name: N,
    jobs: (EnqueueOptions & { payload: JobPayload<N> })[],
  ): Promise<string[]> {
    if (!this.txHost.isTransactionActive()) throw new OutboxNeedsTransactionError();
    const rows = jobs.map(({ payload, jobId = defaultJobId(name, payload), delay }) => {
      this.assertTenantMatches(payload.tenantId);
      assertValidJobId(jobId);
      return { queue, jobName: name, jobId, payload, delayMs: delay };
    });
    await this.outbox.insertMany(this.txHost.tx, rows);
    return rows.map((r) => r.jobId);
  }

  /** A college's request may only create work for its own college. */
  private assertTenantMatches(payloadTenantId: string | null | undefined): void {
    if (payloadTenantId === undefined) throw new Error('job payload must carry tenantId (null for province-wide jobs)');
    const current = this.tenant.tenantId;
    if (current && payloadTenantId !== current) {
      throw new Error(`job payload tenantId ${payloadTenantId} differs from the current tenant`);
    }
  }
}
