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
 * BENCH_ONLY=express|fastify (one adapter, e.g. for a profile) BENCH_CPU_PROF=dir (A runs under --cpu-prof)
 * BENCH_BEFORE_DIST=<dist of an older build> (a third A, that build on Express: before/after in the same run)
 * BENCH_ROUTES=hello,me,list,byId,write (a subset)
 * BENCH_PAIRED=1: per route, every variant is loaded at the same time (connections split between
 * them) instead of one after the other; on a machine shared with other work this pairs the
 * variants under the same conditions (the bare routes H stay sequential).
 */

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL_SIZE = Number(process.env.DB_POOL_SIZE ?? 10);
const ONLY = process.env.BENCH_ONLY;
const BEFORE_DIST = process.env.BENCH_BEFORE_DIST;
const PAIRED = process.env.BENCH_PAIRED === '1';
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
    // A variants: the real app per adapter, plus (BENCH_BEFORE_DIST) an older build on Express for a same-run before/after
    const variants: { name: string; adapter: Adapter; script: string }[] = adapters.map((a) => ({
      name: a,
      adapter: a,
      script: a === 'express' ? join(dist, 'src', 'main.js') : join(dist, 'bench', 'fastify-app.js'),
    }));
    if (BEFORE_DIST && adapters.includes('express')) variants.push({ name: 'before', adapter: 'express', script: join(resolve(BEFORE_DIST), 'src', 'main.js') });
    const ports: Record<string, number> = {};
    const pids: Record<string, number | undefined> = {};
    for (const a of adapters) {
      ports[`H-${a}`] = await freePort();
      pids[`H-${a}`] = servers.start(`H ${a}`, join(dist, 'bench', 'bare-app.js'), ['--adapter', a, '--port', String(ports[`H-${a}`])], { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn' }).pid;
    }
    for (const v of variants) {
      ports[`A-${v.name}`] = await freePort();
      const env = appEnv(db, ports[`A-${v.name}`], queuePrefix, POOL_SIZE);
      env.HTTP_ADAPTER = v.adapter; // main.js runs the configured default (fastify); the express variant names its adapter
      // every process signs with the same key, so one token serves all
      env.JWT_SECRET = sharedSecret;
      const prof = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=A-${v.name}-${Date.now()}.cpuprofile`] : [];
      pids[`A-${v.name}`] = servers.start(`A ${v.name}`, v.script, [], env, prof).pid;
    }
    await Promise.all([
      ...adapters.map((a) => waitFor(`http://127.0.0.1:${ports[`H-${a}`]}/hello`)),
      ...variants.map((v) => waitFor(`http://127.0.0.1:${ports[`A-${v.name}`]}/health/ready`)),
    ]);

    const base = (v: string) => `http://127.0.0.1:${ports[`A-${v}`]}/api/v1`;
    const auth = await login(base(variants[0].name), seed.email, seed.password);
    const created = await fetch(`${base(variants[0].name)}/programmes`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: programmeBody() });
    if (created.status !== 201) throw new InvalidRun(`POST /programmes: ${created.status} ${await created.text()}`);
    const programmeId = ((await created.json()) as { id: string }).id;

    const targets = (v: string): Record<string, CannonTarget> => ({
      me: { url: `${base(v)}/auth/me`, headers: auth },
      list: { url: `${base(v)}/audit?limit=50`, headers: auth },
      byId: { url: `${base(v)}/programmes/${programmeId}`, headers: auth },
      write: { url: `${base(v)}/programmes`, method: 'POST', headers: auth, body: programmeBody },
    });
    // the same answers from every variant before any load
    const answers: Record<string, string> = {};
    for (const v of variants) {
      for (const [k, t] of Object.entries(targets(v.name))) {
        if (k === 'write') continue;
        const res = await fetch(t.url, { headers: t.headers });
        const text = await res.text();
        if (res.status !== 200) throw new InvalidRun(`${v.name} ${k}: ${res.status} ${text}`);
        if (k === 'list') {
          const page = JSON.parse(text) as { items: { tenantId: string }[] };
          if (page.items.length !== 50 || page.items.some((i) => i.tenantId !== seed.tenantId)) throw new InvalidRun(`${v.name} list: wrong rows`);
        }
        if (answers[k] !== undefined && answers[k] !== text) throw new InvalidRun(`${v.name} ${k}: a different body than ${variants[0].name}`);
        answers[k] = text;
      }
    }

    const opts = { warmupS: WARMUP_S, durationS: DURATION_S, connections: CONNECTIONS };
    const rounds: { load: number[]; m: Record<string, Measure> }[] = [];
    const routes = ROUTES.filter((k) => k !== 'hello');
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? variants : [...variants].reverse();
      const loadAt = load();
      log(`round ${round}/${ROUNDS} (${order.map((v) => v.name).join(', ')}), load ${loadAt.join(' ')}`);
      const m: Record<string, Measure> = {};
      for (const a of round % 2 ? adapters : [...adapters].reverse()) {
        if (ROUTES.includes('hello')) m[`${a}.hello`] = await measureHttp(`H ${a} hello`, { url: `http://127.0.0.1:${ports[`H-${a}`]}/hello` }, { ...opts, serverPid: pids[`H-${a}`] });
      }
      if (PAIRED) {
        // every variant under load at the same time, the connections split between them: a busy
        // shared machine then slows them alike, and the req/s ratio is the inverse of the cost ratio
        const split = { ...opts, connections: Math.max(1, Math.floor(CONNECTIONS / order.length)) };
        for (const k of routes) {
          const ms = await Promise.all(order.map((v) => measureHttp(`${v.name} ${k} (paired)`, targets(v.name)[k], { ...split, serverPid: pids[`A-${v.name}`] })));
          order.forEach((v, i) => (m[`${v.name}.${k}`] = ms[i]));
        }
      } else {
        for (const v of order) {
          for (const k of routes) m[`${v.name}.${k}`] = await measureHttp(`${v.name} ${k}`, targets(v.name)[k], { ...opts, serverPid: pids[`A-${v.name}`] });
        }
      }
      rounds.push({ load: loadAt, m });
      if (m['fastify.me'] && m['express.me']) log(`round ${round}: fastify/express ${routes.map((k) => `${k}=${r3(m[`fastify.${k}`].rps / m[`express.${k}`].rps)}`).join(' ')}`);
      if (m['before.me'] && m['express.me']) log(`round ${round}: after/before ${routes.map((k) => `${k}=${r3(m[`express.${k}`].rps / m[`before.${k}`].rps)}`).join(' ')}`);
    }

    const med = (f: (m: Record<string, Measure>) => number) => median(rounds.map((r) => f(r.m)));
    const summary: Record<string, unknown> = {};
    const keys = Object.keys(rounds[0].m);
    for (const key of keys) {
      summary[key] = {
        rps: Math.round(med((m) => m[key].rps)),
        p50: med((m) => m[key].p50),
        p99: med((m) => m[key].p99),
        cpuUsPerReq: med((m) => m[key].cpuUsPerReq ?? NaN),
      };
    }
    for (const v of variants) {
      const h = `${v.adapter}.hello`;
      // paired: A ran on a share of the connections while the others ran too; ÷ H would compare unlike loads
      if (!keys.includes(h) || PAIRED) continue;
      for (const k of routes) summary[`${v.name}.${k} ÷ H(${v.adapter})`] = r3(med((m) => m[`${v.name}.${k}`].rps / m[h].rps));
    }
    const pair = (x: string, y: string, label: string) => {
      for (const k of [...(x === 'fastify' ? ['hello'] : []), ...routes]) {
        const kx = k === 'hello' ? 'fastify.hello' : `${x}.${k}`;
        const ky = k === 'hello' ? 'express.hello' : `${y}.${k}`;
        if (!keys.includes(kx) || !keys.includes(ky)) continue;
        summary[`${label} req/s ${k}`] = r3(med((m) => m[kx].rps / m[ky].rps));
        summary[`${label} cpu ${k} (${y} µs ÷ ${x} µs)`] = r3(med((m) => (m[ky].cpuUsPerReq ?? NaN) / (m[kx].cpuUsPerReq ?? NaN)));
      }
    };
    pair('fastify', 'express', 'fastify/express');
    pair('express', 'before', 'after/before');
    const file = writeResult('adapters', {
      kind: 'adapter-bench',
      date: new Date().toISOString(),
      commit: commit(),
      machine: machine(),
      method: { paired: PAIRED, connections: CONNECTIONS, durationSeconds: DURATION_S, warmupSeconds: WARMUP_S, rounds: ROUNDS, dbPoolSize: POOL_SIZE, routes: ROUTES, variants, seed },
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
