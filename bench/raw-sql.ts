import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { ClsServiceManager } from 'nestjs-cls';
import { Pool } from 'pg';
import { DataSource, Logger as OrmLogger } from 'typeorm';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { AuditRepository } from '../modules/audit/audit.repository';
import { pinTransaction } from '../src/tenancy/tenant-pinning.adapter';
import type { JishiClsStore } from '../src/tenancy/request-context';

/**
 * The raw-SQL baseline of QUALITY §5.4, in its own process (forked by http-bench.ts).
 *
 * At start it captures the exact statements `GET /api/v1/audit?limit=50` runs for a
 * college admin by calling the app's own code (pinTransaction + AuditRepository.list in a
 * TypeORM transaction opened as TenantPinningTypeOrmAdapter opens it) with a recording logger. It then replays them
 * through a plain `pg.Pool` of the app's size at the bench's concurrency:
 *  - `wrapper`: BEGIN; the pin (set_config x3); the SELECT; COMMIT   (the brief's wrapper)
 *  - `typeorm`: every captured statement, as TypeORM sends them
 */

export interface Statement {
  sql: string;
  params: unknown[];
}

export interface RawCapture {
  statements: Statement[];
  ids: string[];
}

export interface RawRunRequest {
  type: 'run';
  variant: 'wrapper' | 'typeorm';
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface RawRunResult {
  variant: string;
  tps: number;
  p50: number;
  p99: number;
  mean: number;
  transactions: number;
  errors: number;
  firstError?: string;
}

class RecordingLogger implements OrmLogger {
  readonly statements: Statement[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    this.statements.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

async function capture(url: string, actor: JishiClsStore['actor'], limit: number): Promise<RawCapture> {
  const logger = new RecordingLogger();
  const ds = new DataSource({ type: 'postgres', url, entities: [AuditEntry], logging: 'all', logger, extra: { max: 1 } });
  await ds.initialize();
  try {
    logger.statements.length = 0;
    const cls = ClsServiceManager.getClsService<JishiClsStore>();
    const rows = await cls.run(async () => {
      cls.set('actor', actor);
      // no isolation level, like the adapter: PostgreSQL's default READ COMMITTED, no SET TRANSACTION
      return ds.transaction(async (manager) => {
        await pinTransaction(manager);
        // the controller's call for a college admin: its own tenant, the query's limit, no cursor
        return new AuditRepository({ tx: manager } as never).list({ limit, tenantId: actor!.tenantId });
      });
    });
    return { statements: [...logger.statements], ids: rows.map((r) => r.id) };
  } finally {
    await ds.destroy();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(pool: Pool, plan: Statement[], req: RawRunRequest, expectRows: number): Promise<RawRunResult> {
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  let recording = false;
  let stop = false;
  const select = plan.findIndex((s) => /^\s*SELECT\b.*\bFROM\s+"audit_log"/is.test(s.sql));

  const worker = async () => {
    while (!stop) {
      const t0 = performance.now();
      const client = await pool.connect();
      try {
        for (let i = 0; i < plan.length; i++) {
          const r = plan[i].params.length ? await client.query(plan[i].sql, plan[i].params) : await client.query(plan[i].sql);
          if (i === select && r.rowCount !== expectRows) throw new Error(`expected ${expectRows} rows, got ${r.rowCount}`);
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
        await client.query('ROLLBACK').catch(() => undefined);
      } finally {
        client.release();
      }
      if (recording) latencies.push(performance.now() - t0);
    }
  };
  const workers = Array.from({ length: req.connections }, worker);
  await new Promise((r) => setTimeout(r, req.warmupMs));
  errors = 0;
  recording = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, req.durationMs));
  recording = false;
  const elapsed = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  const sorted = Float64Array.from(latencies).sort();
  return {
    variant: req.variant,
    tps: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    transactions: latencies.length,
    errors,
    firstError,
  };
}

async function main(): Promise<void> {
  const url = process.env.RAW_DATABASE_URL!;
  const poolSize = Number(process.env.RAW_POOL_SIZE ?? '10');
  const limit = Number(process.env.RAW_LIMIT ?? '50');
  const actor = JSON.parse(process.env.RAW_ACTOR!) as JishiClsStore['actor'];

  const captured = await capture(url, actor, limit);
  const sql = captured.statements;
  const isControl = (s: Statement) => /^(START TRANSACTION|BEGIN|COMMIT|SET TRANSACTION)/i.test(s.sql.trim());
  const body = sql.filter((s) => !isControl(s));
  const plans: Record<RawRunRequest['variant'], Statement[]> = {
    wrapper: [{ sql: 'BEGIN', params: [] }, ...body, { sql: 'COMMIT', params: [] }],
    typeorm: sql,
  };
  const pool = new Pool({ connectionString: url, max: poolSize, application_name: 'jishi-bench-raw' });
  process.send!({ type: 'ready', capture: captured, plans });

  process.on('message', async (msg: RawRunRequest | { type: 'exit' }) => {
    if (msg.type === 'exit') {
      await pool.end();
      process.exit(0);
    }
    if (msg.type === 'run') {
      const result = await run(pool, plans[msg.variant], msg, limit + 1);
      process.send!({ type: 'result', result });
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
