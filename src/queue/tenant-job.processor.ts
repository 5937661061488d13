import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { TenantContext } from '../tenancy/tenant-context';
import { JobNameOn, JobPayload, QueueName } from './queue-names';

/** One handler per job name the queue carries; the compiler checks none is missing. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobNameOn<Q>]: (payload: JobPayload<N>, job: Job<JobPayload<N>>) => Promise<unknown>;
};

/**
 * Base of every processor (ARCHITECTURE §3, §6). Each job runs in a fresh CLS context
 * for the tenant its payload names, so @Transactional() code inside pins that tenant and
 * RLS shows it that college only; `tenantId: null` runs with province scope. A payload
 * without `tenantId`, or a job name without a handler, fails at once without retries:
 * retrying cannot fix it.
 *
 *   @Processor(QUEUES.reminders)
 *   export class RemindersProcessor extends TenantJobProcessor<'reminders'> {
 *     protected handlers() { return { 'reminders.send-due': (p) => this.service.sendDue(p.day) }; }
 *   }
 */
export abstract class TenantJobProcessor<Q extends QueueName> extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  protected constructor(protected readonly tenantContext: TenantContext) {
    super();
  }

  protected abstract handlers(): JobHandlers<Q>;

  async process(job: Job): Promise<unknown> {
    type AnyHandler = (payload: unknown, job: Job) => Promise<unknown>;
    const handler = (this.handlers() as unknown as Record<string, AnyHandler | undefined>)[job.name];
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${job.queueName}"`);
    const tenantId: unknown = job.data?.tenantId;
    const run = () => handler(job.data, job);
    if (tenantId === null) return this.tenantContext.runAsProvinceSystem(run);
    if (typeof tenantId === 'string' && tenantId.length > 0) return this.tenantContext.runAsTenant(tenantId, run);
    throw new UnrecoverableError(`job "${job.name}" (${job.id}) carries no tenantId`);
  }

  /** Failures are logged with ids only; the payload holds no personal data but is not logged either. */
  @OnWorkerEvent('failed')
  protected onFailed(job: Job | undefined, error: Error): void {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
    this.logger.warn(
      `job ${job.name} ${job.id} failed (attempt ${job.attemptsMade}${final ? ', final' : ''}): ${error.message}`,
    );
  }
}
