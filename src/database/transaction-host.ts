import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import type { ReadReplicaOption, TenantPinningTypeOrmAdapter } from '../tenancy/tenant-pinning.adapter';

/** Inject this in repositories: `tx` is the current transaction's EntityManager. */
export type Tx = TransactionHost<TenantPinningTypeOrmAdapter>;
export { TransactionHost, Transactional } from '@nestjs-cls/transactional';

const READ_REPLICA: ReadReplicaOption = { readReplica: true };

/**
 * `@Transactional()` for reads that may be a little behind the primary (dashboards, reports):
 * a read-only transaction on a read replica when DATABASE_REPLICA_URLS is set, pinned to the
 * tenant there. Inside a transaction already open it joins that one (on the primary).
 */
export const OnReadReplica = (): MethodDecorator =>
  Transactional<TenantPinningTypeOrmAdapter>(READ_REPLICA as unknown as Parameters<typeof Transactional<TenantPinningTypeOrmAdapter>>[0]);
