import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

export interface DatabaseOptionsInput {
  url: string;
  poolSize: number;
  applicationName?: string;
}

/** One place that builds TypeORM's options, for the app, the worker and the migrator. */
export function dataSourceOptions(input: DatabaseOptionsInput): DataSourceOptions {
  return {
    type: 'postgres',
    url: input.url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: {
      max: input.poolSize,
      application_name: input.applicationName ?? 'jishi',
      idleTimeoutMillis: 30_000,
    },
  };
}
