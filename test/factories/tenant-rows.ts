import { randomBytes, randomUUID } from 'node:crypto';
import type { Client, PoolClient } from 'pg';

/**
 * Builds one valid row for any tenant table, read from the PostgreSQL catalog, so the
 * isolation test (QUALITY §1) covers every tenant table without being edited per module.
 *
 * Generic rule: every NOT NULL column without a default gets a value by type; a column
 * with a single-column CHECK listing literals (`IN ('a','b')`) gets the first literal; a
 * NOT NULL foreign key gets a parent row (another tenant table: built the same way, in the
 * same tenant transaction; `tenants`: the row's own college; `users` / `enterprises` /
 * `memberships`: a fixture written by the owner; any other table: an existing row).
 *
 * When a table needs more (multi-column CHECKs, triggers, formats), add an entry to
 * ROW_OVERRIDES: its values win over the generic ones.
 */

export interface ColumnInfo {
  name: string;
  dataType: string;
  udtName: string;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
  maxLength: number | null;
}

export interface ForeignKeyInfo {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  /** column → literals allowed by a single-column CHECK constraint */
  checkLiterals: Map<string, string[]>;
  /** the runtime role may UPDATE / DELETE (false for append-only tables such as audit_log) */
  canUpdate: boolean;
  canDelete: boolean;
}

export interface RowContext {
  /** the college the row belongs to */
  tenantId: string;
  /** a runtime-role (app_user) transaction pinned to that college */
  tx: PoolClient;
  /** the owner connection, for control-plane fixtures only */
  owner: Client;
  tables: Map<string, TableInfo>;
}

export type RowOverride = (ctx: RowContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

/**
 * Per-table values for tables the generic builder cannot fill on its own.
 * A new tenant table whose insert fails makes the isolation test fail until it gets one here.
 */
export const ROW_OVERRIDES: Record<string, RowOverride> = {
  audit_log: () => ({ entity: 'isolation-probe', action: 'probe', entity_id: randomUUID(), after: JSON.stringify({ probe: true }) }),
  training_plans: () => ({ class_size: 30 }),
  // the minutes of training_plan_decisions point at an attachment: its sha256 has a hex CHECK
  attachments: () => ({ sha256: randomBytes(32).toString('hex') }),
  // cohorts: stage shorter than the duration, a non-flexible track (flexible needs a justification)
  cohorts: () => ({ track_code: 'senior-high', intake_year: 2025, duration_months: 48, senior_worker_stage_months: 24 }),
  applicants: () => ({ id_number_hash: randomBytes(32) }),
  students: () => ({ id_number_hash: randomBytes(32) }),
  streaming_decisions: () => ({ reason: 'isolation probe' }),
  // practice / work orders / projects (issue 5): scores 0–100; an event's order is built on its own (the FK chain is deep)
  project_panel_members: () => ({ score: 80 }),
  work_order_events: async (ctx) => ({ work_order_id: (await insertRow(ctx, 'work_orders')).id }),
  // pilots (issue 12): applications point at a province-owned notice, objections at a province-owned batch
  pilot_applications: async (ctx) => ({ notice_id: await provinceRow(ctx, 'pilot_notices') }),
  pilot_objections: async (ctx) => ({
    application_programme_id: (await insertRow(ctx, 'pilot_application_programmes')).id,
    batch_id: await provinceRow(ctx, 'pilot_publicity_batches'),
  }),
  pilot_reviews: () => ({ scores: JSON.stringify({ 'industry-fit': 80 }) }),
  pilot_evaluations: () => ({ conclusion: null }),
  // graduate tracking (issue 11 B): a follow-up checkpoint is 0–120 months after graduation
  graduate_follow_ups: () => ({ checkpoint_months: 6 }),
  // assessments (issue 11 A): a scored course sheet; a result points at its sheet through (sheet, cohort, kind)
  assessment_sheets: () => ({ kind: 'course', scoring: 'score', pass_mark: 60, stage_index: null, status: 'draft', submitted_at: null, reopened_at: null, reopened_by: null, reopen_reason: null }),
  assessment_results: async (ctx) => {
    const sheet = await insertRow(ctx, 'assessment_sheets');
    return { sheet_id: sheet.id, cohort_id: sheet.cohort_id, kind: sheet.kind, version_no: 1, is_current: true, status: 'draft', score: 80, passed: true, judged_technician: null, correction_reason: null, submitted_at: null, submitted_by: null, entered_side: 'college', enterprise_id: null, assessor: 'isolation probe' };
  },
  pilot_experience_reports: () => ({ year: 2026 }),
  // reports (issue 13): a queued KPI report about its own college
  reports: (ctx) => ({ kind: 'kpi', level: 'college', college_id: ctx.tenantId, subject_id: ctx.tenantId, evaluation_kind: null, format: 'pdf', status: 'queued', progress: 0, storage_key: null, size_bytes: null, sha256: null, finished_at: null, schedule_key: null }),
};

/** A row of a province-owned table (RLS: only province scope writes it), written by the owner. */
async function provinceRow(ctx: RowContext, table: 'pilot_notices' | 'pilot_publicity_batches'): Promise<string> {
  const sql =
    table === 'pilot_notices'
      ? `INSERT INTO pilot_notices (year, title, requirements, materials, review_criteria, deadline) VALUES (2026, '隔离测试通知', '要求', '[]', '[]', '2026-06-30') RETURNING id`
      : `INSERT INTO pilot_publicity_batches (title, published_on, computed_ends_on, ends_on, provisional) VALUES ('隔离测试公示', '2026-06-01', '2026-06-08', '2026-06-08', false) RETURNING id`;
  await ctx.owner.query('BEGIN');
  try {
    await ctx.owner.query("SELECT set_config('app.scope', 'province', true)");
    const r = await ctx.owner.query(sql);
    await ctx.owner.query('COMMIT');
    return r.rows[0].id;
  } catch (e) {
    await ctx.owner.query('ROLLBACK');
    throw e;
  }
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** Reads the shape of the given tables from the catalog. */
export async function describeTables(owner: Client, names: string[]): Promise<Map<string, TableInfo>> {
  const out = new Map<string, TableInfo>();
  for (const name of names) {
    const cols = await owner.query(
      `SELECT column_name, data_type, udt_name, is_nullable = 'NO' AS not_null,
              column_default IS NOT NULL OR is_identity = 'YES' AS has_default,
              is_generated = 'ALWAYS' OR identity_generation = 'ALWAYS' AS generated,
              character_maximum_length
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [name],
    );
    const pk = await owner.query(
      `SELECT a.attname FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.ord`,
      [`public.${q(name)}`],
    );
    const fks = await owner.query(
      `SELECT rc.relname AS ref_table,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
              array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS ref_columns
       FROM pg_constraint c JOIN pg_class rc ON rc.oid = c.confrelid
       WHERE c.conrelid = $1::regclass AND c.contype = 'f'`,
      [`public.${q(name)}`],
    );
    const checks = await owner.query(
      `SELECT a.attname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND array_length(c.conkey, 1) = 1`,
      [`public.${q(name)}`],
    );
    const grants = await owner.query(
      `SELECT has_table_privilege('app_user', $1, 'UPDATE') AS upd, has_table_privilege('app_user', $1, 'DELETE') AS del`,
      [`public.${q(name)}`],
    );
    const checkLiterals = new Map<string, string[]>();
    for (const c of checks.rows) {
      const literals = [...String(c.def).matchAll(/'((?:[^']|'')*)'::/g)].map((m) => m[1].replace(/''/g, "'"));
      if (literals.length) checkLiterals.set(c.attname, literals);
    }
    out.set(name, {
      name,
      columns: cols.rows.map((c) => ({
        name: c.column_name,
        dataType: c.data_type,
        udtName: c.udt_name,
        notNull: c.not_null,
        hasDefault: c.has_default,
        generated: c.generated,
        maxLength: c.character_maximum_length,
      })),
      primaryKey: pk.rows.map((r) => r.attname),
      foreignKeys: fks.rows.map((r) => ({ columns: r.columns, refTable: r.ref_table, refColumns: r.ref_columns })),
      checkLiterals,
      canUpdate: grants.rows[0].upd,
      canDelete: grants.rows[0].del,
    });
  }
  return out;
}

/** A value of the column's type; random where a unique index might apply. */
export async function valueFor(col: ColumnInfo, owner: Client): Promise<unknown> {
  const text = (s: string) => (col.maxLength ? s.slice(0, col.maxLength) : s);
  switch (col.dataType) {
    case 'uuid':
      return randomUUID();
    case 'text':
    case 'character varying':
    case 'character':
      return text(`t${randomBytes(8).toString('hex')}`);
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 1 + Math.floor(Math.random() * 30000);
    case 'numeric':
    case 'real':
    case 'double precision':
      return '1';
    case 'boolean':
      return true;
    case 'date':
      return '2026-09-01';
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return new Date().toISOString();
    case 'time without time zone':
      return '08:30:00';
    case 'interval':
      return '1 hour';
    case 'json':
    case 'jsonb':
      return '{}';
    case 'bytea':
      return randomBytes(16);
    case 'inet':
      return '127.0.0.1';
    case 'ARRAY':
      return '{}';
    case 'USER-DEFINED': {
      const e = await owner.query(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder LIMIT 1`,
        [col.udtName],
      );
      if (e.rows[0]) return e.rows[0].enumlabel;
      throw new Error(`no generic value for column ${col.name} of type ${col.udtName}`);
    }
    default:
      throw new Error(`no generic value for column ${col.name} of type ${col.dataType}`);
  }
}

const controlPlaneCache = new Map<string, Record<string, unknown>>();

/** A parent row for a foreign key into a table that is not a tenant table. */
async function controlPlaneParent(ctx: RowContext, table: string): Promise<Record<string, unknown>> {
  const key = `${table}:${ctx.tenantId}`;
  const cached = controlPlaneCache.get(key);
  if (cached) return cached;
  const tag = randomBytes(4).toString('hex');
  let row: Record<string, unknown>;
  if (table === 'tenants') {
    row = (await ctx.owner.query('SELECT * FROM tenants WHERE id = $1', [ctx.tenantId])).rows[0];
  } else if (table === 'users') {
    row = (
      await ctx.owner.query(`INSERT INTO users (email, display_name) VALUES ($1, '隔离测试用户') RETURNING *`, [`iso.${tag}@test.demo`])
    ).rows[0];
  } else if (table === 'enterprises') {
    row = (
      await ctx.owner.query(`INSERT INTO enterprises (uscc, name) VALUES ($1, $2) RETURNING *`, [
        `91440${randomBytes(7).toString('hex').toUpperCase()}`.slice(0, 18),
        `隔离测试企业${tag}`,
      ])
    ).rows[0];
  } else if (table === 'memberships') {
    const user = await controlPlaneParent(ctx, 'users');
    row = (
      await ctx.owner.query(
        `INSERT INTO memberships (user_id, scope, tenant_id, role) VALUES ($1, 'college', $2, 'college-staff') RETURNING *`,
        [user.id, ctx.tenantId],
      )
    ).rows[0];
  } else {
    row = (await ctx.owner.query(`SELECT * FROM ${q(table)} LIMIT 1`)).rows[0];
    if (!row) throw new Error(`foreign key into ${table}, which has no row to point at`);
  }
  controlPlaneCache.set(key, row);
  return row;
}

/** The values of one new row of `table` for ctx.tenantId (tenant_id itself is left to the column default). */
export async function buildRow(ctx: RowContext, table: string, depth = 0): Promise<Record<string, unknown>> {
  if (depth > 5) throw new Error(`foreign keys nest too deep at ${table}`);
  const info = ctx.tables.get(table);
  if (!info) throw new Error(`unknown tenant table ${table}`);
  const override = ROW_OVERRIDES[table] ? await ROW_OVERRIDES[table](ctx) : {};
  const values: Record<string, unknown> = { ...override };
  const needed = (c: ColumnInfo) => c.notNull && !c.hasDefault && !c.generated && c.name !== 'tenant_id' && !(c.name in values);

  for (const fk of info.foreignKeys) {
    const cols = info.columns.filter((c) => fk.columns.includes(c.name));
    if (!cols.some(needed)) continue;
    const parent = ctx.tables.has(fk.refTable)
      ? await insertRow(ctx, fk.refTable, depth + 1)
      : await controlPlaneParent(ctx, fk.refTable);
    fk.columns.forEach((c, i) => {
      if (c !== 'tenant_id' && !(c in values)) values[c] = parent[fk.refColumns[i]];
    });
  }
  for (const col of info.columns) {
    if (!needed(col)) continue;
    const literals = info.checkLiterals.get(col.name);
    values[col.name] = literals?.length ? literals[0] : await valueFor(col, ctx.owner);
  }
  return values;
}

export function insertSql(table: string, values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const cols = Object.keys(values);
  if (!cols.length) return { sql: `INSERT INTO ${q(table)} DEFAULT VALUES RETURNING *`, params: [] };
  return {
    sql: `INSERT INTO ${q(table)} (${cols.map(q).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    params: cols.map((c) => values[c]),
  };
}

/** Builds and inserts one row through ctx.tx (the runtime role, pinned to ctx.tenantId); returns it as stored. */
export async function insertRow(ctx: RowContext, table: string, depth = 0): Promise<Record<string, unknown>> {
  const values = await buildRow(ctx, table, depth);
  const { sql, params } = insertSql(table, values);
  await ctx.tx.query('SAVEPOINT build_row');
  try {
    const r = await ctx.tx.query(sql, params);
    await ctx.tx.query('RELEASE SAVEPOINT build_row');
    return r.rows[0];
  } catch (e) {
    await ctx.tx.query('ROLLBACK TO SAVEPOINT build_row');
    throw e;
  }
}

/** A copy of a stored row to re-insert under another tenant: fresh primary key, nothing generated. */
export async function copyForTenant(info: TableInfo, row: Record<string, unknown>, tenantId: string, owner: Client) {
  const values: Record<string, unknown> = {};
  for (const col of info.columns) {
    if (col.generated) continue;
    if (info.primaryKey.includes(col.name)) {
      if (!col.hasDefault) values[col.name] = await valueFor(col, owner);
      continue;
    }
    const v = row[col.name];
    values[col.name] = (col.dataType === 'json' || col.dataType === 'jsonb') && v !== null ? JSON.stringify(v) : v;
  }
  values.tenant_id = tenantId;
  return insertSql(info.name, values);
}

/** `WHERE pk = …` for a stored row. */
export function byKey(info: TableInfo, row: Record<string, unknown>, offset = 0): { where: string; params: unknown[] } {
  return {
    where: info.primaryKey.map((c, i) => `${q(c)} = $${i + 1 + offset}`).join(' AND '),
    params: info.primaryKey.map((c) => row[c]),
  };
}

export const quoteIdent = q;
