import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  validateSync,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { ISO_INSTANT, isRealInstant } from '../src/time/clock';

@ValidatorConstraint({ name: 'isRealInstant' })
class IsRealInstant implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isRealInstant(value);
  }
  defaultMessage(): string {
    return 'CLOCK_FIXED_NOW is not a real instant';
  }
}

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes'].includes(String(value).toLowerCase());
const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : String(value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/**
 * The one validated configuration of the process. Every variable is documented in
 * config/.env.example; a bad or missing one stops start-up with its name.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** Runtime connection: the unprivileged role (no BYPASSRLS, owns nothing). */
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Owner connection used only by migrations. Defaults to DATABASE_URL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  /**
   * Read replicas (comma-separated postgres:// URLs, same roles as DATABASE_URL). Set: TypeORM
   * replication, and dashboard and report reads go to a replica (docs/scaling.md); unset: one pool.
   */
  @Transform(toList)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { each: true, message: 'DATABASE_REPLICA_URLS must be postgres:// URLs, comma-separated' })
  DATABASE_REPLICA_URLS?: string[];

  /** Unset: BullMQ runs on the PostgreSQL backend (the embedded default). */
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  /**
   * Key prefix of every queue; lets several test runs share one Redis. A hash tag (`{jishi}`)
   * keeps every key of the queues in one Redis Cluster slot, as BullMQ requires there.
   */
  @IsString()
  @Matches(/^([a-z0-9_-]+|\{[a-z0-9_-]+\})$/i, { message: 'QUEUE_PREFIX is letters, digits, _ and -, optionally in braces ({jishi})' })
  QUEUE_PREFIX: string = 'jishi';

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @IsString()
  JWT_ISSUER: string = 'jishi';

  @IsString()
  JWT_AUDIENCE: string = 'jishi-api';

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  JWT_ACCESS_TTL_SECONDS: number = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  REFRESH_TTL_DAYS: number = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  INVITATION_TTL_DAYS: number = 7;

  /** 32 bytes, base64: encrypts ID numbers at rest (AES-256-GCM). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PII_ENCRYPTION_KEY must be 32 bytes in base64' })
  PII_ENCRYPTION_KEY: string;

  /** Keyed hash (blind index) for look-ups and uniqueness of ID numbers. */
  @IsString()
  @MinLength(32, { message: 'PII_HASH_KEY must be at least 32 characters' })
  PII_HASH_KEY: string;

  @Transform(toList)
  @IsOptional()
  @IsString({ each: true })
  CORS_ORIGINS?: string[];

  /**
   * The HTTP adapter under Nest (ADR 0007): `fastify` (the default since the whole suite and the
   * fault tests passed on it) or `express` (the fallback, kept for one release, then removed).
   */
  @IsIn(['express', 'fastify'])
  HTTP_ADAPTER: 'express' | 'fastify' = 'fastify';

  @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT looks like 1mb or 512kb' })
  BODY_LIMIT: string = '1mb';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES: number = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_LOCK_MINUTES: number = 15;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_IP_LIMIT_PER_MINUTE: number = 30;

  /** Requests per minute per signed-in user (else per client address) on every route without a limit of its own. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_RATE_LIMIT_PER_MINUTE: number = 600;

  /** Seconds an access check may serve cached membership/tenant state. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  AUTH_STATE_CACHE_SECONDS: number = 5;

  @Transform(toBool)
  @IsBoolean()
  SWAGGER_ENABLED: boolean = true;

  @IsString()
  STORAGE_DIR: string = '.data/files';

  /** Audit entries older than this are purged by the daily retention sweep (at least 180). */
  @Transform(toInt)
  @IsInt()
  @Min(180)
  AUDIT_RETENTION_DAYS: number = 1095;

  /** Largest accepted upload (bytes); larger answers 413. Default 20 MiB. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ATTACHMENT_MAX_BYTES: number = 20 * 1024 * 1024;

  /** Reveals of full ID/mobile numbers one user may make per hour; one more answers 429 (issue 9 item 6). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REVEAL_LIMIT_PER_HOUR: number = 30;

  /** More reveals than this within a minute are flagged in the audit log as an unusual burst (issue 9 item 6). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REVEAL_BURST_PER_MINUTE: number = 5;

  /** Uploads streamed at once per API process; one more answers 503 with Retry-After (issue 8 item 11). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  ATTACHMENT_MAX_IN_FLIGHT: number = 4;

  /** Where uploaded files live: local disk (STORAGE_DIR) or an S3-compatible bucket (S3_*). */
  @IsIn(['local', 's3'])
  STORAGE_DRIVER: string = 'local';

  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'S3_ENDPOINT must be an http(s):// URL' })
  S3_ENDPOINT?: string;

  @IsString()
  S3_REGION: string = 'us-east-1';

  @IsOptional()
  @IsString()
  S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** true: https://endpoint/bucket/key (MinIO and most S3-compatible stores); false: https://bucket.endpoint/key. */
  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE: boolean = true;

  /**
   * Freezes the clock at this instant (ISO 8601 with a zone, e.g. 2026-03-01T01:00:00+08:00):
   * "today" in code and in SQL (china_today()) follows it. Tests and demos only; unset in production.
   */
  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(ISO_INSTANT, { message: 'CLOCK_FIXED_NOW must be an ISO 8601 instant with a zone, e.g. 2026-03-01T01:00:00+08:00' })
  @Validate(IsRealInstant)
  CLOCK_FIXED_NOW?: string;

  /** Shifts the clock by this many milliseconds (negative: the past). Ignored when CLOCK_FIXED_NOW is set. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(-100 * 365 * 86_400_000)
  @Max(100 * 365 * 86_400_000)
  CLOCK_OFFSET_MS?: number;

  /** Longest a Redis command may take before the caller falls back or fails (ms); issue 8 item 13. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(10_000)
  REDIS_COMMAND_TIMEOUT_MS: number = 500;

  /** Password hashes computed at once per process (argon2id is CPU and memory heavy); issue 8 item 16. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  PASSWORD_HASH_CONCURRENCY: number = 2;

  /** Hashes that may wait for a slot; beyond that a login answers 503 with Retry-After at once. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  PASSWORD_HASH_QUEUE: number = 20;

  /** Whole-request timeout of the HTTP server (ms): a client that sends its body slower is cut off; issue 8 item 12. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  HTTP_REQUEST_TIMEOUT_MS: number = 120_000;

  /** Time a client has to send the request headers (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  HTTP_HEADERS_TIMEOUT_MS: number = 20_000;

  /** Roster imports: most data rows in one file; the parse stops and answers 413 as soon as it is passed (issue 8 item 10). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  IMPORT_MAX_ROWS: number = 20_000;

  /** Roster imports: most bytes an XLSX may inflate to (sum of its zip entries); more answers 413 before inflating. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  IMPORT_MAX_INFLATED_BYTES: number = 64 * 1024 * 1024;

  /** Roster imports: row errors reported (the first N, plus the total count). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  IMPORT_MAX_ERRORS: number = 200;

  /** Seconds a queued/running import may have no live job before the sweeper re-enqueues it (issue 8 item 14). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  JOB_SWEEP_SECONDS: number = 60;

  /**
   * Issue 9 item 9: /metrics is not for anonymous callers. With METRICS_PORT it is served
   * only on that port (a separate listener for the monitoring network; the API port
   * answers 404); with METRICS_TOKEN a scrape needs `Authorization: Bearer <token>`.
   * Production refuses to start with neither.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsString()
  @MinLength(24)
  METRICS_TOKEN?: string;

  /** Reminders (issue 13): an hours entry or work order waiting on the enterprise mentor more than this many days reminds the mentor. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  REMINDER_MENTOR_WAIT_DAYS: number = 3;

  /** Reminders: waiting more than this many days escalates to the enterprise admin (more than REMINDER_MENTOR_WAIT_DAYS). */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(90)
  REMINDER_ESCALATE_WAIT_DAYS: number = 7;

  /** Reminders: a signed agreement ending in this many days reminds the college and the enterprise admin. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REMINDER_AGREEMENT_EXPIRY_DAYS: number = 60;

  /** Reminders about a standing condition (1+1 pair, hours at risk, team) go out weekly on this ISO weekday (1 = Monday). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7)
  REMINDER_WEEKLY_ISO_DAY: number = 1;

  /** Outgoing e-mail (issue 13). No host: e-mail is off (notifications stay in the inbox; SMS still goes). */
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsString()
  SMTP_HOST?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  SMTP_PORT: number = 587;

  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  @Transform(toBool)
  @IsBoolean()
  SMTP_SECURE: boolean = false;

  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsString()
  SMTP_PASSWORD?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM: string = '技师学院试点管理平台 <noreply@jishi.local>';

  /** Where people open the links in e-mails (invitation, password reset): the web front end. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'APP_PUBLIC_URL must be an http(s) URL' })
  APP_PUBLIC_URL: string = 'http://localhost:3000';

  /** Minutes a password-reset link or SMS code stays valid. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(120)
  PASSWORD_RESET_TTL_MINUTES: number = 30;

  get migrationUrl(): string {
    return this.DATABASE_MIGRATION_URL ?? this.DATABASE_URL;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export class ConfigError extends Error {}

/** The env file: config/.env unless ENV_FILE names another. Tests never read one (their env is generated). */
export function envFileOptions(env: NodeJS.ProcessEnv = process.env): { envFilePath: string; ignoreEnvFile: boolean } {
  return {
    envFilePath: resolve(env.ENV_FILE ?? join('config', '.env')),
    ignoreEnvFile: env.NODE_ENV === 'test' || env.JEST_WORKER_ID !== undefined,
  };
}

/**
 * Loads the env file into process.env the way @nestjs/config does (dotenv; variables already
 * set win), for entry points that validate before Nest starts (main.ts, worker.ts, migrate).
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { envFilePath, ignoreEnvFile } = envFileOptions(env);
  if (ignoreEnvFile || !existsSync(envFilePath)) return undefined;
  const parsed = parseDotenv(readFileSync(envFilePath));
  for (const [key, value] of Object.entries(parsed)) if (!(key in env)) env[key] = value;
  return envFilePath;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) raw[key] = value;
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const why = Object.values(e.constraints ?? {}).join('; ');
      return `  ${e.property}: ${why}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (config.isProduction && !config.METRICS_PORT && !config.METRICS_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  METRICS_PORT or METRICS_TOKEN: set one (or both) in production, or /metrics would answer anyone');
  }
  return config;
}
