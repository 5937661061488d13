import { DataSource, EntityManager } from 'typeorm';

/** What a seed step gets: the owner connection, a tenant-pinning transaction helper and shared ids. */
export interface SeedContext {
  readonly ds: DataSource;
  log(message: string): void;
  /**
   * Runs `fn` in one transaction. Tenant tables are under FORCE RLS even for the owner, so
   * a step that writes them passes `tenantId`: `app.tenant_id` (and optionally `app.scope`,
   * `app.enterprise_id`) is set with `set_config(..., true)`, local to the transaction.
   * Control-plane tables (tenants, enterprises, users, memberships) need no tenant.
   */
  tx<T>(pin: TenantPin | null, fn: (m: EntityManager) => Promise<T>): Promise<T>;
  /** Natural key → id, filled by earlier steps for later ones. */
  readonly ids: {
    /** tenant code → tenants.id */
    tenants: Map<string, string>;
    /** USCC → enterprises.id */
    enterprises: Map<string, string>;
    /** login (email or phone) → users.id */
    users: Map<string, string>;
  };
  /** Steps add what they inserted; a re-run of an up-to-date database counts zero. */
  count(table: string, inserted: number): void;
}

export interface TenantPin {
  tenantId: string;
  scope?: 'college' | 'enterprise' | 'province';
  enterpriseId?: string;
}

/** One file per module area (`<area>.seed.ts`); every step is idempotent (upsert on natural keys). */
export interface SeedStep {
  name: string;
  run(ctx: SeedContext): Promise<void>;
}
