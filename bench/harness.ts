import { ChildProcess, execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startEmbeddedPostgres, EmbeddedPostgresHandle } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { bootstrapDatabase, dropDatabase } from '../src/database/roles';

/**
 * Shared plumbing of the same-run benches (QUALITY §5): a throwaway database, server
 * processes from one build, autocannon runs that invalidate the run on any non-2xx, and the
 * machine facts each result records (load average included: the box is shared).
 */

// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const autocannon: (opts: Record<string, unknown>) => Promise<any> = require('autocannon');

export class InvalidRun extends Error {}

export interface Measure {
  name: string;
  rps: number;
  p50: number;
  p95?: number;
  p99: number;
  mean: number;
  requests: number;
  /** CPU time (user + system) of the server process per request, µs: robust to a busy machine where req/s is not. */
  cpuUsPerReq?: number;
}

/** utime + stime of a process in µs, from /proc (Linux); undefined elsewhere. */
export function processCpuUs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

export const log = (...args: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const load = () => loadavg().map(r2);

export function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: r2(totalmem() / 2 ** 30),
    node: process.version,
    note: 'load generator shares the cores with the servers, PostgreSQL and other agents',
  };
}

export function commit(): string | undefined {
  try {
    const sha = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain -- src modules config bench', { encoding: 'utf8' }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return undefined;
  }
}

export class Servers {
  private readonly children: ChildProcess[] = [];
  private stopping = false;

  start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      console.error(`\n!!! ${name} exited early (code ${code}, signal ${signal}) !!!\n`);
      exitedEarly = name;
    });
    this.children.push(child);
    return child;
  }

  adopt(child: ChildProcess): void {
    this.children.push(child);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.children.map(
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
}

/** Set when a server process dies before the bench stops it: waiting for it is pointless. */
let exitedEarly: string | undefined;

export async function waitFor(url: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (exitedEarly) throw new Error(`${exitedEarly} exited before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await sleep(250);
  }
}

export interface CannonTarget {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A fresh body per request (writes that must not collide). */
  body?: () => string;
}

export async function cannon(name: string, target: CannonTarget, seconds: number, connections: number): Promise<Measure> {
  const headers = { ...(target.headers ?? {}), ...(target.body ? { 'content-type': 'application/json' } : {}) };
  const makeBody = target.body;
  const r = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    pipelining: 1,
    headers,
    method: target.method ?? 'GET',
    ...(makeBody ? { requests: [{ method: target.method ?? 'POST', setupRequest: (req: any) => ({ ...req, body: makeBody() }) }] } : {}),
  });
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0) {
    const codes = Object.entries(r.statusCodeStats ?? {}).map(([k, v]: [string, any]) => `${k}:${v.count}`).join(' ');
    throw new InvalidRun(`${name}: non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts} (status codes ${codes})`);
  }
  return { name, rps: r.requests.average, p50: r.latency.p50, p95: r.latency.p97_5, p99: r.latency.p99, mean: r.latency.average, requests: r.requests.total };
}

export async function measureHttp(
  name: string,
  target: CannonTarget,
  opts: { warmupS: number; durationS: number; connections: number; serverPid?: number },
): Promise<Measure> {
  if (opts.warmupS > 0) await cannon(`${name} (warm-up)`, target, opts.warmupS, opts.connections);
  const cpu0 = processCpuUs(opts.serverPid);
  const m = await cannon(name, target, opts.durationS, opts.connections);
  const cpu1 = processCpuUs(opts.serverPid);
  if (cpu0 !== undefined && cpu1 !== undefined && m.requests > 0) m.cpuUsPerReq = Math.round((cpu1 - cpu0) / m.requests);
  log(`${name.padEnd(22)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  cpu ${m.cpuUsPerReq ?? '?'} µs/req  load ${load().join(' ')}`);
  return m;
}

export interface BenchDatabase {
  adminUrl: string;
  ownerUrl: string;
  appUrl: string;
  database: string;
  drop(): Promise<void>;
}

/** A fresh migrated database (DATABASE_URL is a superuser URL; unset: embedded PostgreSQL). */
export async function benchDatabase(prefix = 'jishi_bench'): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!adminUrl) {
    log('DATABASE_URL unset: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir: `.data/bench-pg-${process.pid}`, persistent: false });
    adminUrl = embedded.adminUrl;
  }
  const database = `${prefix}_${Date.now().toString(36)}`;
  // the test harness's role passwords, so a server the e2e suite already bootstrapped accepts them too
  const targets = await bootstrapDatabase(adminUrl, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
  await runMigrations(targets.ownerUrl);
  const admin = adminUrl;
  return {
    adminUrl: admin,
    ownerUrl: targets.ownerUrl,
    appUrl: targets.appUrl,
    database,
    drop: async () => {
      await dropDatabase(admin, database).catch((e) => console.error('drop database:', e));
      if (embedded) await embedded.stop();
    },
  };
}

/** The environment dist/src/main.js (and the Fastify prototype) run with in a bench. */
export function appEnv(db: Pick<BenchDatabase, 'appUrl' | 'ownerUrl'>, port: number, queuePrefix: string, poolSize: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    DATABASE_URL: db.appUrl,
    DATABASE_MIGRATION_URL: db.ownerUrl,
    DB_POOL_SIZE: String(poolSize),
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(48).toString('base64'),
    JWT_ACCESS_TTL_SECONDS: '3600',
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    STORAGE_DIR: `.data/bench-files-${process.pid}`,
    SWAGGER_ENABLED: 'false',
    METRICS_TOKEN: randomBytes(24).toString('hex'),
    // a bench measures throughput, not the per-user limit (600 a minute by default)
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  };
}

export async function login(base: string, identifier: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, password }),
  });
  if (res.status !== 200) throw new InvalidRun(`login: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}

export { freePort };

export function writeResult(kind: string, result: Record<string, unknown>): string {
  const dir = resolve(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const day = new Date().toISOString().slice(0, 10);
  let file = join(dir, `${kind}-${day}.json`);
  for (let i = 2; existsSync(file); i++) file = join(dir, `${kind}-${day}-${i}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/** The run's queue keys (under its own prefix) are removed afterwards. */
export async function cleanRedis(prefix: string): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url) return;
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
