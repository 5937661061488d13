import { Injectable, OnModuleInit } from '@nestjs/common';
import { LATEST_SCHEMA_VERSION } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { BULLMQ_PG_SCHEMA, queueBackendKind } from './queue-backend';
import { QueueRegistry } from './queue-registry';
import { QUEUES } from './queue-names';

const PING_TIMEOUT_MS = 2_000;

export class QueueSchemaOutdatedError extends Error {}

/** Readiness of the queue backend, for /health/ready. */
@Injectable()
export class QueueHealth implements OnModuleInit {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * A BullMQ upgrade may bring a new PostgreSQL schema version; the runtime role cannot
   * migrate it, so refuse to start on an old schema rather than fail job by job.
   */
  async onModuleInit(): Promise<void> {
    if (queueBackendKind(this.config) !== 'postgres') return;
    const rows = await this.dataSource.query(`SELECT COALESCE(max(version), 0)::int AS v FROM "${BULLMQ_PG_SCHEMA}".migration`);
    if (rows[0].v < LATEST_SCHEMA_VERSION) {
      throw new QueueSchemaOutdatedError(
        `BullMQ's PostgreSQL schema is at version ${rows[0].v}, this build needs ${LATEST_SCHEMA_VERSION}: ` +
          'add a migration that calls upgradeBullmqSchema() and run the migrations',
      );
    }
  }

  /** Resolves when the backend answers within 2 s; rejects otherwise. */
  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('queue backend did not answer in time')), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.queues.get(QUEUES.maintenance).getJobCounts('waiting'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
