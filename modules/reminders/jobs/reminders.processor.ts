import { Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JobHandlers, JobPayload, QueueRegistry, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { currentClock } from '../../../src/time/clock';
import { RemindersCoreModule } from '../reminders.module';
import { RemindersService } from '../reminders.service';

/** The one job id of a college's reminders for a day: a second fan-out, worker or retry adds nothing. */
export function sendDueJobId(tenantId: string, day: string): string {
  return `reminders.send-due_${tenantId}_${day}`;
}

/**
 * Queues the reminder check of a day now (the demo does it when it starts, so the seeded
 * reminders arrive without waiting for 08:05). One id per day: queued again it is the same job,
 * and a day already run by the schedule sends nothing more (the reminders' dedupe keys).
 */
export async function queueReminderCheck(queues: QueueRegistry, day: string): Promise<string> {
  const jobId = `reminders.fan-out_${day}`;
  await queues.get(QUEUES.reminders).add('reminders.fan-out', { tenantId: null, day } satisfies JobPayload<'reminders.fan-out'>, { jobId });
  return jobId;
}

/**
 * Issue 13 reminders. `reminders.fan-out` (daily schedule, province scope) sends the province's
 * reminders and adds one `reminders.send-due` per active college under a deterministic job id;
 * `reminders.send-due` (tenant scope) sends that college's reminders for the day. Both are
 * idempotent: the job ids keep one job per college and day, and the reminders' dedupe keys keep
 * one delivery per reminder and recipient even when two workers or a retry run the same day.
 */
@Processor(QUEUES.reminders, { concurrency: 2 })
export class RemindersProcessor extends TenantJobProcessor<'reminders'> {
  constructor(
    tenantContext: TenantContext,
    private readonly reminders: RemindersService,
    private readonly queues: QueueRegistry,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'reminders'> {
    return {
      'reminders.fan-out': (payload) => this.fanOut(payload),
      'reminders.send-due': (payload) => this.reminders.sendDueForCollege(payload.day),
    };
  }

  private async fanOut(payload: JobPayload<'reminders.fan-out'>): Promise<{ day: string; colleges: number; province: number }> {
    const day = payload.day ?? currentClock().today();
    const province = await this.reminders.sendDueForProvince(day);
    const tenantIds = await this.reminders.activeTenantIds();
    // A retried fan-out adds the same ids again: BullMQ keeps the existing job (kept a day after completion).
    await this.queues.get(QUEUES.reminders).addBulk(
      tenantIds.map((tenantId) => ({
        name: 'reminders.send-due',
        data: { tenantId, day } satisfies JobPayload<'reminders.send-due'>,
        opts: { jobId: sendDueJobId(tenantId, day) },
      })),
    );
    return { day, colleges: tenantIds.length, province: province.delivered };
  }
}

@Module({ imports: [RemindersCoreModule], providers: [RemindersProcessor] })
export class RemindersJobsModule {}
