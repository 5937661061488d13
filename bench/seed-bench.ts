import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { hashPassword } from '../src/auth/password';

/**
 * Bench fixtures, written with plain SQL through the owner connection. audit_log is under
 * FORCE ROW LEVEL SECURITY even for its owner, so each tenant's rows are inserted in a
 * transaction pinned to that tenant (the column default and the INSERT policy read it).
 */

export interface BenchSeed {
  tenantId: string;
  email: string;
  password: string;
  membershipId: string;
  auditRowsOwnTenant: number;
  auditRowsOtherTenants: number;
  auditRowsProvince: number;
  tenants: number;
}

export const BENCH_PASSWORD = `Bench${randomBytes(6).toString('hex')}9`;

const ENTITIES = ['tenant', 'membership', 'invitation', 'user', 'programme', 'enterprise'];
const ACTIONS = ['create', 'update', 'suspend', 'resume', 'revoke', 'accept'];

/** `n` audit rows for the pinned tenant ('' = province rows, tenant_id NULL), spread over a year. */
async function insertAudit(db: Client, tenantId: string, n: number, actorUserId: string | null): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    await db.query(
      `INSERT INTO audit_log (occurred_at, actor_user_id, membership_id, actor_role, entity, entity_id, action, before, after, request_id, ip)
       SELECT date_trunc('milliseconds', now() - (g * interval '37 minutes') - (random() * interval '30 seconds')),
              $2::uuid, gen_random_uuid(), 'college-admin',
              ($3::text[])[1 + g % 6], gen_random_uuid()::text, ($4::text[])[1 + (g / 6) % 6],
              jsonb_build_object('status', 'active', 'version', g % 9, 'name', '广州市技师学院' || g),
              jsonb_build_object('status', CASE WHEN g % 2 = 0 THEN 'suspended' ELSE 'active' END, 'version', g % 9 + 1),
              md5(g::text || $1), '10.0.' || (g % 250) || '.' || (g % 200)
         FROM generate_series(1, $5::int) AS g`,
      [tenantId, actorUserId, ENTITIES, ACTIONS, n],
    );
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

export async function seedBench(
  ownerUrl: string,
  sizes = { tenants: 8, ownRows: 3000, otherRowsEach: 3000, provinceRows: 2000 },
): Promise<BenchSeed> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    const tenantIds: string[] = [];
    for (let i = 0; i < sizes.tenants; i++) {
      const r = await db.query(
        `INSERT INTO tenants (code, name, tier, city) VALUES ($1, $2, 'batch1', '广州') RETURNING id`,
        [`B${i}${randomBytes(3).toString('hex')}`, `基准测试技师学院${i}`],
      );
      tenantIds.push(r.rows[0].id);
    }
    const [tenantId] = tenantIds;
    const email = `bench.admin.${randomBytes(3).toString('hex')}@bench.demo`;
    const user = await db.query(
      `INSERT INTO users (email, display_name, password_hash) VALUES ($1, '基准管理员', $2) RETURNING id`,
      [email, await hashPassword(BENCH_PASSWORD)],
    );
    const userId: string = user.rows[0].id;
    const membershipId = randomUUID();
    await db.query(
      `INSERT INTO memberships (id, user_id, scope, tenant_id, role) VALUES ($1, $2, 'college', $3, 'college-admin')`,
      [membershipId, userId, tenantId],
    );
    // A few more members per college, so the control-plane tables are not empty either.
    for (const t of tenantIds) {
      await db.query(
        `WITH u AS (
           INSERT INTO users (email, display_name, password_hash)
           SELECT 'staff' || g || '.' || $2 || '@bench.demo', '教师' || g, 'x' FROM generate_series(1, 50) g RETURNING id)
         INSERT INTO memberships (user_id, scope, tenant_id, role) SELECT id, 'college', $1, 'college-staff' FROM u`,
        [t, t.slice(0, 8)],
      );
    }

    await insertAudit(db, tenantId, sizes.ownRows, userId);
    for (const other of tenantIds.slice(1)) await insertAudit(db, other, sizes.otherRowsEach, null);
    await insertAudit(db, '', sizes.provinceRows, null);

    await db.query('VACUUM ANALYZE audit_log, tenants, users, memberships');
    return {
      tenantId,
      email,
      password: BENCH_PASSWORD,
      membershipId,
      auditRowsOwnTenant: sizes.ownRows,
      auditRowsOtherTenants: sizes.otherRowsEach * (sizes.tenants - 1),
      auditRowsProvince: sizes.provinceRows,
      tenants: sizes.tenants,
    };
  } finally {
    await db.end();
  }
}
