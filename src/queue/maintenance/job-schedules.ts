import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { RepeatOptions } from 'bullmq';
import { JobName, JobPayload, JOB_QUEUE } from '../queue-names';
import { QueueRegistry } from '../queue-registry';

export interface JobSchedule<N extends JobName = JobName> {
  /** the scheduler id: stable, so upserting it again replaces rather than adds */
  id: string;
  repeat: Omit<RepeatOptions, 'key'>;
  job: N;
  payload: JobPayload<N>;
}

/** Every recurring job of the platform. Times are China time. */
export const JOB_SCHEDULES: JobSchedule[] = [
  {
    id: 'outbox.cleanup',
    repeat: { pattern: '17 3 * * *', tz: 'Asia/Shanghai' },
    job: 'outbox.cleanup',
    payload: { tenantId: null, olderThanDays: 7 } satisfies JobPayload<'outbox.cleanup'>,
  },
  {
    id: 'audit.retention-sweep',
    repeat: { pattern: '37 3 * * *', tz: 'Asia/Shanghai' },
    job: 'audit.retention-sweep',
    payload: { tenantId: null } satisfies JobPayload<'audit.retention-sweep'>,
  },
  {
    // just after the China date turns: KPI facts move with "today" alone (issue 11, stored KPI counts)
    id: 'kpis.refresh-all',
    repeat: { pattern: '7 0 * * *', tz: 'Asia/Shanghai' },
    job: 'kpis.refresh-all',
    payload: { tenantId: null } satisfies JobPayload<'kpis.refresh-all'>,
  },
  {
    // issue 13: the province KPI report of the month just ended, 06:30 China time on the 1st
    id: 'reports.monthly-province',
    repeat: { pattern: '30 6 1 * *', tz: 'Asia/Shanghai' },
    job: 'reports.monthly-province',
    payload: { tenantId: null } satisfies JobPayload<'reports.monthly-province'>,
  },
  {
    // issue 13: the day's reminders, in working hours (China time) so e-mail is not held for quiet hours
    id: 'reminders.fan-out',
    repeat: { pattern: '5 8 * * *', tz: 'Asia/Shanghai' },
    job: 'reminders.fan-out',
    payload: { tenantId: null } satisfies JobPayload<'reminders.fan-out'>,
  },
  {
    // after quiet hours (22:00–07:00) end: the daily e-mail digest of notifications (issue 13)
    id: 'notifications.digest',
    repeat: { pattern: '0 8 * * *', tz: 'Asia/Shanghai' },
    job: 'notifications.digest',
    payload: { tenantId: null } satisfies JobPayload<'notifications.digest'>,
  },
];

/** An upsert that lost a race with another process doing the same upsert (issue 8 item 18). */
export function isSchedulerRace(error: unknown): boolean {
  const message = String((error as Error)?.message ?? error);
  return /already exists|duplicate key|unique constraint|could not serialize|deadlock detected/i.test(message);
}

/**
 * Upserts every schedule when a worker boots, and again whenever a queue's connection becomes
 * ready after an outage (a Redis that restarted without its data lost the schedulers; issue 8
 * item 14). `upsertJobScheduler` is keyed by id, so two workers starting together, or a
 * restart, leave one scheduler each (QUALITY §3). On the PostgreSQL backend two concurrent
 * upserts of the same id can collide on its unique key ("job ID already exists"); the loser
 * retries, and then finds the scheduler there and replaces it (item 18).
 */
@Injectable()
export class JobScheduleRegistrar implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobSchedules');
  private booted = false;
  private reRegistering?: NodeJS.Timeout;

  constructor(private readonly queues: QueueRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registerAll();
    this.booted = true;
    for (const queueName of new Set(JOB_SCHEDULES.map((s) => JOB_QUEUE[s.job]))) {
      const backend = this.queues.get(queueName).getBackend() as unknown as { on?: (event: string, fn: () => void) => void };
      backend?.on?.('ready', () => this.reRegisterSoon());
    }
  }

  /** After a reconnect (debounced: every connection of the queue reports it). */
  private reRegisterSoon(): void {
    if (!this.booted) return;
    clearTimeout(this.reRegistering);
    this.reRegistering = setTimeout(() => {
      this.registerAll().catch((error) => this.logger.warn(`re-registering schedules failed: ${(error as Error)?.message}`));
    }, 200);
    this.reRegistering.unref?.();
  }

  async registerAll(schedules: JobSchedule[] = JOB_SCHEDULES): Promise<void> {
    for (const s of schedules) {
      await this.upsert(s);
    }
    this.logger.log(`${schedules.length} job schedule(s) registered`);
  }

  private async upsert(s: JobSchedule, attempt = 1): Promise<void> {
    const queue = this.queues.get(JOB_QUEUE[s.job]);
    try {
      await queue.upsertJobScheduler(s.id, s.repeat, { name: s.job, data: s.payload });
    } catch (error) {
      if (attempt >= 5 || !isSchedulerRace(error)) throw error;
      // The other process created the same scheduler and its next iteration (same id): done.
      if (await queue.getJobScheduler(s.id).catch(() => undefined)) return;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.floor(Math.random() * 50)));
      await this.upsert(s, attempt + 1);
    }
  }
}
