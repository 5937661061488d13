import { randomBytes } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { Transactional } from '@nestjs-cls/transactional';
import { NotificationsService } from '../../modules/notifications';
import { runMigrations } from '../../src/database/migrate';
import { bootstrapDatabase, dropDatabase } from '../../src/database/roles';
import { OutboxService, QueueRegistry, QUEUES } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Clock, setClock } from '../../src/time/clock';
import { WorkerModule } from '../../src/worker.module';
import { IdentityFactory } from '../factories/identity.factory';
import { MailCatcher } from '../setup/mail-catcher';

process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jtn${randomBytes(4).toString('hex')}`;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The worker process as built by src/worker.module.ts: outbox relay → BullMQ → NotificationsProcessor → SMTP. */
describe('notifications worker (integration)', () => {
  let worker: TestingModule;
  let f: IdentityFactory;
  let mail: MailCatcher;
  let context: TenantContext;
  let previous: Clock | undefined;

  // Its own database: the worker's relay dispatches every pending outbox row, and the run's shared
  // database holds the unrelayed jobs of every file before this one (reports, imports, KPI
  // refreshes…): late in a run the worker was still on that backlog when these tests timed out.
  const database = `jishi_notifications_worker_${randomBytes(4).toString('hex')}`;
  const shared = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_MIGRATION_URL: process.env.DATABASE_MIGRATION_URL };

  beforeAll(async () => {
    const targets = await bootstrapDatabase(process.env.TEST_DATABASE_ADMIN_URL!, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
    await runMigrations(targets.ownerUrl);
    Object.assign(process.env, { DATABASE_URL: targets.appUrl, DATABASE_MIGRATION_URL: targets.ownerUrl });
    mail = await MailCatcher.start();
    mail.useForApp();
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
    // daytime in China, so no e-mail is held by quiet hours (the clock is the process's: set after boot)
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    previous = setClock(Clock.fixed(`${today}T10:00:00+08:00`));
    f = await IdentityFactory.open();
    context = worker.get(TenantContext);
  });
  afterAll(async () => {
    if (previous) setClock(previous);
    await worker?.get(QueueRegistry).get(QUEUES.notifications).obliterate({ force: true }).catch(() => undefined);
    await f?.close();
    await worker?.close();
    await mail?.close();
    for (const k of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE']) delete process.env[k];
    Object.assign(process.env, shared);
    await dropDatabase(process.env.TEST_DATABASE_ADMIN_URL!, database);
  });

  it('notify → the outbox relays notifications.deliver → the worker sends the Chinese e-mail once and records it', async () => {
    const college = await f.tenant({ name: '工作进程测试技师学院' });
    const u = await f.member('college-staff', { tenantId: college });
    const notifications = worker.get(NotificationsService, { strict: false });
    const r = await context.runAsTenant(college, () =>
      notifications.notify({ tenantId: college, recipientUserIds: [u.userId], kind: 'reminder.graduate-follow-up', title: '毕业生回访到期', body: '请登记毕业生毕业 6 个月后的就业情况。', dedupeKey: `worker:${u.userId}` }),
    );
    expect(r).toEqual({ created: 1 });
    const [m] = await until('the e-mail', () => (mail.to(u.email).length ? mail.to(u.email) : undefined));
    expect(m.subject).toBe('毕业生回访到期');
    expect(m.text).toContain('请登记毕业生毕业 6 个月后的就业情况');
    const rows = await until('the delivery record', async () => {
      const q = await f.provinceQuery(`SELECT d.channel, d.status FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_user_id = $1 ORDER BY d.channel`, [u.userId]);
      return q.rows.length === 2 ? q.rows : undefined;
    });
    expect(rows).toEqual([{ channel: 'email', status: 'sent' }, { channel: 'sms', status: 'skipped' }]);
  });

  it('a notifications.pilot-event job (as the pilots module enqueues it) notifies every college admin of that college in Chinese', async () => {
    const college = await f.tenant({ name: '试点事件测试技师学院' });
    const admins = [await f.member('college-admin', { tenantId: college }), await f.member('college-admin', { tenantId: college })];
    const outbox = worker.get(OutboxService);
    const subjectId = (await f.query('SELECT gen_random_uuid() AS id')).rows[0].id as string;
    class Enqueuer {
      @Transactional()
      run() {
        return outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: college, event: 'evaluation-scheduled', subjectId });
      }
    }
    await context.runAsTenant(college, () => new Enqueuer().run());
    for (const a of admins) {
      const [m] = await until(`the e-mail to ${a.email}`, () => (mail.to(a.email).length ? mail.to(a.email) : undefined));
      expect(m.subject).toBe('试点评估已安排');
      expect(m.text).toContain(`/api/v1/pilot-evaluations/${subjectId}`);
    }
    const inbox = await f.provinceQuery(`SELECT count(*)::int AS n FROM notifications WHERE tenant_id = $1 AND kind = 'pilot-event'`, [college]);
    expect(inbox.rows[0].n).toBe(2);
  });
});
