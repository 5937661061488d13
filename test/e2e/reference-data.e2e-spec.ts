import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

/** Reference data over HTTP (issue 2 item 8): reads for every role, the calendar kept by province admins. */
describe('reference data (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let staffToken: string;
  let provinceToken: string;
  let collegeAdminToken: string;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    const tenantId = await f.tenant({ name: '佛山市参考数据测试技师学院' });
    const staff = await f.member('college-staff', { tenantId });
    const collegeAdmin = await f.member('college-admin', { tenantId });
    const province = await f.member('province-admin');
    staffToken = (await login(t, staff.email, TEST_PASSWORD)).accessToken;
    collegeAdminToken = (await login(t, collegeAdmin.email, TEST_PASSWORD)).accessToken;
    provinceToken = (await login(t, province.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const get = (path: string, token = staffToken) => t.http().get(`/api/v1/reference${path}`).set(bearer(token));
  const put = (year: number | string, body: object, token = provinceToken, lang = 'zh-CN') =>
    t.http().put(`/api/v1/reference/calendar/${year}`).set(bearer(token)).set('Accept-Language', lang).send(body);

  it('R-PRG-1, R-EVA-2, R-TRK-1: every role reads the reference lists', async () => {
    const clusters = await get('/industry-clusters').expect(200);
    expect(clusters.body.items).toHaveLength(20);
    expect(clusters.body.nextCursor).toBeNull();
    const levels = await get('/skill-levels').expect(200);
    expect(levels.body.items.filter((l: any) => l.technicianOrAbove).map((l: any) => l.code)).toEqual(['level-2', 'level-1', 'principal', 'chief']);
    const titles = await get('/professional-titles').expect(200);
    expect(titles.body.items.filter((l: any) => l.senior).map((l: any) => l.nameZh)).toEqual(['副高级', '正高级']);
    const tracks = await get('/schooling-tracks').expect(200);
    expect(tracks.body.items.map((x: any) => x.code)).toContain('flexible');
  });

  it('R-COL-2: the rollout table and the tiers eligible in a year', async () => {
    expect((await get('/rollout').expect(200)).body.items.map((r: any) => r.fromYear)).toEqual([2025, 2026, 2027]);
    expect((await get('/rollout/2024').expect(200)).body).toEqual({ year: 2024, tiers: [] });
    expect((await get('/rollout/2025').expect(200)).body.tiers).toEqual(['batch1']);
    expect((await get('/rollout/2028').expect(200)).body.tiers).toHaveLength(5);
  });

  it('R-APP-5: computes the public-notice window, provisional through a year not entered', async () => {
    const national = await get('/calendar/working-days?from=2025-09-30&days=5').expect(200);
    expect(national.body).toEqual({
      from: '2025-09-30',
      days: 5,
      endDate: '2025-10-14',
      endsAt: '2025-10-14T16:00:00.000Z',
      provisional: false,
      provisionalYears: [],
    });
    const boundary = await get('/calendar/working-days?from=2026-12-28&days=5').expect(200);
    expect(boundary.body).toMatchObject({ endDate: '2027-01-04', provisional: true, provisionalYears: [2027] });
  });

  it('R-APP-5: refuses an impossible date or a bad count with a Chinese problem document', async () => {
    const bad = await get('/calendar/working-days?from=2026-02-30&days=5').expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([{ field: 'from', message: '必须是日期（YYYY-MM-DD）' }]);
    const count = await get('/calendar/working-days?from=2026-02-02&days=0').expect(400);
    expect(count.body.errors[0].field).toBe('days');
    await get('/calendar/abc').expect(400);
  });

  it('R-APP-5: reads a year of the seeded calendar; a year not entered is 404', async () => {
    const y = await get('/calendar/2026').expect(200);
    expect(y.body).toMatchObject({ year: 2026, status: 'official', version: 1 });
    expect(y.body.days.filter((d: any) => d.kind === 'adjusted-workday').map((d: any) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    const missing = await get('/calendar/2091').expect(404);
    expect(missing.body).toMatchObject({ code: 'REFERENCE.CALENDAR_YEAR_NOT_ENTERED', title: '2091 年的节假日安排尚未录入，按该年计算的日期均为暂定' });
    expect((await get('/calendar').expect(200)).body.items.map((x: any) => x.year)).toEqual(expect.arrayContaining([2025, 2026]));
  });

  it('R-APP-5: only a province admin enters a year; the entry is validated, versioned and audited', async () => {
    const body = {
      status: 'official',
      source: '国务院办公厅关于2096年部分节假日安排的通知',
      days: [
        { date: '2096-01-01', kind: 'holiday', name: '元旦' },
        { date: '2096-01-07', kind: 'adjusted-workday' },
      ],
    };
    await put(2096, body, collegeAdminToken).expect(403);

    const invalid = await put(2096, { ...body, days: [{ date: '2096-02-30', kind: 'holiday', name: '春节' }] }).expect(400);
    expect(invalid.body.errors).toEqual([{ field: 'days.0.date', message: '必须是日期（YYYY-MM-DD）' }]);

    const outside = await put(2096, { ...body, days: [{ date: '2095-12-31', kind: 'holiday', name: '元旦' }] }).expect(422);
    expect(outside.body).toMatchObject({ code: 'REFERENCE.DATE_OUTSIDE_YEAR', title: '日期 2095-12-31 不属于 2096 年' });

    const duplicate = await put(2096, { ...body, days: [body.days[0], body.days[0]] }).expect(422);
    expect(duplicate.body).toMatchObject({ code: 'REFERENCE.DUPLICATE_DATE', errors: [{ field: 'days.1.date', message: '日期 2096-01-01 重复录入，每一天只能出现一次' }] });
    const english = await put(2096, { ...body, days: [body.days[0], body.days[0]] }, provinceToken, 'en').expect(422);
    expect(english.body.title).toBe('2096-01-01 appears more than once');

    const noName = await put(2096, { ...body, days: [{ date: '2096-01-01', kind: 'holiday' }] }).expect(400);
    expect(noName.body.errors[0].field).toBe('days.0.name');

    const created = await put(2096, body).expect(200);
    expect(created.body).toMatchObject({ year: 2096, status: 'official', version: 1 });
    expect(created.body.days).toEqual([
      { date: '2096-01-01', kind: 'holiday', name: '元旦' },
      { date: '2096-01-07', kind: 'adjusted-workday', name: null },
    ]);

    const noVersion = await put(2096, body).expect(409);
    expect(noVersion.body.code).toBe('REFERENCE.CALENDAR_VERSION_REQUIRED');
    await put(2096, { ...body, version: 3 }).expect(409);
    const updated = await put(2096, { ...body, status: 'provisional', version: 1 }).expect(200);
    expect(updated.body).toMatchObject({ status: 'provisional', version: 2 });

    const audit = await t
      .http()
      .get('/api/v1/audit')
      .query({ entity: 'calendar-year', entityId: '2096' })
      .set(bearer(provinceToken))
      .expect(200);
    expect(audit.body.items.map((e: any) => e.action)).toEqual(['update', 'create']);
  });

  it('refuses fields it does not know (mass assignment)', async () => {
    const res = await put(2096, { status: 'official', days: [], year: 2000, id: 'x' }).expect(400);
    expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(['id', 'year']);
  });
});
