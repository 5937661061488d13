import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { currentClock } from '../time/clock';
import { currentDbSettings } from './tenant-context';

/** Tenant, scope, enterprise, user and the injected clock (read by SQL's china_today()), in one round trip. */
export const PIN_SQL =
  "SELECT set_config('app.tenant_id', $1, true), set_config('app.scope', $2, true), set_config('app.enterprise_id', $3, true), set_config('app.now', $4, true), set_config('app.user_id', $5, true)";

/** Pins the transaction to the current tenant, scope and enterprise: transaction-local, never session-level. */
export async function pinTransaction(manager: EntityManager): Promise<void> {
  await manager.query(PIN_SQL, pinParams());
}

/** The parameters of PIN_SQL, in its order: one place, so the replica pin cannot drift from it. */
function pinParams(): unknown[] {
  const s = currentDbSettings();
  return [s.tenantId, s.scope, s.enterpriseId, currentClock().sqlNow(), s.userId];
}

/** The transaction option `OnReadReplica` (src/database/transaction-host.ts) passes to this adapter. */
export interface ReadReplicaOption {
  readReplica: true;
}

/** Also read-only, so a write that strays into a replica transaction fails on a primary too. */
const PIN_READ_ONLY_SQL = `${PIN_SQL}, set_config('transaction_read_only', 'on', true)`;

/**
 * A read-only transaction on a replica connection (TypeORM replication's 'slave' pool; the
 * primary's pool when no replica is configured), pinned to the tenant like any other: the
 * setting is transaction-local, so it is set on that connection, inside that transaction.
 */
async function onReadReplica<T>(dataSource: DataSource, fn: (trx: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('slave');
  try {
    await runner.connect();
    await runner.startTransaction();
    await runner.manager.query(PIN_READ_ONLY_SQL, pinParams());
    const result = await fn(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * The stock TypeORM adapter, plus one statement at the start of every transaction that
 * pins it to the current tenant. A query outside a transaction carries no tenant and the
 * RLS policies show it nothing: the wall fails closed.
 */
export class TenantPinningTypeOrmAdapter extends TransactionalAdapterTypeOrm {
  constructor(options: { dataSourceToken: unknown }) {
    super(options as ConstructorParameters<typeof TransactionalAdapterTypeOrm>[0]);
    this.optionsFactory = (dataSource: DataSource) => ({
      wrapWithTransaction: async (options, fn, setClient) =>
        (options as Partial<ReadReplicaOption>)?.readReplica
          ? onReadReplica(dataSource, async (trx) => {
              setClient(trx);
              return fn();
            })
          : // no isolation level unless asked: READ COMMITTED is PostgreSQL's default, and SET TRANSACTION costs a round trip
            dataSource.transaction(options?.isolationLevel as IsolationLevel, async (trx) => {
              await pinTransaction(trx);
              setClient(trx);
              return fn();
            }),
      wrapWithNestedTransaction: async (options, fn, setClient, client) =>
        client.transaction(options?.isolationLevel as IsolationLevel, async (trx) => {
          setClient(trx);
          return fn();
        }),
      getFallbackInstance: () => dataSource.manager,
    });
  }
}
