import { Test, TestingModule } from '@nestjs/testing';
import { Pool } from 'pg';
import { ConfigModule } from '../../config/config.module';
import { REMINDER_SINK, ReminderNotifyInput, RemindersCoreModule, RemindersService } from '../../modules/reminders';
import { DatabaseModule } from '../../src/database/database.module';
import { seedDemo } from '../../src/database/seed/index';
import { QueueModule } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import { chinaToday } from '../../src/time/china-date';
import { appPool, asTenant, ownerClient } from '../setup/db';

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

  beforeAll(async () => {
    pool = appPool(2);
    const owner = process.env.DATABASE_MIGRATION_URL!;
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
    await pool.end();
  });

  it('a second run inserts no reminder fixtures', () => {
    expect(second.inserted.pilot_notices ?? 0).toBe(0);
    expect(second.inserted.practice_hours_entries ?? 0).toBe(0);
  });

  it('today\'s check at 广州工贸 finds the notice deadline and the hours waiting on the mentor (and the escalation)', async () => {
    const [college] = await asTenant(pool, { scope: 'province' }, async (c) => (await c.query(`SELECT id FROM tenants WHERE code = 'gzgm'`)).rows);
    const today = chinaToday();
    // the demo database is shared by the run: another file (the README's POST /reminders/run) may
    // have sent today's 广州工贸 reminders already, and a sent reminder is never sent again
    const owner = await ownerClient();
    await owner.query(`DELETE FROM reminder_deliveries WHERE tenant_id = $1 AND day = $2`, [college.id, today]).finally(() => owner.end());
    await moduleRef.get(TenantContext).runAsTenant(college.id, () => moduleRef.get(RemindersService).sendDueForCollege(today));
    const kinds = delivered.filter((d) => d.tenantId === college.id && d.dedupeKey.endsWith(today)).map((d) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['reminder.notice-deadline', 'reminder.awaiting-mentor', 'reminder.awaiting-mentor-escalated']));
    const notice = delivered.find((d) => d.kind === 'reminder.notice-deadline' && d.tenantId === college.id)!;
    expect(notice.title).toContain('7天后截止');
    expect(notice.title).toContain('第二批');
  });
});
