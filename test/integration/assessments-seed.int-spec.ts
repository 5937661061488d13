import { Pool } from 'pg';
import { DEMO_SEED_STEPS, seedDemo } from '../../src/database/seed/index';
import { appPool, asTenant } from '../setup/db';

/**
 * Issue 11 part A demo data: assessments from both sides (enterprise mentors of 广州工贸 and
 * 佛山 entered practice results with their own logins), drafts and submitted sheets, a
 * correction, and certificates some of which wait for verification; idempotent.
 */
describe('assessments demo seed (R-EVA-3)', () => {
  let pool: Pool;
  let secondInserted: Record<string, number>;
  const steps = DEMO_SEED_STEPS.slice(0, DEMO_SEED_STEPS.findIndex((s) => s.name === 'assessments') + 1);
  const tenants = new Map<string, string>();

  beforeAll(async () => {
    pool = appPool(2);
    const owner = process.env.DATABASE_MIGRATION_URL!;
    const first = await seedDemo(owner, { steps });
    for (const [k, v] of first.tenants) tenants.set(k, v);
    secondInserted = (await seedDemo(owner, { steps })).inserted;
  }, 180_000);
  afterAll(async () => {
    await pool.end();
  });

  const q = (code: string, sql: string) => asTenant(pool, { tenantId: tenants.get(code)! }, async (c) => (await c.query(sql)).rows);

  it('R-EVA-3: every demo college has sheets for its running cohort, some submitted and some still draft', async () => {
    for (const code of ['gzgm', 'fsjs', 'hyjs']) {
      const [row] = await q(code, `SELECT count(*) FILTER (WHERE status = 'submitted')::int AS submitted, count(*) FILTER (WHERE status = 'draft')::int AS draft FROM assessment_sheets`);
      expect(row.submitted).toBeGreaterThan(0);
      expect(row.draft).toBeGreaterThan(0);
    }
  });

  it('R-EVA-3: practice results in 广州工贸 and 佛山 were entered by enterprise mentors’ logins on the enterprise side (submitted in 广州工贸, draft in 佛山)', async () => {
    for (const [code, status] of [['gzgm', 'submitted'], ['fsjs', 'draft']]) {
      const rows = await q(code, `SELECT r.status, r.entered_side, r.enterprise_id, m.role FROM assessment_results r
                                   JOIN memberships m ON m.user_id = r.entered_by AND m.tenant_id = r.tenant_id WHERE r.kind = 'practice'`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.entered_side === 'enterprise' && r.enterprise_id && r.role === 'enterprise-mentor' && r.status === status)).toBe(true);
    }
  });

  it('DOMAIN §5: a correction is a second version with a reason; only one version is current', async () => {
    const rows = await q('gzgm', `SELECT version_no, is_current, correction_reason FROM assessment_results WHERE student_id = (SELECT student_id FROM assessment_results WHERE version_no = 2 LIMIT 1) AND kind = 'course' AND sheet_id = (SELECT sheet_id FROM assessment_results WHERE version_no = 2 LIMIT 1) ORDER BY version_no`);
    expect(rows.map((r) => [r.version_no, r.is_current, r.correction_reason !== null])).toEqual([[1, false, false], [2, true, true]]);
  });

  it('R-EVA-3 ① ②: certificates, some verified and some waiting (unverified)', async () => {
    const rows = await q('gzgm', `SELECT status, count(*)::int AS n FROM certificates GROUP BY status ORDER BY status`);
    // the graduates step adds its own certificates for the graduated cohort: at least one of each here
    const count = (status: string) => rows.find((r: { status: string }) => r.status === status)?.n ?? 0;
    expect({ verified: count('verified') >= 1, unverified: count('unverified') >= 1 }).toEqual({ verified: true, unverified: true });
  });

  it('is idempotent: a second run inserts no sheet, result or certificate', () => {
    expect(secondInserted.assessment_sheets ?? 0).toBe(0);
    expect(secondInserted.assessment_results ?? 0).toBe(0);
    expect(secondInserted.certificates ?? 0).toBe(0);
  });
});
