import { randomBytes } from 'node:crypto';
import { Client, Pool, PoolClient } from 'pg';
import type { AppConfig } from '../../config/app-config';
import { chinaDaysFromToday } from '../../src/time/china-date';
import { IdentityFactory } from '../factories/identity.factory';
import { describeTables, insertRow, ROW_OVERRIDES, RowContext, TableInfo } from '../factories/tenant-rows';
import { asTenant } from '../setup/db';

/**
 * A college with something due of several reminder kinds on one day, for
 * test/faults/scale-out.faults-spec.ts (the seeding follows test/integration/reminders.int-spec.ts).
 * `expected` lists each reminder delivery due that day as `kind:variant>recipientUserId`.
 */

const DAY_MS = 86_400_000;
export const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The first day at least `n` days from the clock's today that falls on the ISO weekday (1 = Monday … 7 = Sunday). */
export function weekdayFrom(n: number, isoDay: number): string {
  let d = chinaDaysFromToday(n);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== isoDay % 7) d = shiftDay(d, 1);
  return d;
}

/** A China instant on a day (10:00 in Shanghai). */
const at = (day: string) => `${day}T10:00:00+08:00`;

export interface ReminderCollege {
  tenantId: string;
  /** `kind:variant>recipientUserId`, one per delivery due on the day */
  expected: string[];
  /** the open public-notice batch ending the day after (a province reminder) */
  batchId: string;
}

export async function seedReminderCollege(f: IdentityFactory, owner: Client, pool: Pool, day: string, config: AppConfig): Promise<ReminderCollege> {
  if (new Date(`${day}T00:00:00Z`).getUTCDay() !== config.REMINDER_WEEKLY_ISO_DAY % 7) throw new Error(`${day} is not the weekly reminders' day`);
  const found = await owner.query(
    `SELECT DISTINCT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attname = 'tenant_id' AND NOT a.attisdropped AND c.relname NOT IN ('memberships')`,
  );
  const tables: Map<string, TableInfo> = await describeTables(owner, found.rows.map((r) => r.relname));

  const tenantId = await f.tenant({ name: `扩展提醒技师学院${randomBytes(2).toString('hex')}` });
  const enterpriseId = await f.enterprise();
  const admin = await f.member('college-admin', { tenantId });
  const staff = await f.member('college-staff', { tenantId });
  const entAdmin = await f.member('enterprise-admin', { tenantId, enterpriseId });
  const entMentorUser = await f.member('enterprise-mentor', { tenantId, enterpriseId });
  const collegeMentorUser = await f.member('college-mentor', { tenantId });
  await f.member('province-admin');

  const make = async (ctx: RowContext, table: string, values: Record<string, unknown>): Promise<Record<string, any>> => {
    const previous = ROW_OVERRIDES[table];
    ROW_OVERRIDES[table] = async (c) => ({ ...(previous ? await previous(c) : {}), ...values });
    try {
      return await insertRow(ctx, table);
    } finally {
      if (previous) ROW_OVERRIDES[table] = previous;
      else delete ROW_OVERRIDES[table];
    }
  };

  await asTenant(pool, { tenantId }, async (tx: PoolClient) => {
    const ctx: RowContext = { tenantId, tx, owner, tables };
    const cohort = await make(ctx, 'cohorts', { name: '2025级数控加工技师班（扩展）', status: 'started', started_at: new Date() });
    const collegeMentor = await make(ctx, 'staff_members', { side: 'college', name: '陈老师', user_id: collegeMentorUser.userId });
    const enterpriseMentor = await make(ctx, 'staff_members', { side: 'enterprise', enterprise_id: enterpriseId, name: '黄师傅', user_id: entMentorUser.userId });
    const student = (name: string) =>
      make(ctx, 'students', { cohort_id: cohort.id, programme_id: cohort.programme_id, name, status: 'enrolled', enrolled_on: chinaDaysFromToday(-400), left_on: null });
    const mentor = (studentId: string, side: 'college' | 'enterprise') =>
      make(ctx, 'mentorships', {
        student_id: studentId, side, staff_member_id: side === 'college' ? collegeMentor.id : enterpriseMentor.id,
        started_on: chinaDaysFromToday(-30), ended_on: null, end_reason: null,
      });
    const placement = (studentId: string, values: Record<string, unknown>) =>
      make(ctx, 'placements', { student_id: studentId, enterprise_id: enterpriseId, stage_index: 0, stage_name: '数控车床操作实践', ...values });

    // a paired student on a running stage, nothing confirmed (hours at risk), two entries waiting on the enterprise mentor
    const paired = await student('周强');
    await mentor(paired.id, 'college');
    await mentor(paired.id, 'enterprise');
    const running = await placement(paired.id, { planned_hours: 200, starts_on: shiftDay(day, -30), ends_on: shiftDay(day, 60) });
    for (const waited of [config.REMINDER_MENTOR_WAIT_DAYS + 1, Math.max(config.REMINDER_ESCALATE_WAIT_DAYS, config.REMINDER_MENTOR_WAIT_DAYS + 1) + 1]) {
      await make(ctx, 'practice_hours_entries', {
        placement_id: running.id, student_id: paired.id, work_date: shiftDay(day, -waited), starts_at: '08:00', ends_at: '12:00',
        status: 'pending', decided_by: null, decided_at: null, rejection_reason: null, created_at: at(shiftDay(day, -waited)),
      });
    }
    // a student with no mentor at all, and one with only the enterprise mentor whose stage ended the day before without its assessment
    await student('王芳');
    const half = await student('张伟');
    await mentor(half.id, 'enterprise');
    await placement(half.id, { planned_hours: 80, starts_on: shiftDay(day, -40), ends_on: shiftDay(day, -1) });
    // a team with no members (not compliant), and an agreement whose term ends REMINDER_AGREEMENT_EXPIRY_DAYS after the day
    await make(ctx, 'teams', { programme_id: cohort.programme_id, name: '数控教学和考评团队（扩展）' });
    const partnership = await make(ctx, 'partnerships', { programme_id: cohort.programme_id, enterprise_id: enterpriseId, status: 'active' });
    const file = await make(ctx, 'attachments', {});
    await make(ctx, 'agreements', {
      partnership_id: partnership.id, enterprise_party_name: '广州精密数控有限公司', status: 'signed', signed_on: chinaDaysFromToday(-300),
      signed_file_attachment_id: file.id, term_start: chinaDaysFromToday(-300), term_end: shiftDay(day, config.REMINDER_AGREEMENT_EXPIRY_DAYS),
    });
  });

  // province: a public-notice window ending the day after
  const batch = await f.provinceQuery(
    `INSERT INTO pilot_publicity_batches (title, published_on, computed_ends_on, ends_on, provisional) VALUES ('扩展演练试点专业公示', $1, $2, $2, false) RETURNING id`,
    [shiftDay(day, -6), shiftDay(day, 1)],
  );

  const mentorAfter = config.REMINDER_MENTOR_WAIT_DAYS;
  const escalateAfter = Math.max(config.REMINDER_ESCALATE_WAIT_DAYS, mentorAfter + 1);
  const due: [string, string[]][] = [
    [`reminder.agreement-expiring:${config.REMINDER_AGREEMENT_EXPIRY_DAYS}d`, [admin.userId, staff.userId, entAdmin.userId]],
    [`reminder.awaiting-mentor:${mentorAfter}d`, [entMentorUser.userId]],
    [`reminder.awaiting-mentor-escalated:${escalateAfter}d`, [entAdmin.userId]],
    ['reminder.mentor-pair-missing:weekly', [admin.userId, staff.userId]],
    ['reminder.practice-hours-at-risk:weekly', [collegeMentorUser.userId, entMentorUser.userId]],
    ['reminder.team-non-compliant:weekly', [admin.userId]],
    ['reminder.stage-assessment-missing:1d', [entMentorUser.userId]],
  ];
  return { tenantId, batchId: batch.rows[0].id, expected: due.flatMap(([reminder, users]) => users.map((u) => `${reminder}>${u}`)).sort() };
}
