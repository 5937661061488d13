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
];

/**
 * Upserts every schedule when a worker boots. `upsertJobScheduler` is keyed by id, so two
 * workers starting together, or a restart, leave one scheduler each (QUALITY §3).
 */
@Injectable()
export class JobScheduleRegistrar implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobSchedules');

  constructor(private readonly queues: QueueRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registerAll();
  }

  async registerAll(schedules: JobSchedule[] = JOB_SCHEDULES): Promise<void> {
    for (const s of schedules) {
      await this.queues.get(JOB_QUEUE[s.job]).upsertJobScheduler(s.id, s.repeat, { name: s.job, data: s.payload });
    }
    this.logger.log(`${schedules.length} job schedule(s) registered`);
  }
}
