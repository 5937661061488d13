import { randomUUID } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { ClsService } from 'nestjs-cls';
import { Pool } from 'pg';
import { ConfigModule } from '../../../config/config.module';
import { DatabaseModule } from '../../../src/database/database.module';
import { AppException } from '../../../src/errors/app.exception';
import type { Actor, JishiClsStore } from '../../../src/tenancy/request-context';
import { TenancyModule } from '../../../src/tenancy/tenancy.module';
import { appPool, asTenant } from '../../../test/setup/db';
import { AuditModule } from '../../audit';
import { ReferenceDataModule, ReferenceDataService } from '../index';

const provinceAdmin: Actor = { userId: randomUUID(), membershipId: randomUUID(), scope: 'province', role: 'province-admin' };

/** Service level against the run's database, as the runtime role, with a province actor in CLS. */
describe('ReferenceDataService (integration)', () => {
  let moduleRef: TestingModule;
  let service: ReferenceDataService;
  let cls: ClsService<JishiClsStore>;
  let pool: Pool;

  const asProvince = <T>(fn: () => Promise<T>) =>
    cls.run(async () => {
      cls.set('actor', provinceAdmin);
      cls.set('requestId', `req-${randomUUID()}`);
      return fn();
    });

  async function expectAppError(promise: Promise<unknown>, code: string, status: number): Promise<AppException> {
    const error = await promise.then(
      () => undefined,
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppException);
    expect(error.definition.code).toBe(code);
    expect(error.status).toBe(status);
    return error;
  }

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, AuditModule, ReferenceDataModule],
    }).compile();
    await moduleRef.init();
    service = moduleRef.get(ReferenceDataService);
    cls = moduleRef.get(ClsService);
    pool = appPool(2);
  });

  afterAll(async () => {
    await pool.end();
    await moduleRef.close();
  });

  it('R-PRG-1, R-TRK-1: serves the seeded reference lists to the runtime role', async () => {
    const clusters = await asProvince(() => service.industryClusters());
    expect(clusters).toHaveLength(20);
    expect(clusters[0]).toEqual({ code: 'P01', kind: 'pillar', nameZh: '新一代电子信息', nameEn: 'New-generation electronic information', validFrom: null, validTo: null });
    const tracks = await asProvince(() => service.schoolingTracks());
    expect(tracks.find((t) => t.code === 'junior-high')).toMatchObject({ years: 6, seniorWorkerStageYears: 4, flexible: false });
    expect(tracks.find((t) => t.code === 'flexible')).toMatchObject({ years: null, flexible: true });
    expect((await asProvince(() => service.skillLevels())).map((l) => l.code)[0]).toBe('apprentice');
    expect(await asProvince(() => service.professionalTitles())).toHaveLength(5);
  });

  it('R-COL-2: eligible tiers from the seeded rollout table, both sides of each boundary', async () => {
    expect(await asProvince(() => service.eligibleTiers(2024))).toEqual([]);
    expect(await asProvince(() => service.eligibleTiers(2025))).toEqual(['batch1']);
    expect(await asProvince(() => service.eligibleTiers(2026))).toEqual(['batch1', 'batch2', 'batch2-building', 'batch2-cultivating']);
    expect(await asProvince(() => service.eligibleTiers(2027))).toEqual(['batch1', 'batch2', 'batch2-building', 'batch2-cultivating', 'other']);
    expect(await asProvince(() => service.eligibleTiers(2031))).toHaveLength(5);
    await expectAppError(asProvince(() => service.eligibleTiers(1999)), 'REFERENCE.YEAR_OUT_OF_RANGE', 400);
  });

  it('R-EVA-2: expert look-ups by skill level and title code', async () => {
    expect(await asProvince(() => service.skillLevelIsTechnicianOrAbove('level-2'))).toBe(true);
    expect(await asProvince(() => service.skillLevelIsTechnicianOrAbove('level-3'))).toBe(false);
    expect(await asProvince(() => service.titleIsSenior('deputy-senior'))).toBe(true);
    expect(await asProvince(() => service.titleIsSenior('intermediate'))).toBe(false);
    await expectAppError(asProvince(() => service.skillLevelIsTechnicianOrAbove('level-9')), 'REFERENCE.UNKNOWN_SKILL_LEVEL', 422);
    await expectAppError(asProvince(() => service.titleIsSenior('professor')), 'REFERENCE.UNKNOWN_TITLE_LEVEL', 422);
  });

  it('R-APP-5: computes public-notice windows from the seeded calendar', async () => {
    expect(await asProvince(() => service.workingDays('2025-09-30', 5))).toEqual({
      from: '2025-09-30',
      days: 5,
      endDate: '2025-10-14',
      endsAt: '2025-10-14T16:00:00.000Z',
      provisional: false,
      provisionalYears: [],
    });
    expect(await asProvince(() => service.workingDays('2026-02-12', 5))).toMatchObject({ endDate: '2026-02-26', provisional: false });
    expect(await asProvince(() => service.isWorkingDay('2026-02-14'))).toBe(true);
    await expectAppError(asProvince(() => service.workingDays('2026-02-30', 5)), 'REFERENCE.INVALID_DATE', 400);
    await expectAppError(asProvince(() => service.workingDays('2026-02-02', 0)), 'REFERENCE.WORKING_DAYS_OUT_OF_RANGE', 400);
  });

  it('R-APP-5: the seeded years are official, with dates as China date strings', async () => {
    const y = await asProvince(() => service.calendarYear(2025));
    expect(y).toMatchObject({ year: 2025, status: 'official', version: 1 });
    expect(y.days).toHaveLength(28 + 5); // 28 holiday dates, 5 adjusted working days
    expect(y.days.find((d) => d.date === '2025-10-11')).toEqual({ date: '2025-10-11', kind: 'adjusted-workday', name: null });
    expect(y.days.find((d) => d.date === '2025-01-01')).toEqual({ date: '2025-01-01', kind: 'holiday', name: '元旦' });
    await expectAppError(asProvince(() => service.calendarYear(2090)), 'REFERENCE.CALENDAR_YEAR_NOT_ENTERED', 404);
  });

  it('R-APP-5: a province admin enters a year provisionally, then officially; results stop being provisional; both audited', async () => {
    // 2099 is left to this test: nothing else in the run relies on it.
    const before = await asProvince(() => service.workingDays('2099-04-27', 5));
    expect(before).toMatchObject({ provisional: true, provisionalYears: [2099], endDate: '2099-05-04' });

    const days = [
      { date: '2099-05-01', kind: 'holiday' as const, name: '劳动节' },
      { date: '2099-04-30', kind: 'holiday' as const, name: '劳动节' },
      { date: '2099-05-02', kind: 'adjusted-workday' as const },
    ];
    const created = await asProvince(() => service.putCalendarYear(2099, { status: 'provisional', source: '暂定', days }));
    expect(created.created).toBe(true);
    expect(created.calendar).toMatchObject({ year: 2099, status: 'provisional', version: 1 });
    expect(created.calendar.days.map((d) => d.date)).toEqual(['2099-04-30', '2099-05-01', '2099-05-02']);

    // 04-28 Tue, 04-29 Wed, (04-30, 05-01 off), 05-02 Sat works, 05-04 Mon, 05-05 Tue
    const provisional = await asProvince(() => service.workingDays('2099-04-27', 5));
    expect(provisional).toMatchObject({ endDate: '2099-05-05', provisional: true });

    await expectAppError(
      asProvince(() => service.putCalendarYear(2099, { status: 'official', days })),
      'REFERENCE.CALENDAR_VERSION_REQUIRED',
      409,
    );
    await expectAppError(asProvince(() => service.putCalendarYear(2099, { status: 'official', days, version: 7 })), 'COMMON.STALE_VERSION', 409);

    const updated = await asProvince(() =>
      service.putCalendarYear(2099, { status: 'official', source: '国务院办公厅关于2099年部分节假日安排的通知', days, version: 1 }),
    );
    expect(updated).toMatchObject({ created: false, calendar: { status: 'official', version: 2 } });
    expect(await asProvince(() => service.workingDays('2099-04-27', 5))).toMatchObject({ endDate: '2099-05-05', provisional: false });
    expect((await asProvince(() => service.calendarYear(2099))).days).toHaveLength(3);

    const audit = await asTenant(pool, { scope: 'province' }, (c) =>
      c.query(`SELECT action, actor_role, before, after, tenant_id FROM audit_log WHERE entity = 'calendar-year' AND entity_id = '2099' ORDER BY occurred_at`),
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect(audit.rows[1]).toMatchObject({ actor_role: 'province-admin', tenant_id: null, before: { status: 'provisional', version: 1 }, after: { status: 'official', version: 2 } });
  });

  it('R-APP-5: refuses bad days with the first problem as the code and every problem by field', async () => {
    const error = await expectAppError(
      asProvince(() =>
        service.putCalendarYear(2098, {
          status: 'official',
          days: [
            { date: '2097-12-31', kind: 'holiday', name: '元旦' },
            { date: '2098-01-01', kind: 'holiday', name: '元旦' },
            { date: '2098-01-01', kind: 'holiday', name: '元旦' },
            { date: '2098-01-06', kind: 'adjusted-workday' },
          ],
        }),
      ),
      'REFERENCE.DATE_OUTSIDE_YEAR',
      422,
    );
    expect(error.fieldErrors.map((e) => [e.field, e.zh])).toEqual([
      ['days.0.date', '日期 2097-12-31 不属于 2098 年'],
      ['days.2.date', '日期 2098-01-01 重复录入，每一天只能出现一次'],
      ['days.3.date', '调休上班日 2098-01-06 不是周六或周日'],
    ]);
    // Nothing was written.
    await expectAppError(asProvince(() => service.calendarYear(2098)), 'REFERENCE.CALENDAR_YEAR_NOT_ENTERED', 404);
  });
});
