import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { runMigrations } from '../src/database/migrate';
import { bootstrapDatabase, dropDatabase } from '../src/database/roles';
import { DEMO_COLLEGES, DEMO_PASSWORD, DEMO_PROVINCE_USERS, loginOf, seedDemo } from '../src/database/seed/index';
import { freePort } from '../src/database/embedded-postgres';

/**
 * `npm run bench:soak -- --minutes 3` — issue 14 part 3: a steady, open-loop mixed load on the
 * main paths of one API process (from sources, as `npm run start:dev` runs it) for N minutes
 * (default 10), on the demo province. Never part of `npm test`; local only, bounded rate.
 *
 * Reports errors (any non-2xx or network error), throughput, p50/p99 per path, and the API
 * process's RSS: after a warm-up (the JIT, pools and caches fill in the first half minute), at
 * the end, and its peak; verdict: no errors and RSS growth under 10 %.
 *
 * Arguments: --minutes N (default 10) --rate R requests/s (default 40) --warmup S seconds
 * (default 30) --max-in-flight K (default 32). DATABASE_URL: a superuser URL (default the local
 * server); a database jishi_soak_<ts> is created and dropped. REDIS_URL is used if set.
 * Results: bench/results/soak-<timestamp>.json.
 */

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const MINUTES = arg('minutes', 10);
const RATE = arg('rate', 40);
const WARMUP_S = arg('warmup', 30);
const MAX_IN_FLIGHT = arg('max-in-flight', 32);
const ROOT = resolve(__dirname, '..');
const log = (...a: unknown[]) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

interface PathStats {
  ok: number;
  errors: number;
  ms: number[];
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jishi_soak_${Date.now().toString(36)}`;
  log(`database ${database}: migrating and seeding the demo province`);
  const targets = await bootstrapDatabase(adminUrl, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
  let api: ChildProcess | undefined;
  try {
    await runMigrations(targets.ownerUrl);
    // the seed seals the demo students' ID numbers with the keys the API will read them with
    process.env.PII_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
    process.env.PII_HASH_KEY ??= randomBytes(32).toString('base64');
    process.env.STORAGE_DIR ??= join(ROOT, '.data', database);
    await seedDemo(targets.ownerUrl);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    api = spawn(process.execPath, ['-r', join(ROOT, 'test/setup/swc-register.js'), join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      stdio: ['pipe', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: targets.appUrl,
        DATABASE_MIGRATION_URL: targets.ownerUrl,
        JWT_SECRET: randomBytes(48).toString('base64'),
        QUEUE_PREFIX: `soak${randomBytes(3).toString('hex')}`,
        LOG_LEVEL: 'warn',
        LOGIN_IP_LIMIT_PER_MINUTE: '100000',
        API_RATE_LIMIT_PER_MINUTE: '1000000',
        LOGIN_MAX_FAILURES: '1000',
        METRICS_TOKEN: randomBytes(24).toString('hex'),
      },
    });
    const until = Date.now() + 180_000;
    while ((await fetch(`${base}/health/live`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > until || api.exitCode !== null) throw new Error('the API did not come up');
      await sleep(250);
    }
    const pid = api.pid as number;
    log(`API up on ${base} (pid ${pid}, RSS ${rssMb(pid)} MB)`);

    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, json: () => JSON.parse(text) };
    };
    const login = async (identifier: string) => {
      const r = await call('POST', '/api/v1/auth/login', undefined, { identifier, password: DEMO_PASSWORD });
      if (r.status !== 200) throw new Error(`login ${identifier}: ${r.status}`);
      return r.json() as { accessToken: string; refreshToken: string };
    };
    const college = DEMO_COLLEGES[0];
    const staff = await login(loginOf(college.staff));
    const admin = await login(loginOf(college.admin));
    const viewer = await login(loginOf(DEMO_PROVINCE_USERS.find((u) => u.role === 'province-viewer')!));
    const students = ((await call('GET', '/api/v1/students?limit=50', staff.accessToken)).json().items as { id: string }[]).map((s) => s.id);
    if (!students.length) throw new Error('the demo college has no students');
    // Independent sessions, each rotated by one request at a time: a refresh token presented
    // twice is reuse, which revokes its whole family (by design), so chains never overlap.
    const chains: { token: string; busy: boolean }[] = [];
    for (let i = 0; i < 8; i++) chains.push({ token: (await login(loginOf(college.mentor))).refreshToken, busy: false });
    let next = 0;

    /** The mix (weights): reads of every main list, detail and dashboard, and writes (token rotation, logins). */
    const mix: [name: string, weight: number, run: () => Promise<number>][] = [
      ['GET /auth/me', 20, async () => (await call('GET', '/api/v1/auth/me', staff.accessToken)).status],
      ['GET /students?limit=50', 15, async () => (await call('GET', '/api/v1/students?limit=50', staff.accessToken)).status],
      ['GET /students/:id', 20, async () => (await call('GET', `/api/v1/students/${students[next++ % students.length]}`, staff.accessToken)).status],
      ['GET /audit?limit=50', 10, async () => (await call('GET', '/api/v1/audit?limit=50', admin.accessToken)).status],
      ['GET /practice/placements', 8, async () => (await call('GET', '/api/v1/practice/placements', staff.accessToken)).status],
      ['GET /work-orders', 7, async () => (await call('GET', '/api/v1/work-orders', admin.accessToken)).status],
      ['GET /kpis/college', 6, async () => (await call('GET', '/api/v1/kpis/college', admin.accessToken)).status],
      ['GET /dashboards/college', 4, async () => (await call('GET', '/api/v1/dashboards/college', admin.accessToken)).status],
      ['GET /dashboards/province', 3, async () => (await call('GET', '/api/v1/dashboards/province', viewer.accessToken)).status],
      [
        'POST /auth/refresh (write)',
        5,
        async () => {
          const chain = chains.find((c) => !c.busy);
          if (!chain) return (await call('GET', '/api/v1/auth/me', staff.accessToken)).status;
          chain.busy = true;
          try {
            const r = await call('POST', '/api/v1/auth/refresh', undefined, { refreshToken: chain.token });
            if (r.status === 200) chain.token = r.json().refreshToken;
            return r.status;
          } finally {
            chain.busy = false;
          }
        },
      ],
      ['POST /auth/login (write, argon2id)', 2, async () => (await call('POST', '/api/v1/auth/login', undefined, { identifier: loginOf(college.staff), password: DEMO_PASSWORD })).status],
    ];
    const totalWeight = mix.reduce((s, [, w]) => s + w, 0);
    const pick = () => {
      let x = Math.random() * totalWeight;
      for (const m of mix) if ((x -= m[1]) < 0) return m;
      return mix[0];
    };
    const stats = new Map<string, PathStats>(mix.map(([n]) => [n, { ok: 0, errors: 0, ms: [] }]));
    const errorSamples: string[] = [];
    let inFlight = 0;
    let shed = 0;

    /** Open loop: one request every 1/RATE s whatever the answers do; above MAX_IN_FLIGHT it counts as shed. */
    const runFor = async (seconds: number, record: boolean) => {
      const end = Date.now() + seconds * 1000;
      const interval = 1000 / RATE;
      let due = Date.now();
      const pending = new Set<Promise<void>>();
      while (Date.now() < end) {
        if (inFlight >= MAX_IN_FLIGHT) {
          if (record) shed++;
        } else {
          const [name, , run] = pick();
          inFlight++;
          const t0 = performance.now();
          const p = run()
            .then((status) => {
              const s = stats.get(name)!;
              if (!record) return;
              if (status >= 200 && status < 300) {
                s.ok++;
                s.ms.push(performance.now() - t0);
              } else {
                s.errors++;
                if (errorSamples.length < 20) errorSamples.push(`${name}: HTTP ${status}`);
              }
            })
            .catch((e: Error) => {
              if (!record) return;
              stats.get(name)!.errors++;
              if (errorSamples.length < 20) errorSamples.push(`${name}: ${e.message}`);
            })
            .finally(() => {
              inFlight--;
              pending.delete(p);
            });
          pending.add(p);
        }
        due += interval;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
      }
      await Promise.all(pending);
    };

    log(`warm-up ${WARMUP_S} s at ${RATE} req/s`);
    await runFor(WARMUP_S, false);
    const rssStart = rssMb(pid);
    const samples: { atS: number; rssMb: number }[] = [{ atS: 0, rssMb: rssStart }];
    log(`soak ${MINUTES} min at ${RATE} req/s (RSS after warm-up ${rssStart} MB)`);
    const started = Date.now();
    const sampler = setInterval(() => {
      const s = { atS: Math.round((Date.now() - started) / 1000), rssMb: rssMb(pid) };
      samples.push(s);
      const done = [...stats.values()].reduce((n, x) => n + x.ok + x.errors, 0);
      log(`${s.atS} s: RSS ${s.rssMb} MB, ${done} requests, ${[...stats.values()].reduce((n, x) => n + x.errors, 0)} errors, load ${loadavg()[0].toFixed(1)}`);
    }, 15_000);
    await runFor(MINUTES * 60, true);
    clearInterval(sampler);
    const elapsedS = (Date.now() - started) / 1000;
    const rssEnd = rssMb(pid);
    samples.push({ atS: Math.round(elapsedS), rssMb: rssEnd });

    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(s.length * p))] * 10) / 10 : null;
    };
    const paths = [...stats.entries()].map(([name, s]) => ({ name, ok: s.ok, errors: s.errors, p50: pct(s.ms, 0.5), p99: pct(s.ms, 0.99) }));
    const requests = paths.reduce((n, p) => n + p.ok + p.errors, 0);
    const errors = paths.reduce((n, p) => n + p.errors, 0);
    const growthPct = Math.round(((rssEnd - rssStart) / rssStart) * 1000) / 10;
    const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const firstMinute = medianOf(samples.filter((x) => x.atS <= 60).map((x) => x.rssMb));
    const lastMinute = medianOf(samples.filter((x) => x.atS >= elapsedS - 60).map((x) => x.rssMb));
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 1e9), loadAvgAtEnd: loadavg().map((x) => Math.round(x * 10) / 10) },
      settings: { minutes: MINUTES, targetRate: RATE, warmupS: WARMUP_S, maxInFlight: MAX_IN_FLIGHT, redis: Boolean(process.env.REDIS_URL) },
      requests,
      errors,
      shed,
      throughputRps: Math.round((requests / elapsedS) * 10) / 10,
      rss: { afterWarmupMb: rssStart, endMb: rssEnd, peakMb: Math.max(...samples.map((s) => s.rssMb)), growthPct, firstMinuteMedianMb: firstMinute, lastMinuteMedianMb: lastMinute },
      verdict: errors === 0 && growthPct < 10 ? 'pass' : 'fail',
      paths,
      errorSamples,
      rssSamples: samples,
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    const file = join(ROOT, `bench/results/soak-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`${requests} requests in ${Math.round(elapsedS)} s (${result.throughputRps} req/s), ${errors} errors, ${shed} shed`);
    log(`RSS ${rssStart} MB → ${rssEnd} MB (${growthPct} %), peak ${result.rss.peakMb} MB, median first minute ${firstMinute} MB → last minute ${lastMinute} MB; verdict ${result.verdict}`);
    for (const p of paths) log(`  ${p.name}: ${p.ok} ok, ${p.errors} errors, p50 ${p.p50} ms, p99 ${p.p99} ms`);
    log(`written ${file}`);
    if (result.verdict !== 'pass') process.exitCode = 1;
  } finally {
    if (api && api.exitCode === null) {
      api.kill('SIGTERM');
      await new Promise((r) => api!.once('exit', r));
    }
    await dropDatabase(adminUrl, database).catch((e) => log(`could not drop ${database}: ${e.message}`));
    rmSync(join(ROOT, '.data', database), { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
