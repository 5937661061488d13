import { Pool } from 'pg';
import { seedDemo } from '../../src/database/seed/index';
import { chinaToday } from '../../src/time/china-date';
import { appPool, asTenant } from '../setup/db';

/**
 * Issue 12 demo: a past notice with its complete path, an application under review that
 * expert@province.demo is assigned to, one in its public-notice window, one rejected — all
 * dated relative to today, and a second run inserts nothing.
 */
describe('pilots demo seed', () => {
  let pool: Pool;
  let second: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    pool = appPool(2);
    const owner = process.env.DATABASE_MIGRATION_URL!;
    await seedDemo(owner);
    second = await seedDemo(owner);
  }, 180_000);
  afterAll(async () => pool.end());

  const province = { scope: 'province' };

  it('a second run inserts no pilot rows', () => {
    expect(Object.entries(second.inserted).filter(([t, n]) => t.startsWith('pilot_') && n > 0)).toEqual([]);
  });

  it('shows each step: filed (active pilot), under review with expert@province.demo, in its public-notice window, rejected with the reason', async () => {
    const rows = await asTenant(pool, province, async (c) =>
      (
        await c.query(
          `SELECT t.code AS college, p.code AS programme, p.pilot_status AS "pilotStatus", a.status, ap.stage, ap.decision_reason AS reason,
                  b.status AS "batchStatus", b.ends_on::text AS "endsOn", b.filing_reference AS reference,
                  EXISTS (SELECT 1 FROM pilot_expert_assignments x JOIN users u ON u.id = x.expert_user_id
                          WHERE x.application_id = a.id AND u.email = 'expert@province.demo') AS "expertAssigned"
           FROM pilot_application_programmes ap
           JOIN pilot_applications a ON a.tenant_id = ap.tenant_id AND a.id = ap.application_id
           JOIN programmes p ON p.tenant_id = ap.tenant_id AND p.id = ap.programme_id
           JOIN tenants t ON t.id = ap.tenant_id
           LEFT JOIN pilot_publicity_batches b ON b.id = ap.batch_id
           WHERE t.code IN ('gzgm', 'fsjs', 'hyjs') ORDER BY t.code, p.code`,
        )
      ).rows,
    );
    const by = (programme: string) => rows.find((r: any) => r.programme === programme);
    expect(by('SKJG-01')).toMatchObject({ college: 'gzgm', pilotStatus: 'active', stage: 'filed', batchStatus: 'filed', expertAssigned: true });
    expect(by('SKJG-01').reference).toMatch(/人社厅函/);
    expect(by('DQZDH-02')).toMatchObject({ college: 'fsjs', pilotStatus: 'applied', status: 'under-review', stage: 'pending', expertAssigned: true });
    expect(by('GYJQR-02')).toMatchObject({ college: 'gzgm', pilotStatus: 'applied', stage: 'in-publicity', batchStatus: 'open' });
    expect(by('GYJQR-02').endsOn >= chinaToday()).toBe(true);
    expect(by('DQZDH-01')).toMatchObject({ college: 'hyjs', pilotStatus: 'candidate', stage: 'rejected' });
    expect(by('DQZDH-01').reason).toContain('R-ENT-1');
  });
});
