import { TransactionHost } from '@nestjs-cls/transactional';
import type { TenantPinningTypeOrmAdapter } from '../tenancy/tenant-pinning.adapter';

/** Inject this in repositories: `tx` is the current transaction's EntityManager. */
export type Tx = TransactionHost<TenantPinningTypeOrmAdapter>;
export { TransactionHost, Transactional } from '@nestjs-cls/transactional';
