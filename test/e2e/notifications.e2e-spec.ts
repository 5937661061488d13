import { DeliveryService, LoggingSmsSender, NotificationsService, PilotEventNotifier, heldJobId, deliverJobId } from '../../modules/notifications';
import { ClsService } from 'nestjs-cls';
import { QueueRegistry, QUEUES } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Clock, setClock } from '../../src/time/clock';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { MailCatcher, sendDirectTo as sendDirectToAddress } from '../setup/mail-catcher';
import { seedNotification } from './matrix/notifications.fixtures';

/** A China wall-clock time today (or `days` from today) as an instant. */
function chinaTime(hhmm: string, days = 0): Date {
  const today = new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
  return new Date(`${today}T${hhmm}:00+08:00`);
}

/**
 * Notifications (issue 13) through the real app and a real SMTP server in this process:
 * invitations, password resets and notifications arrive as Chinese e-mail; quiet hours,
 * preferences, delivery state, and the inbox's isolation.
 */
describe('notifications (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let mail: MailCatcher;
  let context: TenantContext;
  let delivery: DeliveryService;
  let notifications: NotificationsService;
  let collegeA: string;
  let collegeB: string;
  let previousClock: Clock | undefined;

  const api = (path: string) => `/api/v1${path}`;

  const sendDirectTo = (address: string) => sendDirectToAddress(t.app, (sql, params) => f.provinceQuery(sql, params), address);

  /** What the worker's `notifications.deliver` job does. */
  const deliver = (id: string, tenantId: string) => context.runAsTenant(tenantId, () => delivery.deliver(id));

  beforeAll(async () => {
    mail = await MailCatcher.start();
    mail.useForApp();
    t = await bootApp();
    f = await IdentityFactory.open();
    context = t.app.get(TenantContext);
    delivery = t.app.get(DeliveryService, { strict: false });
    notifications = t.app.get(NotificationsService, { strict: false });
    collegeA = await f.tenant({ name: '通知甲技师学院' });
    collegeB = await f.tenant({ name: '通知乙技师学院' });
  });
  afterEach(() => {
    if (previousClock) setClock(previousClock);
    previousClock = undefined;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
    await mail.close();
    for (const k of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE']) delete process.env[k];
  });

  const useClock = (at: Date) => {
    const previous = setClock(Clock.fixed(at));
    previousClock ??= previous;
  };

  describe('invitations are delivered to the invitee, not to the inviter', () => {
    it('e-mail: the response holds no token; the invitee receives a Chinese e-mail whose link token signs them in; the stored body is erased after sending', async () => {
      useClock(chinaTime('10:00'));
      const admin = await f.member('college-admin', { tenantId: collegeA });
      const s = await login(t, admin.email, TEST_PASSWORD);
      const email = `invitee.${Date.now()}@test.demo`;
      const inv = await t.http().post(api('/invitations')).set(bearer(s.accessToken)).send({ email, displayName: '陈静', role: 'college-staff' }).expect(201);
      expect(inv.body.token).toBeUndefined();
      expect(inv.body).toMatchObject({ deliveredBy: 'email', sentTo: `i***@test.demo` });

      await sendDirectTo(email);
      const [m] = mail.to(email);
      expect(m.subject).toBe('邀请您加入技师学院试点管理平台（院校教务人员）');
      expect(m.text).toContain('陈静，您好');
      expect(m.text).toContain('通知甲技师学院');
      const token = /token=([A-Za-z0-9_-]+)/.exec(m.text)![1];
      const accepted = await t.http().post(api('/invitations/accept')).send({ token, password: 'Chen-Jing-2026' }).expect(200);
      expect(accepted.body.membership).toMatchObject({ role: 'college-staff', tenantId: collegeA });
      const stored = await f.provinceQuery(`SELECT body, sent_at FROM direct_messages WHERE address = $1`, [email]);
      expect(stored.rows[0]).toMatchObject({ body: '' });
      expect(stored.rows[0].sent_at).not.toBeNull();
    });

    it('phone only: the code goes by SMS (SmsSender), the log masks the number', async () => {
      const admin = await f.member('college-admin', { tenantId: collegeA });
      const s = await login(t, admin.email, TEST_PASSWORD);
      const phone = `139${String(Date.now()).slice(-8)}`;
      const inv = await t.http().post(api('/invitations')).set(bearer(s.accessToken)).send({ phone, displayName: '周明', role: 'college-mentor' }).expect(201);
      expect(inv.body).toMatchObject({ deliveredBy: 'sms', sentTo: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
      await sendDirectTo(phone);
      const sms = LoggingSmsSender.sentMessages().filter((x) => x.phone === phone);
      expect(sms).toHaveLength(1);
      expect(sms[0].text).toContain('邀请码');
      const token = /邀请码：([A-Za-z0-9_-]+)/.exec(sms[0].text)![1];
      await t.http().post(api('/invitations/accept')).send({ token, password: 'Zhou-Ming-2026' }).expect(200);
    });
  });

  describe('forgotten password', () => {
    async function requestResetMail(email: string): Promise<string> {
      await t.http().post(api('/auth/password-reset')).send({ identifier: email }).expect(202);
      await sendDirectTo(email);
      const m = mail.to(email).at(-1)!;
      expect(m.subject).toBe('重置您的技师学院试点管理平台密码');
      expect(m.text).toContain('30 分钟内');
      return /token=([A-Za-z0-9_-]+)/.exec(m.text)![1];
    }

    it('202 whether or not the account exists (no enumeration); nothing is sent for an unknown address', async () => {
      const unknown = `nobody.${Date.now()}@test.demo`;
      const res = await t.http().post(api('/auth/password-reset')).send({ identifier: unknown }).expect(202);
      const u = await f.member('college-staff', { tenantId: collegeA });
      const known = await t.http().post(api('/auth/password-reset')).send({ identifier: u.email }).expect(202);
      expect(known.body).toEqual(res.body);
      expect((await f.provinceQuery(`SELECT count(*)::int AS n FROM direct_messages WHERE address = $1`, [unknown])).rows[0].n).toBe(0);
    });

    it('the e-mailed link resets the password once: every session is revoked, the new password signs in, the link cannot be used again; both steps are audited', async () => {
      useClock(chinaTime('23:30')); // a reset the user asked for is not held by quiet hours
      const u = await f.member('college-staff', { tenantId: collegeA });
      const session = await login(t, u.email, TEST_PASSWORD);
      const token = await requestResetMail(u.email);
      const weak = await t.http().post(api('/auth/password-reset/confirm')).send({ token, newPassword: 'short1' });
      expect(weak.status).toBe(422);
      await t.http().post(api('/auth/password-reset/confirm')).send({ token, newPassword: 'Reset-Pass-2026' }).expect(204);
      await t.http().post(api('/auth/refresh')).send({ refreshToken: session.refreshToken }).expect(401);
      await t.http().get(api('/auth/me')).set(bearer(session.accessToken)).expect(401);
      await login(t, u.email, 'Reset-Pass-2026');
      const again = await t.http().post(api('/auth/password-reset/confirm')).send({ token, newPassword: 'Other-Pass-2026' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('IDENTITY.RESET_USED');
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY occurred_at`, [u.userId]);
      expect(audit.rows.map((r) => r.action)).toEqual(['password-reset-request', 'password-reset']);
    });

    it('a link is valid for 30 minutes: at 29:59 it works, at 30:01 it is refused with 410', async () => {
      const start = chinaTime('10:00');
      const a = await f.member('college-staff', { tenantId: collegeA });
      const b = await f.member('college-staff', { tenantId: collegeA });
      useClock(start);
      const tokenA = await requestResetMail(a.email);
      const tokenB = await requestResetMail(b.email);
      useClock(new Date(start.getTime() + 29 * 60_000 + 59_000));
      await t.http().post(api('/auth/password-reset/confirm')).send({ token: tokenA, newPassword: 'Reset-Pass-2026' }).expect(204);
      useClock(new Date(start.getTime() + 30 * 60_000 + 1_000));
      const late = await t.http().post(api('/auth/password-reset/confirm')).send({ token: tokenB, newPassword: 'Reset-Pass-2026' });
      expect(late.status).toBe(410);
      expect(late.body.code).toBe('IDENTITY.RESET_EXPIRED');
    });

    it('by phone: a 6-digit SMS code with the phone number resets the password', async () => {
      const u = await f.member('college-staff', { tenantId: collegeA });
      const phone = `137${String(Date.now()).slice(-8)}`;
      await f.query(`UPDATE users SET phone = $2 WHERE id = $1`, [u.userId, phone]);
      await t.http().post(api('/auth/password-reset')).send({ identifier: phone }).expect(202);
      await sendDirectTo(phone);
      const sms = LoggingSmsSender.sentMessages().filter((x) => x.phone === phone).at(-1)!;
      const code = /验证码：(\d{6})/.exec(sms.text)![1];
      const wrong = await t.http().post(api('/auth/password-reset/confirm')).send({ token: code === '000000' ? '000001' : '000000', identifier: phone, newPassword: 'Phone-Pass-2026' });
      expect(wrong.status).toBe(404);
      await t.http().post(api('/auth/password-reset/confirm')).send({ token: code, identifier: phone, newPassword: 'Phone-Pass-2026' }).expect(204);
      await login(t, phone, 'Phone-Pass-2026');
    });

    it('confirming is throttled per identifier: after 5 wrong codes even the right one answers 429', async () => {
      const u = await f.member('college-staff', { tenantId: collegeA });
      const phone = `136${String(Date.now()).slice(-8)}`;
      await f.query(`UPDATE users SET phone = $2 WHERE id = $1`, [u.userId, phone]);
      await t.http().post(api('/auth/password-reset')).send({ identifier: phone }).expect(202);
      await sendDirectTo(phone);
      const code = /验证码：(\d{6})/.exec(LoggingSmsSender.sentMessages().filter((x) => x.phone === phone).at(-1)!.text)![1];
      const wrong = code === '111111' ? '222222' : '111111';
      for (let i = 0; i < 5; i++) {
        await t.http().post(api('/auth/password-reset/confirm')).send({ token: wrong, identifier: phone, newPassword: 'Phone-Pass-2026' }).expect(404);
      }
      const locked = await t.http().post(api('/auth/password-reset/confirm')).send({ token: code, identifier: phone, newPassword: 'Phone-Pass-2026' });
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBeDefined();
    });
  });

  describe('notification e-mail', () => {
    async function notifyOne(userId: string, tenantId: string, title: string) {
      const dedupeKey = `test:${title}:${Date.now()}:${Math.random()}`;
      const r = await context.runAsTenant(tenantId, () =>
        notifications.notify({ tenantId, recipientUserIds: [userId], kind: 'reminder.agreement-expiring', title, body: '与广州某某机械有限公司的校企合作协议将于 60 天内到期，请及时续签。', link: '/api/v1/partnerships', dedupeKey }),
      );
      expect(r.created).toBe(1);
      const row = await f.provinceQuery(`SELECT id FROM notifications WHERE recipient_user_id = $1 AND dedupe_key = $2`, [userId, dedupeKey]);
      return row.rows[0].id as string;
    }

    it('at 21:59 China time the e-mail goes out at once, in Chinese; a retried job does not send it again', async () => {
      useClock(chinaTime('21:59'));
      const u = await f.member('college-staff', { tenantId: collegeA });
      const id = await notifyOne(u.userId, collegeA, '合作协议即将到期');
      expect(await deliver(id, collegeA)).toEqual({ email: 'sent', sms: 'skipped' });
      const got = mail.to(u.email);
      expect(got).toHaveLength(1);
      expect(got[0].subject).toBe('合作协议即将到期');
      expect(got[0].text).toContain('校企合作协议将于 60 天内到期');
      expect(await deliver(id, collegeA)).toEqual({ email: 'done-before', sms: 'done-before' });
      expect(mail.to(u.email)).toHaveLength(1);
    });

    it('a failed send is retried: the SMS that went out the first time is not sent again, the e-mail goes on the retry', async () => {
      useClock(chinaTime('09:00'));
      const u = await f.member('college-staff', { tenantId: collegeA });
      const phone = `135${String(Date.now()).slice(-8)}`;
      await f.query(`UPDATE users SET phone = $2 WHERE id = $1`, [u.userId, phone]);
      const s = await login(t, u.email, TEST_PASSWORD);
      await t.http().put(api('/notifications/preferences')).set(bearer(s.accessToken)).send({ kind: 'reminder.agreement-expiring', inApp: true, email: 'immediate', sms: true }).expect(200);
      const id = await notifyOne(u.userId, collegeA, '重试通知');
      mail.rejectNext = 1;
      await expect(deliver(id, collegeA)).rejects.toThrow(/try again later/);
      expect(LoggingSmsSender.sentMessages().filter((m) => m.phone === phone)).toHaveLength(1);
      expect(mail.to(u.email)).toHaveLength(0);
      expect(await deliver(id, collegeA)).toEqual({ email: 'sent', sms: 'done-before' });
      expect(LoggingSmsSender.sentMessages().filter((m) => m.phone === phone)).toHaveLength(1);
      expect(mail.to(u.email)).toHaveLength(1);
      expect(mail.to(u.email)[0].subject).toBe('重试通知');
    });

    it('at 23:00 China time the e-mail is held: a delayed job releases it at 07:00, nothing is sent now', async () => {
      const at = chinaTime('23:00');
      useClock(at);
      const u = await f.member('college-staff', { tenantId: collegeA });
      const id = await notifyOne(u.userId, collegeA, '夜间通知');
      const seven = chinaTime('07:00', 1);
      expect(await deliver(id, collegeA)).toEqual({ heldUntil: seven.toISOString() });
      expect(mail.to(u.email)).toHaveLength(0);
      const job = await t.app.get(QueueRegistry).get(QUEUES.notifications).getJob(heldJobId(deliverJobId(id), seven));
      expect(job?.name).toBe('notifications.deliver');
      expect(job?.opts.delay).toBe(8 * 3_600_000);
      await job?.remove();
    });

    it('e-mail turned off for the kind: nothing is sent (recorded skipped); in-app turned off hides it from the inbox', async () => {
      useClock(chinaTime('10:00'));
      const u = await f.member('college-staff', { tenantId: collegeA });
      const s = await login(t, u.email, TEST_PASSWORD);
      await t.http().put(api('/notifications/preferences')).set(bearer(s.accessToken)).send({ kind: 'reminder.agreement-expiring', inApp: false, email: 'off', sms: false }).expect(200);
      const id = await notifyOne(u.userId, collegeA, '关闭邮件的通知');
      expect(await deliver(id, collegeA)).toEqual({ email: 'skipped', sms: 'skipped' });
      expect(mail.to(u.email)).toHaveLength(0);
      const inbox = await t.http().get(api('/notifications')).set(bearer(s.accessToken)).expect(200);
      expect(inbox.body.items.map((n: { id: string }) => n.id)).not.toContain(id);
      const prefs = await t.http().get(api('/notifications/preferences')).set(bearer(s.accessToken)).expect(200);
      expect(prefs.body.items.find((p: { kind: string }) => p.kind === 'reminder.agreement-expiring')).toMatchObject({ inApp: false, email: 'off', name: '合作协议即将到期' });
    });

    it('digest: the e-mail waits for the daily summary, which sends one Chinese e-mail per user', async () => {
      useClock(chinaTime('10:00'));
      const u = await f.member('college-staff', { tenantId: collegeA });
      const s = await login(t, u.email, TEST_PASSWORD);
      await t.http().put(api('/notifications/preferences')).set(bearer(s.accessToken)).send({ kind: 'reminder.agreement-expiring', inApp: true, email: 'digest', sms: false }).expect(200);
      const one = await notifyOne(u.userId, collegeA, '汇总一');
      const two = await notifyOne(u.userId, collegeA, '汇总二');
      expect((await deliver(one, collegeA)).valueOf()).toMatchObject({ email: 'digest' });
      await deliver(two, collegeA);
      expect(mail.to(u.email)).toHaveLength(0);
      await context.runAsProvinceSystem(() => delivery.sendDigests());
      const got = mail.to(u.email);
      expect(got).toHaveLength(1);
      expect(got[0].subject).toBe('【每日通知汇总】共 2 条');
      expect(got[0].text).toContain('汇总一');
      await context.runAsProvinceSystem(() => delivery.sendDigests());
      expect(mail.to(u.email)).toHaveLength(1);
    });
  });

  describe('notify and the inbox', () => {
    it('the same (recipient, dedupeKey) twice is one notification', async () => {
      const u = await f.member('college-staff', { tenantId: collegeA });
      const input = { tenantId: collegeA, recipientUserIds: [u.userId], kind: 'reminder.evaluation' as const, title: '评估提醒', body: '中期评估将于下周进行。', dedupeKey: `dedupe:${u.userId}` };
      expect(await context.runAsTenant(collegeA, () => notifications.notify(input))).toEqual({ created: 1 });
      expect(await context.runAsTenant(collegeA, () => notifications.notify(input))).toEqual({ created: 0 });
      // a province-system job without a transaction notifies about a college: written as that college
      expect(await context.runAsProvinceSystem(() => notifications.notify(input))).toEqual({ created: 0 });
    });

    it('notify inside a signed-in college user’s transaction writes other people’s inbox rows it cannot read (RLS), and a repeat is still one', async () => {
      const writer = await f.member('college-admin', { tenantId: collegeA });
      const a = await f.member('college-staff', { tenantId: collegeA });
      const b = await f.member('college-staff', { tenantId: collegeA });
      const cls = t.app.get(ClsService);
      const asWriter = <T>(fn: () => Promise<T>) =>
        cls.run(async () => {
          cls.set('actor', { userId: writer.userId, membershipId: writer.membershipId, scope: 'college', role: 'college-admin', tenantId: collegeA });
          return fn();
        });
      const input = { tenantId: collegeA, recipientUserIds: [a.userId, b.userId], kind: 'reminder.team-non-compliant' as const, title: '教学团队不达标', body: '请补充企业导师。', dedupeKey: `writer:${writer.userId}` };
      expect(await asWriter(() => notifications.notify(input))).toEqual({ created: 2 });
      expect(await asWriter(() => notifications.notify({ ...input, recipientUserIds: [a.userId, b.userId, writer.userId] }))).toEqual({ created: 1 });
      const jobs = await f.provinceQuery(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'notifications.deliver' AND payload->>'notificationId' IN (SELECT id::text FROM notifications WHERE dedupe_key = $1)`, [input.dedupeKey]);
      expect(jobs.rows[0].n).toBe(3);
    });

    it('a pilot event notifies the college admins of that college, in Chinese', async () => {
      const admin = await f.member('college-admin', { tenantId: collegeA });
      const staff = await f.member('college-staff', { tenantId: collegeA });
      const subjectId = (await f.query('SELECT gen_random_uuid() AS id')).rows[0].id;
      const notifier = t.app.get(PilotEventNotifier, { strict: false });
      await context.runAsTenant(collegeA, () => notifier.handle({ tenantId: collegeA, event: 'application-returned', subjectId }));
      const s = await login(t, admin.email, TEST_PASSWORD);
      const inbox = await t.http().get(api('/notifications')).set(bearer(s.accessToken)).expect(200);
      expect(inbox.body.items[0]).toMatchObject({ kind: 'pilot-event', title: '试点申报被退回修改', link: `/api/v1/pilot-applications/${subjectId}`, tenantId: collegeA });
      const other = await login(t, staff.email, TEST_PASSWORD);
      expect((await t.http().get(api('/notifications')).set(bearer(other.accessToken)).expect(200)).body.items).toEqual([]);
    });

    it('keyset pages, unread filter and count, mark one and mark all read', async () => {
      const u = await f.member('college-staff', { tenantId: collegeA });
      const ids = [];
      // a second apart: rows written within one millisecond tie on created_at and are ordered by id
      const base = Date.now() - 60_000;
      for (const [i, title] of ['第一条', '第二条', '第三条'].entries()) ids.push(await seedNotification(f, u.userId, collegeA, title, new Date(base + i * 1_000)));
      const s = await login(t, u.email, TEST_PASSWORD);
      const get = (path: string) => t.http().get(api(path)).set(bearer(s.accessToken));
      expect((await get('/notifications/unread-count').expect(200)).body).toEqual({ count: 3 });
      const p1 = await get('/notifications?limit=2').expect(200);
      expect(p1.body.items.map((n: { title: string }) => n.title)).toEqual(['第三条', '第二条']);
      const p2 = await get(`/notifications?limit=2&cursor=${p1.body.nextCursor}`).expect(200);
      expect(p2.body.items.map((n: { title: string }) => n.title)).toEqual(['第一条']);
      expect(p2.body.nextCursor).toBeNull();
      await t.http().post(api(`/notifications/${ids[0]}/read`)).set(bearer(s.accessToken)).expect(204);
      expect((await get('/notifications/unread-count')).body).toEqual({ count: 2 });
      expect((await get('/notifications?unread=true')).body.items).toHaveLength(2);
      expect((await t.http().post(api('/notifications/read-all')).set(bearer(s.accessToken)).send({}).expect(200)).body).toEqual({ marked: 2 });
      expect((await get('/notifications/unread-count')).body).toEqual({ count: 0 });
    });

    it('another user’s notification is 404; so is the owner’s own notification of college A while they act for college B', async () => {
      const owner = await f.member('college-staff', { tenantId: collegeA });
      const membershipB = await f.addMembership(owner.userId, 'college-staff', { tenantId: collegeB });
      const id = await seedNotification(f, owner.userId, collegeA, '甲校的通知');
      const stranger = await f.member('college-staff', { tenantId: collegeA });
      const s = await login(t, stranger.email, TEST_PASSWORD);
      const res = await t.http().post(api(`/notifications/${id}/read`)).set(bearer(s.accessToken));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOTIFICATIONS.NOT_FOUND');
      const asB = await login(t, owner.email, TEST_PASSWORD, membershipB);
      await t.http().post(api(`/notifications/${id}/read`)).set(bearer(asB.accessToken)).expect(404);
      expect((await t.http().get(api('/notifications')).set(bearer(asB.accessToken)).expect(200)).body.items).toEqual([]);
      const asA = await login(t, owner.email, TEST_PASSWORD, (await login(t, owner.email, TEST_PASSWORD)).memberships.find((m) => m.id !== membershipB)!.id);
      await t.http().post(api(`/notifications/${id}/read`)).set(bearer(asA.accessToken)).expect(204);
      const read = await f.provinceQuery(`SELECT read_at FROM notifications WHERE id = $1`, [id]);
      expect(read.rows[0].read_at).not.toBeNull();
    });
  });
});
