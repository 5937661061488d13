/**
 * What a schema must look like to be distributed by tenant (docs/scaling.md, "Citus"): every
 * tenant table sharded by `tenant_id`, every shared table a reference table. Citus then
 * requires, and this module checks over the real catalog:
 *
 * - `primary-key`: a tenant table's primary key includes `tenant_id`;
 * - `unique`: every unique index of a tenant table includes `tenant_id` (the primary key's too);
 * - `exclusion`: every exclusion constraint of a tenant table includes `tenant_id`;
 * - `tenant-fk`: a foreign key between two tenant tables pairs `tenant_id` with `tenant_id`
 *   (both rows on the same shard);
 * - `shared-to-tenant-fk`: no foreign key from a shared (reference) table to a tenant table.
 *
 * A tenant table is one with a `tenant_id` column, except the control-plane tables named in
 * CONTROL_PLANE (they stay reference tables: the auth path reads them across tenants).
 *
 * Run `npm run report:distribution` (or this file through swc) against a migrated database to
 * print the findings as the Markdown table of docs/scaling.md; test/integration/
 * distribution-rules.int-spec.ts fails on any finding not listed there with its reason.
 */
import type { ClientBase } from 'pg';

export type DistributionRule = 'primary-key' | 'unique' | 'exclusion' | 'tenant-fk' | 'shared-to-tenant-fk';

export interface DistributionFinding {
  rule: DistributionRule;
  table: string;
  /** the index or constraint name */
  object: string;
  definition: string;
}

/** Tables with a tenant_id column that are not sharded by it: read by the auth path across tenants. */
export const CONTROL_PLANE: Record<string, string> = {
  memberships: 'control plane: login and every access check read a user’s memberships across tenants (province ones have no tenant); a reference table',
  invitations: 'control plane: an invitation is accepted by its token before any tenant is known; a reference table',
};

const TENANT_TABLES = `
  SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relname = ANY($2)
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`;

const HAS_TENANT = (keys: string, rel: string) =>
  `EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = ${rel} AND a.attname = 'tenant_id' AND a.attnum = ANY(${keys}))`;

const FINDINGS_SQL = `
  WITH t AS (${TENANT_TABLES})
  SELECT 'primary-key' AS rule, t.relname AS "table", COALESCE(ic.relname, '(no primary key)') AS object,
         COALESCE(pg_get_indexdef(i.indexrelid), '') AS definition
  FROM t LEFT JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary LEFT JOIN pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indexrelid IS NULL OR NOT ${HAS_TENANT('i.indkey', 't.oid')}
  UNION ALL
  SELECT 'unique', t.relname, ic.relname, pg_get_indexdef(i.indexrelid)
  FROM t JOIN pg_index i ON i.indrelid = t.oid AND i.indisunique AND NOT i.indisprimary JOIN pg_class ic ON ic.oid = i.indexrelid
  WHERE NOT ${HAS_TENANT('i.indkey', 't.oid')}
  UNION ALL
  SELECT 'exclusion', t.relname, k.conname, pg_get_constraintdef(k.oid)
  FROM t JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'x'
  WHERE NOT ${HAS_TENANT('k.conkey', 't.oid')}
  UNION ALL
  SELECT 'tenant-fk', t.relname, k.conname, pg_get_constraintdef(k.oid)
  FROM t JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f' JOIN t rt ON rt.oid = k.confrelid
  WHERE NOT EXISTS (
    SELECT 1 FROM generate_subscripts(k.conkey, 1) s
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[s]
    JOIN pg_attribute b ON b.attrelid = k.confrelid AND b.attnum = k.confkey[s]
    WHERE a.attname = 'tenant_id' AND b.attname = 'tenant_id')
  UNION ALL
  SELECT 'shared-to-tenant-fk', c.relname, k.conname, pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN t rt ON rt.oid = k.confrelid
  WHERE k.contype = 'f' AND n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM t WHERE t.oid = c.oid)
  ORDER BY 1, 2, 3`;

/** Every finding of the rules above in `schema`, in a stable order. */
export async function distributionFindings(db: ClientBase, schema = 'public'): Promise<DistributionFinding[]> {
  const r = await db.query(FINDINGS_SQL, [schema, Object.keys(CONTROL_PLANE)]);
  return r.rows as DistributionFinding[];
}

/** Tenant tables (sharded by tenant_id) and shared tables (reference tables), by name. */
export async function tableKinds(db: ClientBase, schema = 'public'): Promise<{ tenant: string[]; shared: string[] }> {
  const tenant = (await db.query(`SELECT relname FROM (${TENANT_TABLES}) t ORDER BY 1`, [schema, Object.keys(CONTROL_PLANE)])).rows.map((r) => r.relname);
  const all = (
    await db.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' ORDER BY 1`,
      [schema],
    )
  ).rows.map((r) => r.relname as string);
  return { tenant, shared: all.filter((t) => !tenant.includes(t)) };
}

async function main(): Promise<void> {
  const { Client } = await import('pg');
  const url = process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_MIGRATION_URL (or DATABASE_URL) to a migrated database');
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const kinds = await tableKinds(db);
    const findings = await distributionFindings(db);
    const out: string[] = [];
    out.push(`Tenant tables (distribute by tenant_id): ${kinds.tenant.length}`, '', kinds.tenant.map((t) => `\`${t}\``).join(', '), '');
    out.push(`Shared tables (reference tables): ${kinds.shared.length}`, '', kinds.shared.map((t) => `\`${t}\``).join(', '), '');
    out.push(`Findings: ${findings.length}`, '', '| rule | table | object | definition |', '|---|---|---|---|');
    for (const f of findings) out.push(`| ${f.rule} | ${f.table} | ${f.object} | \`${f.definition.replace(/\|/g, '\\|')}\` |`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
