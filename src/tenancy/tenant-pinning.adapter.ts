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
  const s = currentDbSettings();
  await manager.query(PIN_SQL, [s.tenantId, s.scope, s.enterpriseId, currentClock().sqlNow(), s.userId]);
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
        // no isolation level unless asked: READ COMMITTED is PostgreSQL's default, and SET TRANSACTION costs a round trip
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
