import { addMonths } from '../../modules/cohorts/domain/track-dates';
import { chinaToday } from '../../src/time/china-date';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { cohortRow } from './matrix/cohorts.fixtures';
import { studentsIn } from './matrix/graduates.fixtures';

type Proposal = { studentId: string; proposed: string | null; basis: string; midTerm: { score: number | null; passed: boolean; passMark: number | null } | null };

describe('streaming reads the mid-term results, R-EVA-1 (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let staff: string;
  const today = chinaToday();

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '分流建议测试技师学院' });
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-EVA-1 the streaming proposal reads the current submitted mid-term result: passed → continue, not passed → senior-worker route, none or only a draft → no proposal, decided → none', async () => {
    // a senior-high cohort 30 months in: its checkpoint (end of the 24-month senior-worker stage) is reached
    const { cohortId } = await cohortRow(f, college, { startDate: addMonths(today, -30), status: 'started' });
    const [passed, failed, drafted, none, decided] = await studentsIn(f, college, cohortId, 5, 'enrolled');
    const opened = await t.http().post('/api/v1/assessment-sheets').set(bearer(staff)).send({ cohortId, itemKey: 'mid-term' }).expect(201);
    const sheetId = opened.body.items.find((i: { itemKey: string }) => i.itemKey === 'mid-term').sheetId;
    const put = (body: object) => t.http().put(`/api/v1/assessment-sheets/${sheetId}/results`).set(bearer(staff)).send(body);
    const row = (studentId: string, score: number, extra: object = {}) => ({ studentId, score, assessedOn: today, assessor: '中期考核组', ...extra });
    // the pass mark (60) on both sides: exactly 60 passes, 59.5 does not
    await put({ submit: true, rows: [row(passed, 60), row(failed, 59.5)] }).expect(200);
    await put({ rows: [row(drafted, 90)] }).expect(200); // a draft is not a result yet

    await t.http().post(`/api/v1/cohorts/${cohortId}/streaming`).set(bearer(staff)).send({ decisions: [{ studentId: decided, decision: 'continue', reason: '本人申请' }] }).expect(200);
    const summary = await t.http().get(`/api/v1/cohorts/${cohortId}/streaming`).set(bearer(staff)).expect(200);
    const of = (id: string) => (summary.body.proposals as Proposal[]).find((p) => p.studentId === id);
    expect(of(passed)).toMatchObject({ proposed: 'continue', midTerm: { score: 60, passed: true, passMark: 60 } });
    expect(of(passed)!.basis).toContain('60');
    expect(of(failed)).toMatchObject({ proposed: 'senior-worker-route', midTerm: { score: 59.5, passed: false, passMark: 60 } });
    expect(of(drafted)).toMatchObject({ proposed: null, midTerm: null });
    expect(of(none)).toMatchObject({ proposed: null, midTerm: null });
    expect(of(decided)).toBeUndefined();

    // a correction after submission is a new version: the proposal follows the current one
    await put({ rows: [row(passed, 55, { correctionReason: '复核发现实操作品尺寸超差，更正成绩' })] }).expect(200);
    const corrected = await t.http().get(`/api/v1/cohorts/${cohortId}/streaming`).set(bearer(staff)).expect(200);
    expect((corrected.body.proposals as Proposal[]).find((p) => p.studentId === passed)).toMatchObject({ proposed: 'senior-worker-route', midTerm: { score: 55, passed: false } });
  });
});
