import { chinaToday } from '../../src/time/china-date';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { daysFromToday } from '../setup/dates';
import { agreementIn, attachmentIn, partnershipIn } from './matrix/enterprises.fixtures';

/** Issue 13 reminders through the HTTP API: a college admin runs today's check; staff list what went out. */
describe('reminders (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let collegeA: string;
  let adminA: string;
  let adminUserA: string;
  let staffA: string;
  let adminB: string;
  let province: string;
  let mentorA: string;
  let agreementId: string;

  const get = (path: string, token: string, query: Record<string, string> = {}) => t.http().get(`/api/v1${path}`).query(query).set(bearer(token));
  const run = (token: string) => t.http().post('/api/v1/reminders/run').set(bearer(token)).send();

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    collegeA = await f.tenant({ name: '提醒甲技师学院' });
    const collegeB = await f.tenant({ name: '提醒乙技师学院' });
    const a = await f.member('college-admin', { tenantId: collegeA });
    adminUserA = a.userId;
    adminA = (await login(t, a.email, TEST_PASSWORD)).accessToken;
    staffA = (await login(t, (await f.member('college-staff', { tenantId: collegeA })).email, TEST_PASSWORD)).accessToken;
    mentorA = (await login(t, (await f.member('college-mentor', { tenantId: collegeA })).email, TEST_PASSWORD)).accessToken;
    adminB = (await login(t, (await f.member('college-admin', { tenantId: collegeB })).email, TEST_PASSWORD)).accessToken;
    province = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    // R-TRN-1: a signed agreement whose term ends 60 days from today is due today.
    const enterpriseId = await f.enterprise('提醒测试精工有限公司');
    const partnershipId = await partnershipIn(f, collegeA, enterpriseId, 'active');
    const attachmentId = await attachmentIn(f, collegeA, adminUserA);
    agreementId = await agreementIn(f, collegeA, partnershipId, { status: 'signed', termEnd: daysFromToday(60), attachmentId });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-TRN-1 a college admin runs today\'s check: the expiring agreement goes out once, a second run sends nothing more', async () => {
    const first = await run(adminA).expect(200);
    expect(first.body.day).toBe(chinaToday());
    expect(first.body.byKind).toEqual(expect.arrayContaining([{ kind: 'reminder.agreement-expiring', delivered: 2 }]));
    const second = await run(adminA).expect(200);
    expect(second.body.delivered).toBe(0);
    // delivered through the notifications module: once in the admin's inbox
    const inbox = await get('/notifications', adminA, { limit: '50' }).expect(200);
    const mine = inbox.body.items.filter((n: { kind: string; link: string }) => n.kind === 'reminder.agreement-expiring' && n.link === `/agreements/${agreementId}`);
    expect(mine).toHaveLength(1);
    expect(mine[0].title).toContain('60天后到期');

    const sent = await get('/reminders/sent', staffA, { kind: 'reminder.agreement-expiring', day: chinaToday() }).expect(200);
    expect(sent.body.items).toHaveLength(2);
    expect(sent.body.items[0]).toMatchObject({ subjectId: agreementId, kindName: '合作协议即将到期提醒', link: `/agreements/${agreementId}`, tenantId: collegeA });
    expect(sent.body.items[0].title).toContain('60天后到期');
  });

  it('another college sees none of it; the province sees it', async () => {
    const other = await get('/reminders/sent', adminB, { kind: 'reminder.agreement-expiring' }).expect(200);
    expect(other.body.items).toEqual([]);
    const all = await get('/reminders/sent', province, { kind: 'reminder.agreement-expiring', day: chinaToday() }).expect(200);
    expect(all.body.items.map((i: { subjectId: string }) => i.subjectId)).toContain(agreementId);
  });

  it('pages with a cursor, newest first', async () => {
    const page1 = await get('/reminders/sent', staffA, { limit: '1' }).expect(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await get('/reminders/sent', staffA, { limit: '1', cursor: page1.body.nextCursor }).expect(200);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
  });

  it('refuses a bad kind, a bad day and a forged cursor with a 400 in Chinese; a mentor may not look, staff may not run', async () => {
    const kind = await get('/reminders/sent', staffA, { kind: 'reminder.nonsense' });
    expect(kind.status).toBe(400);
    expect(kind.headers['content-type']).toContain('application/problem+json');
    expect((await get('/reminders/sent', staffA, { day: '2026-02-30' })).status).toBe(400);
    expect((await get('/reminders/sent', staffA, { cursor: 'bm90LWEtY3Vyc29y' })).status).toBe(400);
    expect((await get('/reminders/sent', mentorA)).status).toBe(403);
    expect((await run(staffA)).status).toBe(403);
  });
});
