export * from './redis.module';
export * from './counter-store';
