import { MigrationInterface, QueryRunner } from 'typeorm';
import { IS_PROVINCE, tenantTableSql } from './support/rls';

/** The kinds as of this migration (modules/reminders/domain/reminder-kinds.ts); a new kind widens the CHECK in a new migration. */
const KINDS = [
  'reminder.notice-deadline',
  'reminder.public-notice-ending',
  'reminder.mentor-pair-missing',
  'reminder.practice-hours-at-risk',
  'reminder.awaiting-mentor',
  'reminder.awaiting-mentor-escalated',
  'reminder.stage-assessment-missing',
  'reminder.agreement-expiring',
  'reminder.team-non-compliant',
  'reminder.graduate-follow-up',
  'reminder.evaluation',
];

/**
 * Reminders that went out (issue 13). One row per reminder, recipient and day: the unique
 * (tenant, recipient, dedupe key) is what makes a reminder go out once however many
 * workers or retries run the same day (the dedupe key names the kind, the subject, the
 * threshold and the day). Province reminders (public-notice window) have no college and
 * live in a province-owned twin of the same shape.
 */
export class ReminderDeliveries1764501000000 implements MigrationInterface {
  name = 'ReminderDeliveries1764501000000';

  async up(q: QueryRunner): Promise<void> {
    const columns = `
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        day date NOT NULL,
        kind varchar(48) NOT NULL CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(', ')})),
        subject_type varchar(32) NOT NULL,
        subject_id uuid NOT NULL,
        recipient_user_id uuid NOT NULL REFERENCES users(id),
        dedupe_key varchar(200) NOT NULL,
        title varchar(200) NOT NULL,
        body varchar(2000) NOT NULL,
        link varchar(500),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())`;
    const statements = [
      `CREATE TABLE reminder_deliveries (
        tenant_id uuid NOT NULL REFERENCES tenants(id),${columns},
        PRIMARY KEY (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX reminder_deliveries_once_key ON reminder_deliveries (tenant_id, recipient_user_id, dedupe_key)`,
      `CREATE INDEX reminder_deliveries_list_idx ON reminder_deliveries (tenant_id, day DESC, created_at DESC, id)`,
      ...tenantTableSql('reminder_deliveries', 'SELECT, INSERT'),

      `CREATE TABLE province_reminder_deliveries (${columns},
        PRIMARY KEY (id)
      )`,
      `CREATE UNIQUE INDEX province_reminder_deliveries_once_key ON province_reminder_deliveries (recipient_user_id, dedupe_key)`,
      `CREATE INDEX province_reminder_deliveries_list_idx ON province_reminder_deliveries (day DESC, created_at DESC, id)`,
      `ALTER TABLE province_reminder_deliveries ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE province_reminder_deliveries FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY province_reminder_deliveries_province_all ON province_reminder_deliveries USING (${IS_PROVINCE}) WITH CHECK (${IS_PROVINCE})`,
      `GRANT SELECT, INSERT ON province_reminder_deliveries TO app_user`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS province_reminder_deliveries');
    await q.query('DROP TABLE IF EXISTS reminder_deliveries');
  }
}
