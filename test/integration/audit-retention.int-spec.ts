import { DataSource } from 'typeorm';
import { AuditRetentionRepository } from '../../src/queue/maintenance/audit-retention.repository';
import { IdentityFactory } from '../factories/identity.factory';
import { appPool, asTenant } from '../setup/db';

/** QUALITY §4: the audit log is append-only, and a retention sweep purges what has passed its period. */
describe('audit retention', () => {
  let f: IdentityFactory;
  let ds: DataSource;
  const pool = appPool(2);

  beforeAll(async () => {
    f = await IdentityFactory.open();
    ds = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
  });
  afterAll(async () => {
    await f.close();
    await ds.destroy();
    await pool.end();
  });

  async function entryAgedDays(tenantId: string, days: number): Promise<string> {
    return asTenant(pool, { tenantId }, async (c) => {
      const r = await c.query(
        `INSERT INTO audit_log (entity, action, occurred_at) VALUES ('retention-test', 'create', now() - make_interval(days => $1)) RETURNING id`,
        [days],
      );
      return r.rows[0].id as string;
    });
  }

  it('purges entries older than the retention period and keeps the rest', async () => {
    const tenantId = await f.tenant();
    const old = await entryAgedDays(tenantId, 1100);
    const young = await entryAgedDays(tenantId, 1000);
    const purged = await new AuditRetentionRepository(ds).purgeOlderThan(1095);
    expect(purged).toBeGreaterThanOrEqual(1);
    const left = await f.provinceQuery(`SELECT id FROM audit_log WHERE id = ANY($1)`, [[old, young]]);
    expect(left.rows.map((r) => r.id)).toEqual([young]);
  });

  it('refuses a cut-off inside the 180-day minimum', async () => {
    await expect(new AuditRetentionRepository(ds).purgeOlderThan(30)).rejects.toThrow(/at least 180 days/);
  });

  it('the runtime role still cannot delete audit entries directly', async () => {
    const tenantId = await f.tenant();
    const id = await entryAgedDays(tenantId, 2000);
    await expect(
      asTenant(pool, { tenantId }, (c) => c.query(`DELETE FROM audit_log WHERE id = $1`, [id])),
    ).rejects.toMatchObject({ code: '42501' });
    // setting the purge flag by hand does not help: the role holds no DELETE privilege
    await expect(
      asTenant(pool, { tenantId }, async (c) => {
        await c.query("SELECT set_config('app.audit_purge', 'on', true)");
        return c.query(`DELETE FROM audit_log WHERE id = $1`, [id]);
      }),
    ).rejects.toMatchObject({ code: '42501' });
  });
});
