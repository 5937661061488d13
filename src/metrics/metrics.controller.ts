import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { Public } from '../auth/decorators';
import { MetricsRegistry } from './metrics.registry';

/**
 * Prometheus scrape target, outside /api/v1. Public to the app (Prometheus carries no
 * JWT); in production keep it off the internet at the proxy or network (docs/operations.md).
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  @Public()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus 指标（HTTP 延迟直方图、进程指标、队列深度）；生产环境仅限内网抓取' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
