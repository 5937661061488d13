import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

export interface DatabaseOptionsInput {
  url: string;
  poolSize: number;
  applicationName?: string;
  /** Read replicas: with any, TypeORM replication (docs/scaling.md, "Read replicas"). */
  replicaUrls?: string[];
}

/** The application_name of replica connections unless a replica URL names its own. */
export const REPLICA_APPLICATION_SUFFIX = '-replica';

/** One place that builds TypeORM's options, for the app, the worker and the migrator. */
export function dataSourceOptions(input: DatabaseOptionsInput): DataSourceOptions {
  const applicationName = input.applicationName ?? 'jishi';
  const common = {
    type: 'postgres' as const,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const],
  };
  if (!input.replicaUrls?.length) {
    return {
      ...common,
      url: input.url,
      extra: { max: input.poolSize, application_name: applicationName, idleTimeoutMillis: 30_000 },
    };
  }
  // Per-pool application names (an `application_name` in a URL still wins): `extra` would
  // override both pools alike. `defaultMode: 'master'`: TypeORM sends a bare SELECT outside a
  // transaction to a replica by default; here only a transaction opened for the replica goes
  // there (OnReadReplica), so nothing reads its own write from a lagging copy by accident.
  return {
    ...common,
    replication: {
      master: { url: input.url, applicationName },
      slaves: input.replicaUrls.map((url) => ({ url, applicationName: `${applicationName}${REPLICA_APPLICATION_SUFFIX}` })),
      defaultMode: 'master',
    },
    extra: { max: input.poolSize, idleTimeoutMillis: 30_000 },
  };
}
