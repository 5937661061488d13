import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Client } from 'pg';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { createApp } from './app.factory';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrate';
import { APP_ROLE, bootstrapDatabase, OWNER_ROLE } from './database/roles';
import { DEMO_PASSWORD, demoLogins, seedDemo } from './database/seed/index';
import { queueReminderCheck } from '../modules/reminders';
import { QueueRegistry } from './queue';
import { currentClock } from './time/clock';
import { LoggingSmsSender } from '../modules/notifications';
import { DemoMailbox } from './demo-mailbox';
import { WorkerModule } from './worker.module';

/**
 * `npm run demo`: the whole product on a machine that has only Node (issue 2 item 11).
 *
 *   DATABASE_URL unset → embedded PostgreSQL 18 under .data/pg (port DEMO_PG_PORT, default 54329)
 *   REDIS_URL unset    → BullMQ on the PostgreSQL backend (src/queue/queue-backend.ts)
 *
 * Then: migrate, seed the demo province (idempotent), start the API and, in the same
 * process, the worker, and print the URLs and demo logins. Ctrl-C stops all of it.
 * Secrets are generated once into .data/demo-secrets.json (git-ignored) so tokens and
 * encrypted fields survive restarts.
 */

const DATA_DIR = resolve('.data');
const SECRETS_FILE = resolve(DATA_DIR, 'demo-secrets.json');
const DATABASE_NAME = 'jishi';
const DEFAULT_PG_PORT = 54329;

interface DemoSecrets {
  JWT_SECRET: string;
  PII_ENCRYPTION_KEY: string;
  PII_HASH_KEY: string;
  DB_OWNER_PASSWORD: string;
  DB_APP_PASSWORD: string;
}

const log = (line: string) => console.log(`[demo] ${line}`);

/** Reads .data/demo-secrets.json, adding any value it lacks (first run: all of them). */
function loadOrCreateSecrets(): DemoSecrets {
  mkdirSync(DATA_DIR, { recursive: true });
  const stored: Partial<DemoSecrets> = existsSync(SECRETS_FILE) ? JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) : {};
  const fresh: DemoSecrets = {
    JWT_SECRET: stored.JWT_SECRET ?? randomBytes(48).toString('base64'),
    PII_ENCRYPTION_KEY: stored.PII_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
    PII_HASH_KEY: stored.PII_HASH_KEY ?? randomBytes(32).toString('base64'),
    DB_OWNER_PASSWORD: stored.DB_OWNER_PASSWORD ?? randomBytes(18).toString('base64url'),
    DB_APP_PASSWORD: stored.DB_APP_PASSWORD ?? randomBytes(18).toString('base64url'),
  };
  if (JSON.stringify(fresh) !== JSON.stringify(stored)) {
    writeFileSync(SECRETS_FILE, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600 });
    log(`secrets written to ${SECRETS_FILE} (never commit it)`);
  }
  return fresh;
}

async function canConnect(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    await c.end().catch(() => undefined);
    return false;
  }
}

/**
 * Starts (or, after a crash left it running, reuses) the embedded server on a fixed port,
 * so .data/pg keeps its data and URLs stay the same between runs.
 */
async function startDemoPostgres(): Promise<{ adminUrl: string; handle: EmbeddedPostgresHandle | null }> {
  const port = process.env.DEMO_PG_PORT ? Number(process.env.DEMO_PG_PORT) : DEFAULT_PG_PORT;
  const fresh = !existsSync(resolve(DATA_DIR, 'pg', 'PG_VERSION'));
  log(fresh ? `initialising embedded PostgreSQL in .data/pg (first run, ~10 s)…` : `starting embedded PostgreSQL from .data/pg…`);
  try {
    const handle = await startEmbeddedPostgres({ dataDir: resolve(DATA_DIR, 'pg'), persistent: true, port, ownProcessGroup: true });
    return { adminUrl: handle.adminUrl, handle };
  } catch (error) {
    const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    if (await canConnect(adminUrl)) {
      log(`embedded PostgreSQL is already running on port ${port} (an earlier demo?); reusing it`);
      return { adminUrl, handle: adoptOrphanedPostgres() };
    }
    throw new Error(
      `could not start embedded PostgreSQL on port ${port}: ${(error as Error)?.message ?? 'it exited during start-up'}. ` +
        `Is the port taken? Set DEMO_PG_PORT, or remove .data/pg to start from scratch.`,
    );
  }
}

/**
 * A demo killed with SIGKILL leaves its postgres running; the next demo adopts it and
 * stops it on exit like its own: SIGINT (fast shutdown) to the pid in .data/pg/postmaster.pid.
 */
function adoptOrphanedPostgres(): EmbeddedPostgresHandle | null {
  const pidFile = resolve(DATA_DIR, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pidLine, dirLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || resolve(dirLine ?? '') !== resolve(DATA_DIR, 'pg')) return null;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    adminUrl: '',
    async stop() {
      if (!alive()) return;
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
}

/** The same roles and database as production (ADR 0002): the app connects as app_user, never as owner. */
async function prepareEmbeddedDatabase(adminUrl: string, secrets: DemoSecrets): Promise<void> {
  const targets = await bootstrapDatabase(adminUrl, DATABASE_NAME, { owner: secrets.DB_OWNER_PASSWORD, app: secrets.DB_APP_PASSWORD });
  // bootstrapDatabase keeps the password of an existing role; re-assert ours in case
  // demo-secrets.json was deleted while .data/pg was kept.
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER ROLE ${OWNER_ROLE} PASSWORD '${secrets.DB_OWNER_PASSWORD.replace(/'/g, "''")}'`);
    await admin.query(`ALTER ROLE ${APP_ROLE} PASSWORD '${secrets.DB_APP_PASSWORD.replace(/'/g, "''")}'`);
  } finally {
    await admin.end();
  }
  process.env.DATABASE_URL = targets.appUrl;
  process.env.DATABASE_MIGRATION_URL = targets.ownerUrl;
}

/** DATABASE_URL given: bootstrap through DEMO_DATABASE_ADMIN_URL if set, else assume the roles exist. */
async function prepareExternalDatabase(secrets: DemoSecrets): Promise<void> {
  const adminUrl = process.env.DEMO_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    log('DATABASE_URL is set: using it as is (roles and database must exist; see docs/adr/0002-tenancy-rls.md)');
    return;
  }
  const appUrl = new URL(process.env.DATABASE_URL!);
  const database = appUrl.pathname.replace(/^\//, '') || DATABASE_NAME;
  const ownerPassword = process.env.DATABASE_MIGRATION_URL
    ? decodeURIComponent(new URL(process.env.DATABASE_MIGRATION_URL).password)
    : secrets.DB_OWNER_PASSWORD;
  const targets = await bootstrapDatabase(adminUrl, database, {
    owner: ownerPassword || secrets.DB_OWNER_PASSWORD,
    app: decodeURIComponent(appUrl.password) || secrets.DB_APP_PASSWORD,
  });
  process.env.DATABASE_MIGRATION_URL ??= targets.ownerUrl;
  log(`bootstrapped roles ${OWNER_ROLE}/${APP_ROLE} and database "${database}" via DEMO_DATABASE_ADMIN_URL`);
}

/** The worker half of the product (src/worker.ts), run in this process: jobs, schedules, outbox relay. */
async function startDemoWorker(): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  worker.useLogger(worker.get(Logger));
  return worker;
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (text: string, n: number) => text + ' '.repeat(Math.max(0, n - width(text)));

function banner(config: AppConfig, queueBackend: string, mailbox: DemoMailbox | null): string {
  const base = `http://localhost:${config.PORT}`;
  const rows = demoLogins().map((l) => [l.role, l.organisation, l.displayName, l.login]);
  const head = ['角色 role', '单位 organisation', '姓名 name', '登录名 login'];
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => pad(c, widths[i])).join('  ');
  return [
    '',
    '════════════════════════════════════════════════════════════════════════',
    '  学制技师 Jishi 演示环境已启动 · demo is running',
    '════════════════════════════════════════════════════════════════════════',
    `  API                 ${base}/api/v1`,
    `  接口文档 API docs    ${base}/api/docs   (OpenAPI JSON: ${base}/api/docs-json)`,
    `  队列面板 queues      ${base}/admin/queues   (province-admin token)`,
    `  健康检查 health      ${base}/health/live   ${base}/health/ready`,
    `  数据库 database      ${redactUrl(config.DATABASE_URL)}`,
    `  队列后端 queues on   ${queueBackend}`,
    mailbox
      ? `  演示邮箱 mailbox     http://localhost:${mailbox.httpPort}/   (SMTP catcher on 127.0.0.1:${mailbox.smtpPort}: invitations, password resets, notifications, SMS)`
      : `  邮件 e-mail         SMTP ${config.SMTP_HOST ?? '(off)'}`,
    '',
    `  演示账号 demo logins — 统一密码 password: ${DEMO_PASSWORD}`,
    line(head),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    '',
    `  登录 login:  curl -s -X POST ${base}/api/v1/auth/login -H 'Content-Type: application/json' \\`,
    `                 -d '{"identifier":"admin@province.demo","password":"${DEMO_PASSWORD}"}'`,
    '',
    '  按 Ctrl-C 停止 · press Ctrl-C to stop (data stays in .data/pg)',
    '════════════════════════════════════════════════════════════════════════',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const secrets = loadOrCreateSecrets();
  process.env.JWT_SECRET ??= secrets.JWT_SECRET;
  process.env.PII_ENCRYPTION_KEY ??= secrets.PII_ENCRYPTION_KEY;
  process.env.PII_HASH_KEY ??= secrets.PII_HASH_KEY;
  process.env.NODE_ENV ??= 'development';
  // A readable console: the banner is the point. LOG_LEVEL=info shows every request.
  process.env.LOG_LEVEL ??= 'warn';

  let pg: EmbeddedPostgresHandle | null = null;
  let api: INestApplication | null = null;
  let worker: INestApplicationContext | null = null;
  let mailbox: DemoMailbox | null = null;
  let stopping = false;

  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping…`);
    const step = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (error) {
        console.error(`[demo] stopping ${name} failed:`, (error as Error)?.message ?? error);
      }
    };
    if (worker) await step('worker', () => worker!.close());
    if (api) await step('API', () => api!.close());
    if (mailbox) await step('mailbox', () => mailbox!.stop());
    if (pg) await step('PostgreSQL', () => pg!.stop());
    log('stopped');
    process.exit(code);
  };

  try {
    if (!process.env.DATABASE_URL) {
      const started = await startDemoPostgres();
      pg = started.handle;
      await prepareEmbeddedDatabase(started.adminUrl, secrets);
    } else {
      await prepareExternalDatabase(secrets);
    }

    // No SMTP server configured: catch the demo's mail locally (issue 13), readable at a URL.
    if (!process.env.SMTP_HOST) {
      mailbox = new DemoMailbox(() => LoggingSmsSender.sentMessages());
      await mailbox.start(Number(process.env.DEMO_SMTP_PORT ?? 2525), Number(process.env.DEMO_MAILBOX_PORT ?? 8025));
      process.env.SMTP_HOST = '127.0.0.1';
      process.env.SMTP_PORT = String(mailbox.smtpPort);
      process.env.SMTP_SECURE = 'false';
      log(`mail catcher: SMTP 127.0.0.1:${mailbox.smtpPort}, mailbox http://localhost:${mailbox.httpPort}/`);
    }

    let config: AppConfig;
    try {
      config = loadConfig();
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(error.message);
        return void (await shutdown('invalid configuration', 78));
      }
      throw error;
    }

    const applied = await runMigrations(config.migrationUrl);
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema is up to date');
    const report = await seedDemo(config.migrationUrl);
    log(report.total ? `demo data seeded: ${JSON.stringify(report.inserted)}` : 'demo data already present; nothing to seed');

    api = await createApp();
    await api.listen(config.PORT, '0.0.0.0');
    worker = await startDemoWorker();
    // Issue 13: today's reminder check now, so the seeded reminders arrive on the first start (idempotent per day).
    await queueReminderCheck(worker.get(QueueRegistry), currentClock().today());

    // One orderly shutdown instead of three racing ones (Nest's hooks in two contexts and
    // embedded-postgres' exit hook): worker drains, API closes, then PostgreSQL stops.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void shutdown(signal));
    }

    console.log(banner(config, config.REDIS_URL ? `Redis ${redactUrl(config.REDIS_URL)}` : 'PostgreSQL (schema bullmq; set REDIS_URL for Redis)', mailbox));
  } catch (error) {
    console.error('[demo] start-up failed:', error);
    await shutdown('start-up failed', 1);
  }
}

void main();
