import { Client } from 'pg';
import { ownerClient } from '../setup/db';

/**
 * Reads the PostgreSQL catalog (QUALITY §1): every tenant table is walled by RLS, and the
 * runtime role cannot step around it.
 */
// Control-plane tables carry no tenant RLS by design (ARCHITECTURE §3): the auth path reads them.
const CONTROL_PLANE_WITH_TENANT_ID = new Set(['memberships', 'invitations']);
// A user's own inbox and messages (issue 13): walled by RLS on the recipient, found by recipient,
// and one notification per (recipient, dedupe key) across every college of that user.
const USER_SCOPED = new Set(['notifications', 'notification_deliveries', 'direct_messages']);

describe('catalog guards', () => {
  let db: Client;
  beforeAll(async () => {
    db = await ownerClient();
  });
  afterAll(async () => db.end());

  async function tenantTables(): Promise<string[]> {
    const r = await db.query(
      `SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'tenant_id' AND NOT a.attisdropped
       ORDER BY 1`,
    );
    return r.rows.map((x) => x.relname).filter((t) => !CONTROL_PLANE_WITH_TENANT_ID.has(t));
  }

  it('finds the tenant tables it guards', async () => {
    expect(await tenantTables()).toContain('audit_log');
  });

  it('every tenant table has RLS enabled and forced, with a policy', async () => {
    const tables = await tenantTables();
    const r = await db.query(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int AS policies
       FROM pg_class c WHERE c.relname = ANY($1) AND c.relkind = 'r'`,
      [tables],
    );
    const bad = r.rows.filter((x) => !x.relrowsecurity || !x.relforcerowsecurity || x.policies === 0);
    expect(bad).toEqual([]);
    expect(r.rows).toHaveLength(tables.length);
  });

  it('every tenant table has an index leading with tenant_id (user-scoped inbox tables lead with the recipient)', async () => {
    const tables = (await tenantTables()).filter((t) => !USER_SCOPED.has(t));
    const r = await db.query(
      `SELECT c.relname FROM pg_class c WHERE c.relname = ANY($1) AND NOT EXISTS (
         SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indrelid = c.oid AND a.attname = 'tenant_id')`,
      [tables],
    );
    expect(r.rows.map((x) => x.relname)).toEqual([]);
  });

  it('every unique key of a tenant table includes tenant_id (the primary key and user-scoped inbox tables excepted)', async () => {
    const tables = (await tenantTables()).filter((t) => !USER_SCOPED.has(t));
    const r = await db.query(
      `SELECT c.relname, ic.relname AS index FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
       WHERE c.relname = ANY($1) AND i.indisunique AND NOT i.indisprimary AND NOT EXISTS (
         SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND a.attnum = ANY(i.indkey))`,
      [tables],
    );
    expect(r.rows).toEqual([]);
  });

  it('the runtime role is not superuser, has no BYPASSRLS, owns no table and has a statement_timeout', async () => {
    const role = await db.query(
      `SELECT rolsuper, rolbypassrls, rolconfig FROM pg_roles WHERE rolname = 'app_user'`,
    );
    expect(role.rows[0].rolsuper).toBe(false);
    expect(role.rows[0].rolbypassrls).toBe(false);
    expect((role.rows[0].rolconfig ?? []).some((s: string) => s.startsWith('statement_timeout='))).toBe(true);
    const owned = await db.query(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rolname = 'app_user' AND n.nspname = 'public'`,
    );
    expect(owned.rows).toEqual([]);
  });

  it('views use security_invoker and SECURITY DEFINER functions are on the allow-list', async () => {
    const views = await db.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'v'
         AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)`,
    );
    expect(views.rows).toEqual([]);
    const allowList = ['purge_audit_log'];
    const definers = await db.query(
      `SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.prosecdef`,
    );
    expect(definers.rows.map((x) => x.proname).filter((n) => !allowList.includes(n))).toEqual([]);
  });

  it('"today" in SQL is china_today() (the injected clock\'s China date): no view or function uses the session date', async () => {
    const r = await db.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm') AND pg_get_viewdef(c.oid) ~* '(current_date|localtimestamp|now\\(\\)::date)'
       UNION ALL
       SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND p.prokind = 'f' AND p.prosrc ~* '(current_date|localtimestamp)'`,
    );
    expect(r.rows).toEqual([]);
    const today = await db.query(`SELECT china_today()::text AS d, (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS expected`);
    expect(today.rows[0].d).toBe(today.rows[0].expected);
  });

  it('the audit log is append-only for the runtime role', async () => {
    const r = await db.query(
      `SELECT has_table_privilege('app_user', 'audit_log', 'UPDATE') AS upd,
              has_table_privilege('app_user', 'audit_log', 'DELETE') AS del,
              has_table_privilege('app_user', 'audit_log', 'INSERT') AS ins`,
    );
    expect(r.rows[0]).toEqual({ upd: false, del: false, ins: true });
  });
});
