import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { dataSourceOptions } from './data-source-options';

type ErrorEmitter = { on(event: 'error', listener: (error: Error) => void): unknown };
type PgPool = { on(event: 'connect', listener: (client: ErrorEmitter) => void): unknown; _clients?: ErrorEmitter[] };

/**
 * Every pooled connection gets an 'error' listener for its whole life. A connection the server
 * terminates (pg_terminate_backend, a failover) emits 'error'; between TypeORM's listener and
 * the pool's idle one there are moments with neither, and an unheard 'error' event throws out of
 * the socket handler and takes the process down. The request that used it still fails on its own
 * query (503); this only keeps the process up.
 */
export function keepPoolErrorsHeard(dataSource: DataSource): DataSource {
  const logger = new Logger('Database');
  const hear = (client: ErrorEmitter) => client.on('error', (error) => logger.warn(`a pooled connection failed: ${error.message}`));
  const driver = dataSource.driver as unknown as { master?: PgPool; slaves?: PgPool[] };
  for (const pool of [driver.master, ...(driver.slaves ?? [])]) {
    if (!pool || typeof pool.on !== 'function') continue;
    (pool._clients ?? []).forEach(hear);
    pool.on('connect', hear);
  }
  return dataSource;
}

/** TypeORM as the runtime role. Entities come from each module's forFeature (never a glob). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, replicaUrls: config.DATABASE_REPLICA_URLS }),
        migrations: [],
        autoLoadEntities: true,
      }),
      dataSourceFactory: async (options) => keepPoolErrorsHeard(await new DataSource(options!).initialize()),
    }),
  ],
})
export class DatabaseModule {}
