import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { Public } from '../auth/decorators';
import { AppException } from '../errors/app.exception';
import { MetricsErrors } from './metrics.errors';
import { MetricsRegistry } from './metrics.registry';

/** Whether an Authorization header carries the metrics token (constant time). */
export function metricsTokenMatches(expected: string | undefined, authorization: string | undefined): boolean {
  if (!expected) return true;
  const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus scrape target, outside /api/v1. Prometheus carries no JWT, so the route is
 * @Public to the access guard and protected here (issue 9 item 9, docs/operations.md):
 * with METRICS_PORT it lives only on that separate listener (404 here); with
 * METRICS_TOKEN it needs `Authorization: Bearer <token>`.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus 指标（HTTP 延迟直方图、进程指标、队列深度）',
    description: '设置 METRICS_TOKEN 时须携带 Authorization: Bearer <令牌>；设置 METRICS_PORT 时只在该独立端口提供，本端口返回 404。',
  })
  @ApiHeader({ name: 'Authorization', required: false, description: 'Bearer <METRICS_TOKEN>（已配置令牌时必填）' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'METRICS.TOKEN_REQUIRED' })
  @ApiNotFoundResponse({ description: 'METRICS.NOT_FOUND（指标在独立端口提供）' })
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    if (this.config.METRICS_PORT) throw new AppException(MetricsErrors.NOT_FOUND);
    if (!metricsTokenMatches(this.config.METRICS_TOKEN, authorization)) throw new AppException(MetricsErrors.TOKEN_REQUIRED, {}, [], { 'WWW-Authenticate': 'Bearer' });
    return this.registry.metrics();
  }
}
