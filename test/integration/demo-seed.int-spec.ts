import { Pool } from 'pg';
import { passwordProblems, verifyPassword } from '../../src/auth/password';
import {
  DEMO_COLLEGES,
  DEMO_ENTERPRISES,
  DEMO_PASSWORD,
  DEMO_PROVINCE_USERS,
  SeedReport,
  demoLogins,
  isValidUscc,
  seedDemo,
} from '../../src/database/seed/index';
import { appPool, ownerClient } from '../setup/db';
import { evaluateKpi, KPI_SQL, kpiParams } from '../../modules/kpis';

/** Issue 2 item 11: the demo seed (run as the owner) is complete, valid and idempotent. */
describe('demo seed', () => {
  let pool: Pool;
  let first: SeedReport;
  let second: SeedReport;
  let snapshotAfterFirst: unknown;
  let seededBefore: { tenants: number; enterprises: number };

  const codes = DEMO_COLLEGES.map((c) => c.code);
  const usccs = DEMO_ENTERPRISES.map((e) => e.uscc);

  async function snapshot(): Promise<unknown> {
    const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
    return {
      tenants: await q('SELECT * FROM tenants WHERE code = ANY($1) ORDER BY code', [codes]),
      enterprises: await q('SELECT * FROM enterprises WHERE uscc = ANY($1) ORDER BY uscc', [usccs]),
      users: await q(`SELECT * FROM users WHERE email LIKE '%.demo' OR phone LIKE '138001380%' ORDER BY id`),
      memberships: await q(
        `SELECT m.* FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE u.email LIKE '%.demo' OR u.phone LIKE '138001380%' ORDER BY m.id`,
      ),
    };
  }

  async function rolesIn(scope: string, where: string, params: unknown[]): Promise<{ key: string; role: string; n: number }[]> {
    const { rows } = await pool.query(
      `SELECT ${where} AS key, m.role, count(*)::int AS n
         FROM memberships m LEFT JOIN tenants t ON t.id = m.tenant_id LEFT JOIN enterprises e ON e.id = m.enterprise_id
        WHERE m.scope = '${scope}' AND m.status = 'active' AND (t.code = ANY($1) OR $1::text[] IS NULL)
        GROUP BY 1, 2`,
      params,
    );
    return rows;
  }

  beforeAll(async () => {
    pool = appPool(2);
    const owner = process.env.DATABASE_MIGRATION_URL!;
    // other files of the run (README examples, module seed tests) may have seeded this database already
    seededBefore = {
      tenants: (await pool.query('SELECT count(*)::int AS n FROM tenants WHERE code = ANY($1)', [codes])).rows[0].n,
      enterprises: (await pool.query('SELECT count(*)::int AS n FROM enterprises WHERE uscc = ANY($1)', [usccs])).rows[0].n,
    };
    first = await seedDemo(owner);
    snapshotAfterFirst = await snapshot();
    second = await seedDemo(owner);
  }, 120_000);

  afterAll(async () => {
    await pool.end();
  });

  it('inserts the demo province on the first run', () => {
    expect(first.inserted.tenants).toBe(3 - seededBefore.tenants);
    expect(first.inserted.enterprises).toBe(2 - seededBefore.enterprises);
    if (seededBefore.tenants === 0) expect(first.total).toBeGreaterThan(0);
  });

  it('a second run inserts nothing and changes no row', async () => {
    expect(second.total).toBe(0);
    expect(await snapshot()).toEqual(snapshotAfterFirst);
  });

  it('R-COL-1 three colleges, each of a different tier', async () => {
    const { rows } = await pool.query('SELECT code, tier, status FROM tenants WHERE code = ANY($1)', [codes]);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.tier)).size).toBe(3);
    expect(rows.every((r) => r.status === 'active')).toBe(true);
  });

  it('each college has a college-admin, a college-staff and a college-mentor', async () => {
    const rows = await rolesIn('college', 't.code', [codes]);
    for (const code of codes) {
      for (const role of ['college-admin', 'college-staff', 'college-mentor']) {
        expect(rows.find((r) => r.key === code && r.role === role)?.n ?? 0).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('the province has an admin, a review expert and a viewer', async () => {
    const rows = await rolesIn('province', "'province'", [null]);
    for (const role of ['province-admin', 'province-expert', 'province-viewer']) {
      expect(rows.find((r) => r.role === role)?.n ?? 0).toBeGreaterThanOrEqual(1);
    }
  });

  it('R-ENT-0 two enterprises, each with a valid GB 32100-2015 USCC', async () => {
    const { rows } = await pool.query('SELECT uscc, uscc_override_reason FROM enterprises WHERE uscc = ANY($1)', [usccs]);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.uscc).toHaveLength(18);
      expect(isValidUscc(r.uscc)).toBe(true);
      expect(r.uscc_override_reason).toBeNull();
    }
    // a known real code checks out with the same helper (美的集团)
    expect(isValidUscc('91440606722473344C')).toBe(true);
    expect(isValidUscc('91440606722473344D')).toBe(false);
  });

  it('each enterprise has an admin and at least two mentors in every partner college', async () => {
    const { rows } = await pool.query(
      `SELECT e.uscc, t.code, m.role, count(DISTINCT m.user_id)::int AS n
         FROM memberships m JOIN enterprises e ON e.id = m.enterprise_id JOIN tenants t ON t.id = m.tenant_id
        WHERE m.scope = 'enterprise' AND e.uscc = ANY($1) GROUP BY 1, 2, 3`,
      [usccs],
    );
    for (const e of DEMO_ENTERPRISES) {
      expect(e.partners.length).toBeGreaterThanOrEqual(1);
      for (const code of e.partners) {
        const n = (role: string) => rows.find((r) => r.uscc === e.uscc && r.code === code && r.role === role)?.n ?? 0;
        expect(n('enterprise-admin')).toBeGreaterThanOrEqual(1);
        expect(n('enterprise-mentor')).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('every demo login exists, at least one logs in by mobile, and each password verifies', async () => {
    expect(passwordProblems(DEMO_PASSWORD)).toEqual([]);
    const logins = demoLogins();
    expect(logins.length).toBe(DEMO_PROVINCE_USERS.length + DEMO_COLLEGES.length * 3 + DEMO_ENTERPRISES.reduce((n, e) => n + 1 + e.mentors.length, 0));
    expect(logins.some((l) => /^1[358]\d{9}$/.test(l.login))).toBe(true);
    for (const l of logins) {
      const { rows } = await pool.query(
        'SELECT password_hash, status FROM users WHERE lower(email) = lower($1) OR phone = $1',
        [l.login],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe('active');
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(rows[0].password_hash, DEMO_PASSWORD)).toBe(true);
      expect(passwordProblems(DEMO_PASSWORD, [l.login])).toEqual([]);
    }
  }, 60_000);

  it('issue 8 item 19: after a user renames seeded staff and imports a student, the next run succeeds and touches neither', async () => {
    const college = DEMO_COLLEGES[0];
    const owner = await ownerClient();
    const inTenant = async <T>(fn: () => Promise<T>): Promise<T> => {
      await owner.query('BEGIN');
      try {
        await owner.query("SELECT set_config('app.tenant_id', (SELECT id::text FROM tenants WHERE code = $1), true)", [college.code]);
        const out = await fn();
        await owner.query('COMMIT');
        return out;
      } catch (e) {
        await owner.query('ROLLBACK');
        throw e;
      }
    };
    try {
      // the mentor with a login (linked by user_id) and a teacher without one are renamed in the app
      const renamed = await inTenant(async () =>
        (
          await owner.query(
            `UPDATE staff_members SET name = name || '（已改名）', version = version + 1
              WHERE name = ANY($1) AND enterprise_id IS NULL RETURNING id, name, user_id`,
            [[college.mentor.displayName, '李慧敏']],
          )
        ).rows,
      );
      expect(renamed).toHaveLength(2);
      expect(renamed.some((r) => r.user_id !== null)).toBe(true);
      // a student the user imported into the seeded cohort (a different ID number)
      const imported = await inTenant(async () =>
        (
          await owner.query(
            `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                                   mobile_enc, mobile_masked, entry_level, status, admitted_on, enrolled_on)
             SELECT tenant_id, cohort_id, programme_id, '导入学生', gender, date_of_birth, id_number_enc, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), id_number_masked,
                    mobile_enc, mobile_masked, entry_level, 'enrolled', admitted_on, enrolled_on
               FROM students WHERE tenant_id = current_setting('app.tenant_id')::uuid AND status = 'enrolled' LIMIT 1
             RETURNING id`,
          )
        ).rows[0].id as string,
      );
      const staffBefore = await inTenant(async () => (await owner.query('SELECT id, name, user_id FROM staff_members ORDER BY id')).rows);

      const third = await seedDemo(process.env.DATABASE_MIGRATION_URL!);
      expect(third.inserted.staff_members ?? 0).toBe(0);
      expect(await inTenant(async () => (await owner.query('SELECT id, name, user_id FROM staff_members ORDER BY id')).rows)).toEqual(staffBefore);
      const mentorsOfImported = await inTenant(async () => (await owner.query('SELECT count(*)::int AS n FROM mentorships WHERE student_id = $1', [imported])).rows[0].n);
      expect(mentorsOfImported).toBe(0);
      // the seed's own students still have both mentors
      const seededWithout = await inTenant(
        async () =>
          (
            await owner.query(
              `SELECT count(*)::int AS n FROM students s WHERE s.id <> $1 AND s.status = 'enrolled'
                 AND (SELECT count(*) FROM mentorships ms WHERE ms.student_id = s.id AND ms.ended_on IS NULL) = 0`,
              [imported],
            )
          ).rows[0].n,
      );
      expect(seededWithout).toBe(0);
    } finally {
      await owner.end();
    }
  }, 120_000);
  // Issue 11 B: the graduated short-track cohorts give the three colleges met, unmet and "no data" KPIs (read as the province, through RLS).
  it('DOMAIN §4 demo KPIs: 广州工贸 meets all three targets, 佛山技师 misses attainment and matched employment, 河源技师 has no data', async () => {
    const c = await pool.connect();
    let rows: any[];
    try {
      await c.query('BEGIN');
      await c.query("SELECT set_config('app.scope', 'province', true), set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)");
      rows = (await c.query(KPI_SQL, kpiParams({}))).rows;
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const ids = new Map((await pool.query(`SELECT code, id FROM tenants WHERE code = ANY($1)`, [codes])).rows.map((r) => [r.code, r.id]));
    const college = (code: string) => rows.find((r) => r.level === 'college' && r.tenantId === ids.get(code));
    const kpi = (code: string, key: 'technicianAttainment' | 'matchedEmployment' | 'payAboveBenchmark') => {
      const r = college(code);
      const [num, den] = { technicianAttainment: ['attained', 'graduates'], matchedEmployment: ['matched', 'employed'], payAboveBenchmark: ['payAbove', 'employed'] }[key];
      return evaluateKpi(key, Number(r?.[num] ?? 0), Number(r?.[den] ?? 0));
    };
    expect(kpi('gzgm', 'technicianAttainment')).toMatchObject({ numerator: 8, denominator: 9, met: true });
    expect(kpi('gzgm', 'matchedEmployment')).toMatchObject({ numerator: 6, denominator: 7, met: true });
    expect(kpi('gzgm', 'payAboveBenchmark')).toMatchObject({ numerator: 6, denominator: 7, met: true });
    expect(kpi('fsjs', 'technicianAttainment')).toMatchObject({ numerator: 6, denominator: 9, met: false, rag: 'red' });
    expect(kpi('fsjs', 'matchedEmployment')).toMatchObject({ numerator: 4, denominator: 7, met: false, rag: 'amber' });
    expect(kpi('fsjs', 'payAboveBenchmark')).toMatchObject({ numerator: 5, denominator: 7, met: true });
    expect(kpi('hyjs', 'technicianAttainment')).toMatchObject({ denominator: 0, ratio: null, met: null, rag: 'no-data' });
  });
});
