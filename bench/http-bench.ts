import 'reflect-metadata';
import { ChildProcess, execSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres, EmbeddedPostgresHandle } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { bootstrapDatabase, dropDatabase } from '../src/database/roles';
import { appEnv } from './harness';
import type { RawCapture, RawRunRequest, RawRunResult, Statement } from './raw-sql';
import { seedBench } from './seed-bench';

/**
 * `npm run bench:http` — QUALITY §5 in one run, same-run ratios, interleaved rounds.
 *
 *   H  bare Nest app (Express, global ValidationPipe, log warn): GET /hello          (a)
 *   A  the real app (dist/src/main.js):  GET /api/v1/auth/me with a token            (b)
 *                                        GET /api/v1/audit?limit=50, college admin   (c)
 *   raw  the SQL (c) runs, through a pg.Pool of the same size, same concurrency     (d)
 *   plus H on Fastify and plain node:http for ADR 0007.
 *
 * DATABASE_URL (optional) is a superuser URL: a fresh database jishi_bench_<ts> is created
 * and dropped at the end. Unset: a throwaway embedded PostgreSQL. REDIS_URL is used if set.
 * Any non-2xx answer or error invalidates the run: it stops and exits non-zero.
 * Knobs (defaults per the brief): BENCH_CONNECTIONS=32 BENCH_DURATION=10 BENCH_WARMUP=3
 * BENCH_ROUNDS=3 DB_POOL_SIZE=10.
 */

// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (opts: Record<string, unknown>) => Promise<any> = require('autocannon');

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL_SIZE = Number(process.env.DB_POOL_SIZE ?? 10);
const LIMIT = 50;

class InvalidRun extends Error {}

interface Measure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  requests: number;
}

const log = (...args: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];

function startServer(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`\n!!! ${name} exited early (code ${code}, signal ${signal}) !!!\n`);
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stopChildren(): Promise<void> {
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null || c.signalCode !== null) return done();
          const timer = setTimeout(() => c.kill('SIGKILL'), 8000);
          c.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          if (c.connected) c.send({ type: 'exit' });
          else c.kill('SIGTERM');
        }),
    ),
  );
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function cannon(name: string, url: string, headers: Record<string, string>, seconds: number): Promise<Measure> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1, headers });
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0) {
    const codes = Object.entries(r.statusCodeStats ?? {}).map(([k, v]: [string, any]) => `${k}:${v.count}`).join(' ');
    throw new InvalidRun(`${name}: non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} (status codes ${codes})`);
  }
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, requests: r.requests.total };
}

async function measureHttp(name: string, url: string, headers: Record<string, string> = {}): Promise<Measure> {
  if (WARMUP_S > 0) await cannon(`${name} (warm-up)`, url, headers, WARMUP_S);
  const m = await cannon(name, url, headers, DURATION_S);
  log(`${name.padEnd(16)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms`);
  return m;
}

function rawRun(raw: ChildProcess, variant: RawRunRequest['variant']): Promise<Measure> {
  return new Promise((done, fail) => {
    const onMessage = (msg: { type: string; result: RawRunResult }) => {
      if (msg.type !== 'result') return;
      raw.off('message', onMessage);
      const r = msg.result;
      if (r.errors > 0) return fail(new InvalidRun(`raw-${variant}: ${r.errors} errors, first: ${r.firstError}`));
      const m = { name: `raw-${variant}`, rps: r.tps, p50: r3(r.p50), p99: r3(r.p99), mean: r3(r.mean), requests: r.transactions };
      log(`${m.name.padEnd(16)} ${m.rps.toFixed(0).padStart(7)} tx/s   p50 ${m.p50} ms  p99 ${m.p99} ms`);
      done(m);
    };
    raw.on('message', onMessage);
    raw.send({ type: 'run', variant, connections: CONNECTIONS, warmupMs: WARMUP_S * 1000, durationMs: DURATION_S * 1000 } satisfies RawRunRequest);
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const distBench = __dirname;
  const mainJs = resolve(distBench, '..', 'src', 'main.js');
  const stamp = new Date().toISOString();
  let adminUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgresHandle | undefined;
  const database = `jishi_bench_${Date.now().toString(36)}`;
  let created = false;
  const queuePrefix = `jb${randomBytes(4).toString('hex')}`;

  try {
    // 1. database
    if (!adminUrl) {
      log('DATABASE_URL unset: starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({ dataDir: `.data/bench-pg-${process.pid}`, persistent: false });
      adminUrl = embedded.adminUrl;
    }
    // Roles are cluster-wide and created only when missing (bootstrapDatabase): use the test
    // harness's passwords so a server the e2e suite already bootstrapped accepts them too.
    const targets = await bootstrapDatabase(adminUrl, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
    created = true;
    await runMigrations(targets.ownerUrl);
    log(`database ${database} migrated; seeding`);
    const seed = await seedBench(targets.ownerUrl);
    log(`seeded: ${seed.tenants} tenants, audit rows own=${seed.auditRowsOwnTenant} others=${seed.auditRowsOtherTenants} province=${seed.auditRowsProvince}`);
    const pgVersion = await (async () => {
      const c = new Client({ connectionString: targets.appUrl });
      await c.connect();
      const v = (await c.query('SHOW server_version')).rows[0].server_version as string;
      await c.end();
      return v;
    })();

    // 2. processes (one build: dist/)
    const [pExpress, pFastify, pNode, pApp] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'warn' };
    const bare = join(distBench, 'bare-app.js');
    startServer('H express', bare, ['--adapter', 'express', '--port', String(pExpress)], baseEnv);
    startServer('H fastify', bare, ['--adapter', 'fastify', '--port', String(pFastify)], baseEnv);
    startServer('H node', bare, ['--adapter', 'node', '--port', String(pNode)], baseEnv);
    startServer('A', mainJs, [], appEnv(targets, pApp, queuePrefix, POOL_SIZE));
    const actor = { userId: '', membershipId: seed.membershipId, scope: 'college', role: 'college-admin', tenantId: seed.tenantId };
    const raw = fork(join(distBench, 'raw-sql.js'), [], {
      env: { ...baseEnv, RAW_DATABASE_URL: targets.appUrl, RAW_POOL_SIZE: String(POOL_SIZE), RAW_LIMIT: String(LIMIT), RAW_ACTOR: JSON.stringify(actor) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(raw);
    const rawReady = new Promise<{ capture: RawCapture; plans: Record<string, Statement[]> }>((done, fail) => {
      raw.once('message', (m: any) => (m.type === 'ready' ? done(m) : fail(new Error('raw-sql: unexpected message'))));
      raw.once('exit', (code) => fail(new Error(`raw-sql exited with ${code}`)));
    });
    await Promise.all([
      waitFor(`http://127.0.0.1:${pExpress}/hello`),
      waitFor(`http://127.0.0.1:${pFastify}/hello`),
      waitFor(`http://127.0.0.1:${pNode}/hello`),
      waitFor(`http://127.0.0.1:${pApp}/health/ready`),
    ]);
    const { capture, plans } = await rawReady;

    // 3. login and sanity checks
    const base = `http://127.0.0.1:${pApp}/api/v1`;
    const loginRes = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: seed.email, password: seed.password }),
    });
    if (loginRes.status !== 200) throw new InvalidRun(`login: ${loginRes.status} ${await loginRes.text()}`);
    const { accessToken } = (await loginRes.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const me = await fetch(`${base}/auth/me`, { headers: auth });
    if (me.status !== 200) throw new InvalidRun(`/auth/me: ${me.status}`);
    const list = await fetch(`${base}/audit?limit=${LIMIT}`, { headers: auth });
    if (list.status !== 200) throw new InvalidRun(`/audit: ${list.status} ${await list.text()}`);
    const page = (await list.json()) as { items: { id: string; tenantId: string }[]; nextCursor: string | null };
    if (page.items.length !== LIMIT || !page.nextCursor) throw new InvalidRun(`/audit returned ${page.items.length} items`);
    if (page.items.some((i) => i.tenantId !== seed.tenantId)) throw new InvalidRun('/audit leaked another tenant');
    const sameRows = JSON.stringify(page.items.map((i) => i.id)) === JSON.stringify(capture.ids.slice(0, LIMIT));
    if (!sameRows) throw new InvalidRun('raw SQL capture and /audit disagree on the rows');
    const select = capture.statements.find((s) => /FROM\s+"audit_log"/i.test(s.sql))!;
    log(`captured SQL of /audit (${capture.statements.length} statements): ${capture.statements.map((s) => s.sql.split(/\s+/).slice(0, 2).join(' ')).join(' | ')}`);

    // 4. interleaved rounds
    const H = `http://127.0.0.1:${pExpress}/hello`;
    const rounds: Record<string, Measure>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      log(`round ${round}/${ROUNDS}`);
      const m: Record<string, Measure> = {};
      m.h = await measureHttp('a H express', H);
      m.me = await measureHttp('b A /auth/me', `${base}/auth/me`, auth);
      m.audit = await measureHttp('c A /audit', `${base}/audit?limit=${LIMIT}`, auth);
      m.raw = await rawRun(raw, 'wrapper');
      m.rawTypeorm = await rawRun(raw, 'typeorm');
      m.fastify = await measureHttp('H fastify', `http://127.0.0.1:${pFastify}/hello`);
      m.node = await measureHttp('H node:http', `http://127.0.0.1:${pNode}/hello`);
      rounds.push(m);
      log(
        `round ${round}: b/a=${r3(m.me.rps / m.h.rps)} c/a=${r3(m.audit.rps / m.h.rps)} R_sql=${r3(m.audit.rps / m.raw.rps)} ` +
          `fastify/express=${r3(m.fastify.rps / m.h.rps)} node/express=${r3(m.node.rps / m.h.rps)}`,
      );
    }

    // 5. summary: medians of the per-round values
    const med = (f: (m: Record<string, Measure>) => number) => median(rounds.map(f));
    const endpoint = (k: string) => ({ rps: Math.round(med((m) => m[k].rps)), p50: med((m) => m[k].p50), p99: med((m) => m[k].p99) });
    const summary = {
      a_hello: endpoint('h'),
      b_me: endpoint('me'),
      c_audit: endpoint('audit'),
      d_raw: endpoint('raw'),
      d_raw_typeorm_sequence: endpoint('rawTypeorm'),
      ratio_b_a: r3(med((m) => m.me.rps / m.h.rps)),
      ratio_c_a: r3(med((m) => m.audit.rps / m.h.rps)),
      R_sql: r3(med((m) => m.audit.rps / m.raw.rps)),
      R_sql_typeorm_sequence: r3(med((m) => m.audit.rps / m.rawTypeorm.rps)),
      adapters: {
        express: endpoint('h'),
        fastify: endpoint('fastify'),
        node: endpoint('node'),
        fastify_over_express: r3(med((m) => m.fastify.rps / m.h.rps)),
        node_over_express: r3(med((m) => m.node.rps / m.h.rps)),
      },
    };
    const targetsMet = {
      'b/a >= 0.85': summary.ratio_b_a >= 0.85,
      'c/a >= 0.30': summary.ratio_c_a >= 0.3,
      'R_sql >= 0.65': summary.R_sql >= 0.65,
      'p99(c) < 50 ms': summary.c_audit.p99 < 50,
    };
    const elapsedS = Math.round((Date.now() - started) / 1000);
    const result = {
      kind: 'http-bench',
      date: stamp,
      commit: (() => {
        try {
          return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
        } catch {
          return undefined;
        }
      })(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: r2(totalmem() / 2 ** 30), node: process.version, postgres: pgVersion, note: 'load generator (autocannon, raw-sql driver) shares the same cores as the servers and PostgreSQL' },
      method: {
        connections: CONNECTIONS,
        durationSeconds: DURATION_S,
        warmupSeconds: WARMUP_S,
        rounds: ROUNDS,
        dbPoolSize: POOL_SIZE,
        redis: Boolean(process.env.REDIS_URL),
        embeddedPostgres: Boolean(embedded),
        order: 'per round: H express, A /auth/me, A /audit, raw wrapper, raw typeorm sequence, H fastify, H node:http',
        seed,
      },
      sql: { select: select.sql, wrapper: plans.wrapper.map((s) => s.sql.split(/\s+/).slice(0, 3).join(' ')), typeormSequence: capture.statements.map((s) => s.sql) },
      rounds,
      summary,
      targets: targetsMet,
      elapsedSeconds: elapsedS,
    };
    const dir = resolve(process.cwd(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    let file = join(dir, `http-${stamp.slice(0, 10)}.json`);
    for (let i = 2; existsSync(file); i++) file = join(dir, `http-${stamp.slice(0, 10)}-${i}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');

    const row = (k: string, e: { rps: number; p50: number; p99: number }) => `| ${k} | ${e.rps} | ${e.p50} | ${e.p99} |`;
    console.log(
      [
        '',
        `| endpoint (c=${CONNECTIONS}, medians of ${ROUNDS} rounds) | req/s | p50 ms | p99 ms |`,
        '|---|---|---|---|',
        row('(a) H: bare Nest Express GET /hello', summary.a_hello),
        row('(b) A: GET /api/v1/auth/me', summary.b_me),
        row('(c) A: GET /api/v1/audit?limit=50', summary.c_audit),
        row('(d) raw SQL, BEGIN/pin/SELECT/COMMIT (tx/s)', summary.d_raw),
        row('(d′) raw SQL, TypeORM’s 5 statements (tx/s)', summary.d_raw_typeorm_sequence),
        row('H on Fastify', summary.adapters.fastify),
        row('plain node:http', summary.adapters.node),
        '',
        `b/a = ${summary.ratio_b_a} (target >= 0.85)   c/a = ${summary.ratio_c_a} (>= 0.30)   R_sql = ${summary.R_sql} (>= 0.65; vs TypeORM sequence ${summary.R_sql_typeorm_sequence})   p99(c) = ${summary.c_audit.p99} ms (< 50)`,
        `fastify/express = ${summary.adapters.fastify_over_express}   node/express = ${summary.adapters.node_over_express}`,
        `targets: ${Object.entries(targetsMet).map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`).join(', ')}`,
        summary.a_hello.rps < 3000 ? '!!! H below 3,000 req/s: the machine or load generator is the bottleneck (QUALITY §5) !!!' : '',
        `results: ${file}  (${elapsedS} s)`,
      ].join('\n'),
    );
  } finally {
    await stopChildren();
    if (created && adminUrl) await dropDatabase(adminUrl, database).catch((e) => console.error('drop database:', e));
    if (embedded) await embedded.stop();
    if (process.env.REDIS_URL) await cleanRedis(process.env.REDIS_URL, queuePrefix).catch(() => undefined);
  }
}

/** The app's queues wrote keys under the run's own prefix; remove them. */
async function cleanRedis(url: string, prefix: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Redis = require('ioredis');
  const redis = new (Redis.default ?? Redis)(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof InvalidRun) {
      console.error(`\n${'!'.repeat(72)}\nINVALID RUN: ${error.message}\n${'!'.repeat(72)}\n`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
