import { Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { MetricsListener } from './metrics-listener';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { QueueMetrics } from './queue-metrics';

/** GET /metrics; configureApp mounts HttpMetrics.middleware (ADR 0006). */
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, HttpMetrics, QueueMetrics, MetricsListener],
  exports: [HttpMetrics, MetricsRegistry, MetricsListener],
})
export class MetricsModule {}
