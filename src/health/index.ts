export { HealthModule } from './health.module';
export { QUEUE_PROBE, QueueProbe } from './queue-probe';
