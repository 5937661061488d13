import { randomBytes } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { Pool } from 'pg';
import { ConfigModule } from '../../config/config.module';
import { REMINDER_SINK, ReminderNotifyInput, RemindersCoreModule, RemindersService } from '../../modules/reminders';
import { DatabaseModule } from '../../src/database/database.module';
import { runMigrations } from '../../src/database/migrate';
import { bootstrapDatabase, dropDatabase } from '../../src/database/roles';
import { seedDemo } from '../../src/database/seed/index';
import { QueueModule } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import { chinaToday } from '../../src/time/china-date';
import { appPool, asTenant } from '../setup/db';

/**
 * Issue 13 demo: the seed leaves reminders due on the demo's first day (relative to today):
 * the second-round notice 7 days before its deadline, and hours entries waiting on the
 * enterprise mentor for more than 3 and more than 7 days. A second seed run inserts nothing.
 */
describe('reminders demo seed', () => {
  let moduleRef: TestingModule;
  let pool: Pool;
  let second: Awaited<ReturnType<typeof seedDemo>>;
  const delivered: ReminderNotifyInput[] = [];

  // Its own database: the run's shared one holds the demo as other files left it (the README's
  // examples confirm hours entries, the pilot tests submit applications), and this test is about
  // the demo's first start.
  const database = `jishi_reminders_seed_${randomBytes(4).toString('hex')}`;
  const shared = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_MIGRATION_URL: process.env.DATABASE_MIGRATION_URL };

  beforeAll(async () => {
    const targets = await bootstrapDatabase(process.env.TEST_DATABASE_ADMIN_URL!, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
    await runMigrations(targets.ownerUrl);
    Object.assign(process.env, { DATABASE_URL: targets.appUrl, DATABASE_MIGRATION_URL: targets.ownerUrl });
    pool = appPool(2);
    const owner = targets.ownerUrl;
    await seedDemo(owner);
    second = await seedDemo(owner);
    moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, RemindersCoreModule] })
      .overrideProvider(REMINDER_SINK)
      .useValue({ notify: async (input: ReminderNotifyInput) => (delivered.push(input), { created: input.recipientUserIds.length }) })
      .compile();
    await moduleRef.init();
  }, 180_000);
  afterAll(async () => {
    await moduleRef?.close();
    await pool?.end();
    Object.assign(process.env, shared);
    await dropDatabase(process.env.TEST_DATABASE_ADMIN_URL!, database);
  });

  it('a second run inserts no reminder fixtures', () => {
    expect(second.inserted.pilot_notices ?? 0).toBe(0);
    expect(second.inserted.practice_hours_entries ?? 0).toBe(0);
  });

  it('today\'s check at 广州工贸 finds the notice deadline and the hours waiting on the mentor (and the escalation)', async () => {
    const [college] = await asTenant(pool, { scope: 'province' }, async (c) => (await c.query(`SELECT id FROM tenants WHERE code = 'gzgm'`)).rows);
    const today = chinaToday();
    await moduleRef.get(TenantContext).runAsTenant(college.id, () => moduleRef.get(RemindersService).sendDueForCollege(today));
    const kinds = delivered.filter((d) => d.tenantId === college.id && d.dedupeKey.endsWith(today)).map((d) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['reminder.notice-deadline', 'reminder.awaiting-mentor', 'reminder.awaiting-mentor-escalated']));
    const notice = delivered.find((d) => d.kind === 'reminder.notice-deadline' && d.tenantId === college.id)!;
    expect(notice.title).toContain('7天后截止');
    expect(notice.title).toContain('第二批');
  });
});
