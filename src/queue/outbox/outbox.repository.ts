import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** A job waiting in the outbox, as the relay reads it. */
export interface PendingOutboxRow {
  id: string;
  queue: string;
  jobName: string;
  jobId: string;
  payload: Record<string, unknown>;
  /** what is left of the requested delay, counted from the enqueue (ms) */
  remainingDelayMs: number;
}

export interface NewOutboxRow {
  queue: string;
  jobName: string;
  jobId: string;
  payload: object;
  delayMs?: number;
}

/** All SQL on the `outbox` table (a control table: no tenant RLS, ids only). */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Written with the caller's manager, so the row commits or rolls back with the change. */
  async insert(manager: EntityManager, row: NewOutboxRow): Promise<void> {
    await this.insertMany(manager, [row]);
  }

  /** Several rows in one statement (a notification to many recipients, a refresh of many cohorts). */
  async insertMany(manager: EntityManager, rows: NewOutboxRow[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO outbox (queue, job_name, job_id, payload, options)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])`,
      [
        rows.map((r) => r.queue),
        rows.map((r) => r.jobName),
        rows.map((r) => r.jobId),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => JSON.stringify(r.delayMs ? { delay: r.delayMs } : {})),
      ],
    );
  }

  /**
   * Locks a batch of undispatched rows for this relay; a concurrent relay skips them
   * rather than waiting, so two relays never hold the same row.
   */
  async claimPending(runner: QueryRunner, limit: number): Promise<PendingOutboxRow[]> {
    const rows: any[] = await runner.query(
      `SELECT id::text AS id, queue, job_name, job_id, payload,
              GREATEST(0, COALESCE((options->>'delay')::bigint, 0)
                - (extract(epoch FROM clock_timestamp() - created_at) * 1000)::bigint)::bigint AS remaining_delay
       FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      queue: r.queue,
      jobName: r.job_name,
      jobId: r.job_id,
      payload: r.payload,
      remainingDelayMs: Number(r.remaining_delay),
    }));
  }

  async markDispatched(runner: QueryRunner, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await runner.query('UPDATE outbox SET dispatched_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [ids]);
  }

  async recordFailure(runner: QueryRunner, id: string, error: string): Promise<void> {
    await runner.query('UPDATE outbox SET attempts = attempts + 1, last_error = left($2, 500) WHERE id = $1', [id, error]);
  }

  async countPending(): Promise<number> {
    const rows = await this.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL');
    return rows[0].n;
  }

  /** Dispatched rows are only history once BullMQ has the job; keep a few days for inquiry. */
  async deleteDispatchedOlderThan(days: number): Promise<number> {
    const rows = await this.dataSource.query(
      `WITH gone AS (DELETE FROM outbox WHERE dispatched_at < now() - make_interval(days => $1) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days],
    );
    return rows[0].n;
  }
}
