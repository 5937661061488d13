import { DataSource } from 'typeorm';
import { addMonths } from '../../modules/cohorts';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { pinTransaction } from '../../src/tenancy/tenant-pinning.adapter';
import { Clock, currentClock } from '../../src/time/clock';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { chinaDateOf, chinaDaysFromToday } from '../../src/time/china-date';
import { cohortRow, studentRow } from './matrix/cohorts.fixtures';

/**
 * Issue 8 item 2: between 00:00 and 08:00 China time the UTC date is still yesterday. The app
 * boots with its clock at 01:00 China time (17:00 UTC the day before) and every "today", in code
 * and in SQL, must be the China date.
 */
describe('clock at 01:00 China time: "today" is the China date, in code and in SQL (e2e)', () => {
  // Today's China date (by the real clock, or the suite-wide test clock), at 01:00 there.
  const chinaDate = chinaDateOf(Clock.fromSettings(process.env).now());
  const oneAm = `${chinaDate}T01:00:00+08:00`;
  const saved = { fixed: process.env.CLOCK_FIXED_NOW, offset: process.env.CLOCK_OFFSET_MS };
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let token: string;

  beforeAll(async () => {
    process.env.CLOCK_FIXED_NOW = oneAm;
    delete process.env.CLOCK_OFFSET_MS;
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '凌晨时钟技师学院' });
    token = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
  }, 120_000); // booting the whole app on a shared 2-core machine
  afterAll(async () => {
    await f.close();
    await t.close();
    for (const [key, value] of [['CLOCK_FIXED_NOW', saved.fixed], ['CLOCK_OFFSET_MS', saved.offset]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('the injected clock stands at 01:00 China time, when the UTC date is still the day before', () => {
    const now = t.app.get(Clock).now();
    expect(now.toISOString()).toBe(new Date(oneAm).toISOString());
    expect(now.toISOString().slice(11, 16)).toBe('17:00');
    expect(currentClock().today()).toBe(chinaDate);
    expect(now.toISOString().slice(0, 10)).toBe(chinaDaysFromToday(-1, chinaDate));
  });

  it('SQL china_today() in an app transaction is the China date of the injected clock, not the UTC CURRENT_DATE', async () => {
    // the same statement the pinning adapter runs at the start of every app transaction
    const rows = await t.app.get(TenantContext).runAsTenant(college, () =>
      t.app.get(DataSource).transaction(async (m) => {
        await pinTransaction(m);
        return m.query(`SELECT china_today()::text AS today, ((current_setting('app.now'))::timestamptz AT TIME ZONE 'UTC')::date::text AS utc_date`);
      }),
    );
    expect(rows[0]).toEqual({ today: chinaDate, utc_date: chinaDaysFromToday(-1, chinaDate) });
  });

  it("a student's stage turns on the China date: the senior-worker stage that ends today is over at 01:00 China time", async () => {
    // senior-high: 24-month senior-worker stage; it ends exactly on today's China date
    const ending = await cohortRow(f, college, { startDate: addMonths(chinaDate, -24), status: 'started' });
    // ... and one that ends tomorrow is still running
    const running = await cohortRow(f, college, { startDate: addMonths(chinaDaysFromToday(1, chinaDate), -24), status: 'started' });
    const a = await studentRow(f, college, ending.cohortId, { status: 'enrolled' });
    const b = await studentRow(f, college, running.cohortId, { status: 'enrolled' });
    const stage = async (id: string) => (await t.http().get(`/api/v1/students/${id}`).set(bearer(token)).expect(200)).body;
    expect(await stage(a.studentId)).toMatchObject({ status: 'technician-stage' });
    expect(await stage(b.studentId)).toMatchObject({ status: 'senior-worker-stage' });
  });

  it('R-EVA-1: the streaming checkpoint reached on the China date is open at 01:00 China time', async () => {
    const { cohortId } = await cohortRow(f, college, { startDate: addMonths(chinaDate, -24), status: 'started' });
    const s = await studentRow(f, college, cohortId, { status: 'enrolled' });
    const res = await t
      .http()
      .post(`/api/v1/cohorts/${cohortId}/streaming`)
      .set(bearer(token))
      .send({ decisions: [{ studentId: s.studentId, decision: 'continue', reason: '考核合格' }] });
    expect(res.body).toMatchObject({ checkpoint: chinaDate, counts: { continue: 1 } });
    expect(res.status).toBe(200);
  });
});
