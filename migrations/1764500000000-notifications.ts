import { MigrationInterface, QueryRunner } from 'typeorm';
import { controlTableSql, CURRENT_TENANT, IS_PROVINCE } from './support/rls';

/** The signed-in user, pinned with the tenant (src/tenancy/tenant-pinning.adapter.ts); NULL for jobs and anonymous requests. */
const CURRENT_USER = "NULLIF(current_setting('app.user_id', true), '')::uuid";
/** A job or system task (no user) reads the rows of the college it acts for; with province scope, every row. */
const SYSTEM_READS = `(${CURRENT_USER} IS NULL AND ((${CURRENT_TENANT} IS NOT NULL AND tenant_id = ${CURRENT_TENANT}) OR ${IS_PROVINCE}))`;
/** It writes only its own college's rows; with province scope, only province-level rows (tenant_id NULL). */
const SYSTEM_WRITES = `(${CURRENT_USER} IS NULL AND tenant_id IS NOT DISTINCT FROM ${CURRENT_TENANT} AND (${CURRENT_TENANT} IS NOT NULL OR ${IS_PROVINCE}))`;
/** The owner, acting for the college the row belongs to (or for any college when the row is province-level). */
const OWNER_SEES = `(recipient_user_id = ${CURRENT_USER} AND (tenant_id IS NULL OR tenant_id = ${CURRENT_TENANT} OR ${IS_PROVINCE}))`;
/**
 * Anyone creates rows of the college they act for; province scope and anonymous requests
 * (password reset) create province-level rows only. A province job that tells a college
 * something runs as that college (TenantContext.runAsTenant).
 */
const WRITER_MAY_CREATE = `(tenant_id IS NOT DISTINCT FROM ${CURRENT_TENANT})`;

/**
 * Notifications (issue 13).
 *
 * The inbox belongs to a user, not to a college: a user may hold memberships in several
 * colleges, and province users have none. So `tenant_id` (nullable: province-level) says
 * which college a notification is about, and RLS shows a row to its recipient only —
 * `app.user_id` is pinned with the tenant — and only while they act for that college (or
 * for the province); a job sees the rows of the college it runs for (province scope: all)
 * and writes only those (province scope: province-level rows only).
 * The unique key is (recipient, dedupe key), not led by tenant_id: "one notification,
 * ever" is per recipient whatever college the caller acted for.
 */
export class Notifications1764500000000 implements MigrationInterface {
  name = 'Notifications1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id),
        recipient_user_id uuid NOT NULL REFERENCES users(id),
        kind varchar(64) NOT NULL,
        title varchar(200) NOT NULL,
        body varchar(2000) NOT NULL,
        link varchar(500),
        dedupe_key varchar(200) NOT NULL,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
      )`,
      `CREATE UNIQUE INDEX notifications_recipient_dedupe_key ON notifications (recipient_user_id, dedupe_key)`,
      `CREATE INDEX notifications_inbox_idx ON notifications (recipient_user_id, created_at DESC, id DESC)`,
      `CREATE INDEX notifications_unread_idx ON notifications (recipient_user_id, created_at DESC, id DESC) WHERE read_at IS NULL`,
      `ALTER TABLE notifications ALTER COLUMN tenant_id SET DEFAULT ${CURRENT_TENANT}`,
      `ALTER TABLE notifications ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE notifications FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY notifications_owner_read ON notifications FOR SELECT USING (${OWNER_SEES})`,
      `CREATE POLICY notifications_owner_mark ON notifications FOR UPDATE USING (${OWNER_SEES}) WITH CHECK (${OWNER_SEES})`,
      `CREATE POLICY notifications_system_read ON notifications FOR SELECT USING (${SYSTEM_READS})`,
      `CREATE POLICY notifications_system_write ON notifications FOR UPDATE USING (${SYSTEM_WRITES}) WITH CHECK (${SYSTEM_WRITES})`,
      `CREATE POLICY notifications_create ON notifications FOR INSERT WITH CHECK (${WRITER_MAY_CREATE})`,
      `GRANT SELECT, INSERT, UPDATE ON notifications TO app_user`,

      // Delivery state per notification and channel: a retried job never sends a delivered message again.
      `CREATE TABLE notification_deliveries (
        notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        channel varchar(8) NOT NULL CHECK (channel IN ('email','sms')),
        tenant_id uuid REFERENCES tenants(id),
        recipient_user_id uuid NOT NULL REFERENCES users(id),
        status varchar(16) NOT NULL CHECK (status IN ('sent','digest','skipped')),
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (notification_id, channel)
      )`,
      `CREATE INDEX notification_deliveries_digest_idx ON notification_deliveries (recipient_user_id, created_at) WHERE status = 'digest'`,
      `ALTER TABLE notification_deliveries ALTER COLUMN tenant_id SET DEFAULT ${CURRENT_TENANT}`,
      `ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE notification_deliveries FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY notification_deliveries_system_read ON notification_deliveries FOR SELECT USING (${SYSTEM_READS})`,
      `CREATE POLICY notification_deliveries_system_insert ON notification_deliveries FOR INSERT WITH CHECK (${SYSTEM_WRITES})`,
      `CREATE POLICY notification_deliveries_system_update ON notification_deliveries FOR UPDATE USING (${SYSTEM_WRITES}) WITH CHECK (${SYSTEM_WRITES})`,
      `GRANT SELECT, INSERT, UPDATE ON notification_deliveries TO app_user`,

      // Per user, per kind: which channels. No row = in-app and immediate e-mail, no SMS.
      `CREATE TABLE notification_preferences (
        user_id uuid NOT NULL REFERENCES users(id),
        kind varchar(64) NOT NULL,
        in_app boolean NOT NULL DEFAULT true,
        email varchar(16) NOT NULL DEFAULT 'immediate' CHECK (email IN ('off','immediate','digest')),
        sms boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, kind)
      )`,
      `ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY notification_preferences_owner ON notification_preferences USING (user_id = ${CURRENT_USER}) WITH CHECK (user_id = ${CURRENT_USER})`,
      `CREATE POLICY notification_preferences_system_read ON notification_preferences FOR SELECT USING (${CURRENT_USER} IS NULL AND (${CURRENT_TENANT} IS NOT NULL OR ${IS_PROVINCE}))`,
      `GRANT SELECT, INSERT, UPDATE ON notification_preferences TO app_user`,

      // Messages to an address rather than to an inbox: invitations (no account yet) and password
      // reset codes. The body holds a one-time secret until it is sent, then it is erased.
      `CREATE TABLE direct_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id),
        purpose varchar(32) NOT NULL CHECK (purpose IN ('invitation','password-reset')),
        channel varchar(8) NOT NULL CHECK (channel IN ('email','sms')),
        address varchar(254) NOT NULL,
        subject varchar(200) NOT NULL,
        body varchar(4000) NOT NULL,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
      `ALTER TABLE direct_messages ALTER COLUMN tenant_id SET DEFAULT ${CURRENT_TENANT}`,
      `ALTER TABLE direct_messages ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE direct_messages FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY direct_messages_system_read ON direct_messages FOR SELECT USING (${SYSTEM_READS})`,
      `CREATE POLICY direct_messages_system_mark ON direct_messages FOR UPDATE USING (${SYSTEM_WRITES}) WITH CHECK (${SYSTEM_WRITES})`,
      `CREATE POLICY direct_messages_create ON direct_messages FOR INSERT WITH CHECK (${WRITER_MAY_CREATE})`,
      `GRANT SELECT, INSERT, UPDATE ON direct_messages TO app_user`,

      // Forgotten password (identity): one-time tokens, hashed; control plane like refresh_tokens.
      `CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        channel varchar(8) NOT NULL CHECK (channel IN ('email','sms')),
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        requested_ip varchar(64),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX password_resets_token_key ON password_resets (token_hash)`,
      `CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at DESC)`,
      ...controlTableSql('password_resets', 'SELECT, INSERT, UPDATE'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['password_resets', 'direct_messages', 'notification_preferences', 'notification_deliveries', 'notifications']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
  }
}
