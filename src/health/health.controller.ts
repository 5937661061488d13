import { Controller, Get, Header, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { AppException, FieldError } from '../errors/app.exception';
import { REDIS, RedisClient } from '../redis/redis.module';
import { HealthErrors } from './health.errors';
import { QUEUE_PROBE, QueueProbe } from './queue-probe';

/** Well under a probe's usual 1–5 s timeout, so a hung dependency reads as down, not as a hung probe. */
const CHECK_TIMEOUT_MS = 1500;
/** Probes from several load balancers within a second share one round trip to each dependency. */
const CHECK_CACHE_MS = 1000;

/**
 * Liveness and readiness, outside /api/v1 (UNPREFIXED in app.factory.ts). Public: an
 * orchestrator carries no token; they reveal only up/down per dependency, never errors.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeorm: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Optional() @Inject(QUEUE_PROBE) private readonly queueProbe?: QueueProbe,
  ) {}

  @Get('live')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '存活探针：进程在运行（不访问数据库或 Redis）' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live(): { status: 'ok' } {
    // No I/O on purpose: a database outage must not make the orchestrator restart healthy processes.
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '就绪探针：PostgreSQL 与队列后端（Redis 或 PostgreSQL）均可用' })
  @ApiOkResponse({
    description: '所有依赖可用（@nestjs/terminus 的检查结果）',
    schema: {
      type: 'object',
      required: ['status', 'info', 'error', 'details'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object', additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] }, backend: { type: 'string', enum: ['redis', 'postgres'] } } }, maxProperties: 10 },
        error: { type: 'object', additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] }, backend: { type: 'string', enum: ['redis', 'postgres'] } } }, maxProperties: 10 },
        details: { type: 'object', additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] }, backend: { type: 'string', enum: ['redis', 'postgres'] } } }, maxProperties: 10 },
      },
      example: { status: 'ok', info: { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } }, error: {}, details: { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } } },
    },
  })
  @ApiServiceUnavailableResponse({ description: '某个依赖不可用（HEALTH.NOT_READY，errors[] 列出不可用的依赖）' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.typeorm.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS).cacheFor(CHECK_CACHE_MS),
        () => this.queueCheck(),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) throw notReady(error.getResponse() as HealthCheckResult);
      throw error;
    }
  }

  /** The queue backend: src/queue's own probe when bound, else Redis PING, else the database it lives in. */
  private queueCheck() {
    const backend = this.redis ? 'redis' : 'postgres';
    return this.indicators
      .check('queue')
      .attempt(async () => {
        if (this.queueProbe) await this.queueProbe.ping();
        else if (this.redis) await this.redis.ping();
        else await this.dataSource.query('SELECT 1');
        return { backend };
      })
      .withTimeout(CHECK_TIMEOUT_MS)
      .cacheFor(CHECK_CACHE_MS);
  }
}

/** 503 as problem+json naming the failed dependencies; their error messages (hosts, SQL) stay in the log. */
function notReady(result: HealthCheckResult | undefined): AppException {
  const down = Object.keys(result?.error ?? {});
  const fieldErrors: FieldError[] = down.map((field) => ({ field, constraint: 'down', zh: '不可用', en: 'is unavailable' }));
  return new AppException(HealthErrors.NOT_READY, {}, fieldErrors, { 'Retry-After': '5' });
}
