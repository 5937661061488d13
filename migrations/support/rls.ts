/**
 * SQL that turns a table into a tenant table (ARCHITECTURE §3): the tenant default, RLS
 * enabled and forced, the isolation policy, the province read policy and the runtime
 * role's grants. Every tenant table goes through this one function.
 */
export const CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";
export const IS_PROVINCE = "current_setting('app.scope', true) = 'province'";

export function tenantTableSql(
  table: string,
  grants: string = 'SELECT, INSERT, UPDATE, DELETE',
): string[] {
  return [
    `ALTER TABLE ${table} ALTER COLUMN tenant_id SET DEFAULT ${CURRENT_TENANT}`,
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant_isolation ON ${table} USING (tenant_id = ${CURRENT_TENANT}) WITH CHECK (tenant_id = ${CURRENT_TENANT})`,
    `CREATE POLICY ${table}_province_read ON ${table} FOR SELECT USING (${IS_PROVINCE})`,
    `GRANT ${grants} ON ${table} TO app_user`,
  ];
}

export function controlTableSql(table: string, grants: string = 'SELECT, INSERT, UPDATE, DELETE'): string[] {
  return [`GRANT ${grants} ON ${table} TO app_user`];
}
