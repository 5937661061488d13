import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { PIN_SQL } from '../src/tenancy/tenant-pinning.adapter';
import {
  appEnv,
  benchDatabase,
  BenchDatabase,
  cleanRedis,
  commit,
  freePort,
  InvalidRun,
  load,
  log,
  machine,
  median,
  percentile,
  r2,
  r3,
  Servers,
  sleep,
  waitFor,
  writeResult,
} from './harness';
import { buildWorld, jobThroughput, measureRoutes, refreshKpis, reminderLateness, routeSpecs, seedScale, SqlCapture } from './main-paths';
import { seedBench } from './seed-bench';
import { chinaToday } from '../src/time/china-date';

/**
 * `npm run bench` (second half; the first is adapter-bench): the main-path figures of
 * QUALITY §5 that are not HTTP throughput ratios.
 *
 *  - login p95 at 10 concurrent callers (argon2id), through the real API; floor: the same
 *    number of argon2 verifications alone, in this process, at the same concurrency;
 *  - RLS ÷ explicit WHERE: GET /audit's SELECT through a pg.Pool in the app's wrapper
 *    (BEGIN; pin; SELECT; COMMIT), as the runtime role under the policy, against the same
 *    statement with `WHERE tenant_id = $1` as a role the policy does not apply to;
 *    interleaved rounds;
 *  - outbox lag: committed outbox rows → BullMQ jobs through the real worker process's relay,
 *    p50/p95 of dispatched_at − created_at at a steady 20 rows/s;
 *  - the main paths through HTTP (bench/main-paths.ts, issue 14 part 2): student list and
 *    detail, hours entry and confirmation, work-order acceptance, assessment sheet read and
 *    batch write, college and province dashboards on `seed:scale` data, each ÷ H and ÷ the
 *    raw-`pg` replay of the SQL it ran, interleaved rounds;
 *  - job throughput through the real worker, and reminder lateness (delayed send-due jobs).
 *
 *   npx nest build && node dist/bench/paths-bench.js
 * Knobs: BENCH_DURATION (8) BENCH_ROUNDS (3) BENCH_CONNECTIONS (32) DB_POOL_SIZE (10)
 *        BENCH_WARMUP (2) BENCH_ONLY (login,rls,outbox,routes,jobs,reminders) BENCH_ROUTES (route keys, comma-separated)
 *        BENCH_SCALE_COLLEGES (30) BENCH_SCALE_STUDENTS (12000) BENCH_JOBS (1000) BENCH_REMINDERS (40)
 */

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const POOL_SIZE = Number(process.env.DB_POOL_SIZE ?? 10);
const LOGIN_CONCURRENCY = 10;
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'login,rls,outbox,routes,jobs,reminders').split(',').map((x) => x.trim()));
const SCALE = { colleges: Number(process.env.BENCH_SCALE_COLLEGES ?? 30), students: Number(process.env.BENCH_SCALE_STUDENTS ?? 12000) };

interface Figure {
  figure: string;
  value: number | null;
  unit: string;
  target: string;
  met: boolean | null;
  detail?: Record<string, unknown>;
}

/** `concurrency` callers loop on `call` for `seconds`; latencies in ms. */
async function closedLoop(concurrency: number, seconds: number, call: () => Promise<void>): Promise<{ latencies: number[]; errors: number; firstError?: string }> {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await call();
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= String((error as Error).message ?? error);
        }
      }
    }),
  );
  return { latencies, errors, firstError };
}

async function loginP95(base: string, email: string, password: string): Promise<Figure> {
  const body = JSON.stringify({ identifier: email, password });
  const call = async () => {
    const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`login ${res.status}`);
  };
  await closedLoop(LOGIN_CONCURRENCY, 2, call); // warm-up
  const loadAt = load();
  const r = await closedLoop(LOGIN_CONCURRENCY, DURATION_S, call);
  if (r.errors) throw new InvalidRun(`login: ${r.errors} errors, first: ${r.firstError}`);
  // the floor: argon2id verification alone at the same concurrency, same parameters as the stored hash
  const { hashPassword, verifyPassword } = await import('../src/auth/password');
  const hash = await hashPassword(password);
  const floor = await closedLoop(LOGIN_CONCURRENCY, Math.min(DURATION_S, 5), async () => {
    if (!(await verifyPassword(hash, password))) throw new Error('verify failed');
  });
  const p95 = r2(percentile(r.latencies, 95));
  log(`login c=${LOGIN_CONCURRENCY}: p50 ${r2(percentile(r.latencies, 50))} ms p95 ${p95} ms (${r.latencies.length} logins); argon2 verify alone p95 ${r2(percentile(floor.latencies, 95))} ms`);
  return {
    figure: `login p95 at ${LOGIN_CONCURRENCY} concurrent (argon2id)`,
    value: p95,
    unit: 'ms',
    target: '< 250 ms',
    met: p95 < 250,
    detail: {
      load: loadAt,
      logins: r.latencies.length,
      rps: r2(r.latencies.length / DURATION_S),
      p50: r2(percentile(r.latencies, 50)),
      p99: r2(percentile(r.latencies, 99)),
      argon2VerifyAlone: { p50: r2(percentile(floor.latencies, 50)), p95: r2(percentile(floor.latencies, 95)), perSecond: r2(floor.latencies.length / Math.min(DURATION_S, 5)) },
    },
  };
}

const AUDIT_SELECT = `SELECT a.id, a.tenant_id, a.occurred_at, a.actor_user_id, a.membership_id, a.actor_role, a.entity, a.entity_id,
       a.action, a.before, a.after, a.request_id, a.ip
  FROM audit_log a %WHERE%
 ORDER BY a.occurred_at DESC, a.id DESC
 LIMIT 51`;

async function wrapperTps(pool: Pool, pin: unknown[] | null, sql: string, params: unknown[]): Promise<{ tps: number; p50: number; p99: number }> {
  const call = async () => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      if (pin) await c.query(PIN_SQL, pin);
      const r = await c.query(sql, params);
      if (r.rowCount !== 51) throw new Error(`${r.rowCount} rows`);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  };
  await closedLoop(CONNECTIONS, 2, call);
  const r = await closedLoop(CONNECTIONS, DURATION_S, call);
  if (r.errors) throw new InvalidRun(`raw SQL: ${r.errors} errors, first: ${r.firstError}`);
  return { tps: r2(r.latencies.length / DURATION_S), p50: r2(percentile(r.latencies, 50)), p99: r2(percentile(r.latencies, 99)) };
}

async function rlsRatio(db: BenchDatabase, tenantId: string): Promise<Figure> {
  // the runtime role: the policy filters (tenant_id = current setting OR province rows)
  const app = new Pool({ connectionString: db.appUrl, max: POOL_SIZE });
  // the bench's superuser: no policy applies; the tenant is an explicit WHERE on the same statement
  const bareUrl = new URL(db.adminUrl);
  bareUrl.pathname = `/${db.database}`;
  const bare = new Pool({ connectionString: bareUrl.toString(), max: POOL_SIZE });
  const pin = [tenantId, 'college', '', '', '']; // PIN_SQL's five: tenant, scope, enterprise, app.now ('' = the real clock), user
  const rounds: Record<string, unknown>[] = [];
  const plans: Record<string, string[]> = {};
  const explain = async (pool: Pool, pinned: unknown[] | null, sql: string, params: unknown[]) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      if (pinned) await c.query(PIN_SQL, pinned);
      const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
      await c.query('COMMIT');
      return r.rows.map((row) => row['QUERY PLAN'] as string);
    } finally {
      c.release();
    }
  };
  try {
    plans.policy = await explain(app, pin, AUDIT_SELECT.replace('%WHERE%', ''), []);
    plans.policyAndWhere = await explain(app, pin, AUDIT_SELECT.replace('%WHERE%', 'WHERE a.tenant_id = $1'), [tenantId]);
    plans.where = await explain(bare, null, AUDIT_SELECT.replace('%WHERE%', 'WHERE a.tenant_id = $1'), [tenantId]);
    for (const [k, lines] of Object.entries(plans)) log(`EXPLAIN ${k}:\n  ${lines.join('\n  ')}`);
    for (let round = 1; round <= ROUNDS; round++) {
      const loadAt = load();
      const policy = await wrapperTps(app, pin, AUDIT_SELECT.replace('%WHERE%', ''), []);
      const policyAndWhere = await wrapperTps(app, pin, AUDIT_SELECT.replace('%WHERE%', 'WHERE a.tenant_id = $1'), [tenantId]);
      const where = await wrapperTps(bare, null, AUDIT_SELECT.replace('%WHERE%', 'WHERE a.tenant_id = $1'), [tenantId]);
      const ratio = r3(where.tps / policy.tps);
      const ratioAsServed = r3(where.tps / policyAndWhere.tps);
      log(`RLS round ${round}: policy ${policy.tps} tx/s, policy + WHERE (what the app sends) ${policyAndWhere.tps}, WHERE only ${where.tps} → cost ×${ratio} (as served ×${ratioAsServed}), load ${loadAt.join(' ')}`);
      rounds.push({ load: loadAt, policy, policyAndWhere, where, ratio, ratioAsServed });
    }
  } finally {
    await app.end();
    await bare.end();
  }
  // the figure: the statement as the app sends it (policy on, plus the repository's explicit
  // tenant WHERE) against the same statement without the policy. The policy alone (no WHERE)
  // is recorded too: it shows why the repositories keep the explicit tenant filter.
  const value = median(rounds.map((r) => r.ratioAsServed as number));
  return {
    figure: 'RLS ÷ explicit WHERE (GET /audit SELECT as sent, time per transaction)',
    value,
    unit: '×',
    target: '≤ 1.05',
    met: value <= 1.05,
    detail: { policyAloneWithoutWhere: median(rounds.map((r) => r.ratio as number)), plans, rounds, connections: CONNECTIONS, pool: POOL_SIZE },
  };
}

async function outboxLag(db: BenchDatabase): Promise<Figure> {
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  const tag = randomBytes(4).toString('hex');
  const rows = Number(process.env.BENCH_OUTBOX_ROWS ?? 200);
  const perSecond = 20;
  const loadAt = load();
  try {
    for (let i = 0; i < rows; i++) {
      // a housekeeping job that finds nothing to do (dispatched rows older than ten years)
      await owner.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('maintenance', 'outbox.cleanup', $1, $2)`, [
        `outbox.cleanup_bench_${tag}_${i}`,
        JSON.stringify({ tenantId: null, olderThanDays: 3650 }),
      ]);
      await sleep(1000 / perSecond);
    }
    const until = Date.now() + 60_000;
    for (;;) {
      const pending = await owner.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id LIKE $1 AND dispatched_at IS NULL`, [`outbox.cleanup_bench_${tag}_%`]);
      if (pending.rows[0].n === 0) break;
      if (Date.now() > until) throw new InvalidRun(`outbox: ${pending.rows[0].n} rows not dispatched after 60 s`);
      await sleep(200);
    }
    const lags = (
      await owner.query(`SELECT extract(epoch FROM dispatched_at - created_at) * 1000 AS ms FROM outbox WHERE job_id LIKE $1`, [`outbox.cleanup_bench_${tag}_%`])
    ).rows.map((r) => Number(r.ms));
    const p95 = r2(percentile(lags, 95));
    log(`outbox lag (${rows} rows at ${perSecond}/s): p50 ${r2(percentile(lags, 50))} ms p95 ${p95} ms max ${r2(Math.max(...lags))} ms`);
    return {
      figure: `outbox lag p95 (${perSecond} rows/s, worker relay)`,
      value: p95,
      unit: 'ms',
      target: '< 500 ms',
      met: p95 < 500,
      detail: { load: loadAt, rows, p50: r2(percentile(lags, 50)), p99: r2(percentile(lags, 99)), max: r2(Math.max(...lags)) },
    };
  } finally {
    await owner.end();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dist = resolve(__dirname, '..');
  const servers = new Servers();
  const queuePrefix = `jb${randomBytes(4).toString('hex')}`;
  let db: BenchDatabase | undefined;
  try {
    db = await benchDatabase();
    const seed = await seedBench(db.ownerUrl);
    log(`database ${db.database} seeded`);
    const port = await freePort();
    const env = appEnv(db, port, queuePrefix, POOL_SIZE);
    // the per-IP login limit (30/min) is the throttle's job, not what this figure measures
    env.LOGIN_IP_LIMIT_PER_MINUTE = '1000000';
    env.API_RATE_LIMIT_PER_MINUTE = '1000000';
    const needWorld = ONLY.has('routes') || ONLY.has('jobs') || ONLY.has('reminders');
    if (ONLY.has('routes')) await seedScale(__dirname, db, env, SCALE.colleges, SCALE.students);
    const app = servers.start('A', join(dist, 'src', 'main.js'), [], env);
    servers.start('worker', join(dist, 'src', 'worker.js'), [], { ...env, PORT: String(await freePort()) });
    await waitFor(`http://127.0.0.1:${port}/health/ready`);
    await sleep(3000); // the worker's relay is listening by then
    const base = `http://127.0.0.1:${port}/api/v1`;

    const figures: Figure[] = [];
    if (ONLY.has('login')) figures.push(await loginP95(base, seed.email, seed.password));
    if (ONLY.has('rls')) figures.push(await rlsRatio(db, seed.tenantId));
    if (ONLY.has('outbox')) figures.push(await outboxLag(db));
    const world = needWorld ? await buildWorld(db, env, base, SCALE) : undefined;
    try {
      if (world && ONLY.has('routes')) {
        const kpiRefreshMs = await refreshKpis(world);
        const hPort = await freePort();
        servers.start('H', join(dist, 'bench', 'bare-app.js'), ['--adapter', 'express', '--port', String(hPort)], { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn' });
        await waitFor(`http://127.0.0.1:${hPort}/hello`);
        const capture = await SqlCapture.start(servers, join(dist, 'src', 'main.js'), join(dist, 'bench', 'sql-recorder.js'), env, await freePort());
        const routes = await measureRoutes(
          { base, hUrl: `http://127.0.0.1:${hPort}/hello`, appPid: app.pid, appUrl: db.appUrl, poolSize: POOL_SIZE, rounds: ROUNDS, warmupS: WARMUP_S, durationS: DURATION_S, connections: CONNECTIONS },
          capture,
          routeSpecs(world, chinaToday(), CONNECTIONS).filter((r) => !process.env.BENCH_ROUTES || process.env.BENCH_ROUTES.split(',').includes(r.key)),
        );
        for (const r of routes) figures.push({ ...r, detail: { ...r.detail, ...(r.key.includes('dashboard') ? { kpiRefreshMs, scale: SCALE } : {}) } });
      }
      if (world && ONLY.has('jobs')) figures.push(await jobThroughput(world, queuePrefix, ROUNDS, Number(process.env.BENCH_JOBS ?? 1000)));
      if (world && ONLY.has('reminders')) figures.push(await reminderLateness(world, queuePrefix, Number(process.env.BENCH_REMINDERS ?? 40), 1500));
    } finally {
      await world?.admin.end();
    }

    const file = writeResult('paths', {
      kind: 'paths-bench',
      date: new Date().toISOString(),
      commit: commit(),
      machine: machine(),
      method: { durationSeconds: DURATION_S, warmupSeconds: WARMUP_S, rounds: ROUNDS, connections: CONNECTIONS, dbPoolSize: POOL_SIZE, only: [...ONLY], scale: SCALE, seed },
      figures,
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
    });
    console.log(['', '| figure | value | target | verdict |', '|---|---|---|---|', ...figures.map((f) => `| ${f.figure} | ${f.value ?? '—'} ${f.unit}${f.detail?.ratioSql !== undefined ? ` (÷ raw ${f.detail.ratioSql})` : ''} | ${f.target} | ${f.met === null ? 'not measured' : f.met ? 'met' : 'MISSED'} |`)].join('\n'));
    log(`results: ${file}`);
  } finally {
    await servers.stop();
    await db?.drop();
    await cleanRedis(queuePrefix).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof InvalidRun ? `\nINVALID RUN: ${error.message}\n` : error);
    process.exit(1);
  },
);
