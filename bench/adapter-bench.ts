import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  appEnv,
  benchDatabase,
  BenchDatabase,
  CannonTarget,
  cleanRedis,
  commit,
  freePort,
  InvalidRun,
  load,
  log,
  login,
  machine,
  measureHttp,
  Measure,
  median,
  r3,
  Servers,
  waitFor,
  writeResult,
} from './harness';
import { seedBench } from './seed-bench';

/**
 * ADR 0007 on the real routes: the same build of the real app booted twice, once on Express
 * (`dist/src/main.js`, production) and once on Fastify (`dist/bench/fastify-app.js`, the
 * bench prototype), plus the bare route H on each adapter; the same load in interleaved
 * rounds. Per round and adapter: H `GET /hello`, `GET /auth/me` (token, no DB),
 * `GET /audit?limit=50` (list of 50 under RLS), `GET /programmes/:id` (by id under RLS),
 * `POST /programmes` (validate + insert + audit). The order of the adapters alternates
 * between rounds. Ratios are per round (Fastify ÷ Express on the same route), then the median.
 *
 *   npx nest build && node dist/bench/adapter-bench.js
 * Knobs: BENCH_CONNECTIONS (32) BENCH_DURATION (10) BENCH_WARMUP (3) BENCH_ROUNDS (3) DB_POOL_SIZE (10)
 * BENCH_ONLY=express|fastify (one adapter, e.g. for a profile) BENCH_CPU_PROF=dir (A runs under --cpu-prof).
 */

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL_SIZE = Number(process.env.DB_POOL_SIZE ?? 10);
const ONLY = process.env.BENCH_ONLY;
const CPU_PROF = process.env.BENCH_CPU_PROF;
const ROUTES = (process.env.BENCH_ROUTES ?? 'hello,me,list,byId,write').split(',');

type Adapter = 'express' | 'fastify';

let writeSeq = 0;
const runTag = randomBytes(2).toString('hex').toUpperCase();
const programmeBody = () =>
  JSON.stringify({
    code: `W${runTag}-${(writeSeq++).toString(36)}`,
    name: '数控加工（数控车工）基准',
    occupation: { code: '6-18-01-01', name: '车工' },
    clusterCodes: ['E02'],
  });

async function main(): Promise<void> {
  const started = Date.now();
  const dist = resolve(__dirname, '..');
  const servers = new Servers();
  const queuePrefix = `jb${randomBytes(4).toString('hex')}`;
  let db: BenchDatabase | undefined;
  try {
    db = await benchDatabase();
    const seed = await seedBench(db.ownerUrl);
    log(`database ${db.database} seeded (${seed.tenants} colleges, ${seed.auditRowsOwnTenant} own audit rows)`);

    const adapters: Adapter[] = ONLY ? [ONLY as Adapter] : ['express', 'fastify'];
    const ports: Record<string, number> = {};
    const pids: Record<string, number | undefined> = {};
    for (const a of adapters) {
      ports[`H-${a}`] = await freePort();
      ports[`A-${a}`] = await freePort();
      pids[`H-${a}`] = servers.start(`H ${a}`, join(dist, 'bench', 'bare-app.js'), ['--adapter', a, '--port', String(ports[`H-${a}`])], { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn' }).pid;
      const env = appEnv(db, ports[`A-${a}`], queuePrefix, POOL_SIZE);
      // both processes sign with the same key, so one token serves both
      env.JWT_SECRET = sharedSecret;
      const script = a === 'express' ? join(dist, 'src', 'main.js') : join(dist, 'bench', 'fastify-app.js');
      pids[`A-${a}`] = servers.start(`A ${a}`, script, [], env, CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=A-${a}-${Date.now()}.cpuprofile`] : []).pid;
    }
    await Promise.all(
      adapters.flatMap((a) => [waitFor(`http://127.0.0.1:${ports[`H-${a}`]}/hello`), waitFor(`http://127.0.0.1:${ports[`A-${a}`]}/health/ready`)]),
    );

    const base = (a: Adapter) => `http://127.0.0.1:${ports[`A-${a}`]}/api/v1`;
    const auth = await login(base(adapters[0]), seed.email, seed.password);
    const created = await fetch(`${base(adapters[0])}/programmes`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: programmeBody() });
    if (created.status !== 201) throw new InvalidRun(`POST /programmes: ${created.status} ${await created.text()}`);
    const programmeId = ((await created.json()) as { id: string }).id;

    const targets = (a: Adapter): Record<string, CannonTarget> => ({
      hello: { url: `http://127.0.0.1:${ports[`H-${a}`]}/hello` },
      me: { url: `${base(a)}/auth/me`, headers: auth },
      list: { url: `${base(a)}/audit?limit=50`, headers: auth },
      byId: { url: `${base(a)}/programmes/${programmeId}`, headers: auth },
      write: { url: `${base(a)}/programmes`, method: 'POST', headers: auth, body: programmeBody },
    });
    // the same answers from both adapters before any load
    for (const a of adapters) {
      for (const [k, t] of Object.entries(targets(a))) {
        if (k === 'write') continue;
        const res = await fetch(t.url, { headers: t.headers });
        if (res.status !== 200) throw new InvalidRun(`${a} ${k}: ${res.status} ${await res.text()}`);
        if (k === 'list') {
          const page = (await res.json()) as { items: { tenantId: string }[] };
          if (page.items.length !== 50 || page.items.some((i) => i.tenantId !== seed.tenantId)) throw new InvalidRun(`${a} list: wrong rows`);
        }
      }
    }

    const opts = { warmupS: WARMUP_S, durationS: DURATION_S, connections: CONNECTIONS };
    const rounds: { load: number[]; m: Record<string, Measure> }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? adapters : [...adapters].reverse();
      log(`round ${round}/${ROUNDS} (${order.join(' then ')}), load ${load().join(' ')}`);
      const m: Record<string, Measure> = {};
      const loadAt = load();
      for (const a of order) {
        for (const k of ROUTES) {
          const serverPid = pids[`${k === 'hello' ? 'H' : 'A'}-${a}`];
          m[`${a}.${k}`] = await measureHttp(`${a} ${k}`, targets(a)[k], { ...opts, serverPid });
        }
      }
      rounds.push({ load: loadAt, m });
      if (adapters.length === 2) {
        log(`round ${round}: fastify/express ${ROUTES.map((k) => `${k}=${r3(m[`fastify.${k}`].rps / m[`express.${k}`].rps)}`).join(' ')}`);
      }
    }

    const med = (f: (m: Record<string, Measure>) => number) => median(rounds.map((r) => f(r.m)));
    const summary: Record<string, unknown> = {};
    for (const a of adapters) {
      for (const k of ROUTES) {
        summary[`${a}.${k}`] = {
          rps: Math.round(med((m) => m[`${a}.${k}`].rps)),
          p50: med((m) => m[`${a}.${k}`].p50),
          p99: med((m) => m[`${a}.${k}`].p99),
          cpuUsPerReq: med((m) => m[`${a}.${k}`].cpuUsPerReq ?? NaN),
        };
        if (k !== 'hello' && ROUTES.includes('hello')) summary[`${a}.${k}/H`] = r3(med((m) => m[`${a}.${k}`].rps / m[`${a}.hello`].rps));
      }
    }
    if (adapters.length === 2) {
      for (const k of ROUTES) {
        summary[`fastify/express.${k}`] = r3(med((m) => m[`fastify.${k}`].rps / m[`express.${k}`].rps));
        summary[`cpu express/fastify.${k}`] = r3(med((m) => (m[`express.${k}`].cpuUsPerReq ?? NaN) / (m[`fastify.${k}`].cpuUsPerReq ?? NaN)));
      }
    }
    const file = writeResult('adapters', {
      kind: 'adapter-bench',
      date: new Date().toISOString(),
      commit: commit(),
      machine: machine(),
      method: { connections: CONNECTIONS, durationSeconds: DURATION_S, warmupSeconds: WARMUP_S, rounds: ROUNDS, dbPoolSize: POOL_SIZE, routes: ROUTES, seed },
      rounds,
      summary,
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
    });
    console.log(JSON.stringify(summary, null, 1));
    log(`results: ${file}`);
  } finally {
    await servers.stop();
    await db?.drop();
    await cleanRedis(queuePrefix).catch(() => undefined);
  }
}

const sharedSecret = randomBytes(48).toString('base64');

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof InvalidRun ? `\nINVALID RUN: ${error.message}\n` : error);
    process.exit(1);
  },
);
