export { HttpMetrics, UNMATCHED_ROUTE } from './http-metrics';
export { MetricsModule } from './metrics.module';
export { MetricsRegistry } from './metrics.registry';
export { QUEUE_DEPTH_READER, QueueDepthReader, QueueJobCounts } from './queue-depth';
export { MetricsListener } from './metrics-listener';
