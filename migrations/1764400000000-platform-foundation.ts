import { MigrationInterface, QueryRunner } from 'typeorm';
import { CURRENT_TENANT, IS_PROVINCE, controlTableSql } from './support/rls';

export class PlatformFoundation1764400000000 implements MigrationInterface {
  name = 'PlatformFoundation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const statements: string[] = [
      // Control plane: colleges (tenants). R-COL-1 tiers.
      `CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        tier varchar(24) NOT NULL CHECK (tier IN ('batch1','batch2','batch2-building','batch2-cultivating','other')),
        city varchar(32) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended')),
        suspended_reason varchar(500),
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX tenants_code_key ON tenants (lower(code))`,
      `CREATE INDEX tenants_name_idx ON tenants (name, id)`,
      ...controlTableSql('tenants', 'SELECT, INSERT, UPDATE'),

      // Province-wide enterprise registry (R-ENT-0): one row per USCC. Extended by the enterprises module.
      `CREATE TABLE enterprises (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        uscc varchar(18) NOT NULL,
        name varchar(200) NOT NULL,
        uscc_override_reason varchar(500),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX enterprises_uscc_key ON enterprises (uscc)`,
      ...controlTableSql('enterprises', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254),
        phone varchar(11),
        display_name varchar(64) NOT NULL,
        password_hash varchar(255),
        password_changed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()), -- ms: tokens carry it as their password version
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (email IS NOT NULL OR phone IS NOT NULL)
      )`,
      `CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL`,
      `CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE phone IS NOT NULL`,
      ...controlTableSql('users', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        scope varchar(16) NOT NULL CHECK (scope IN ('province','college','enterprise')),
        tenant_id uuid REFERENCES tenants(id),
        enterprise_id uuid REFERENCES enterprises(id),
        role varchar(32) NOT NULL CHECK (role IN ('province-admin','province-expert','province-viewer','college-admin','college-staff','college-mentor','enterprise-admin','enterprise-mentor')),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active','revoked')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (
          (scope = 'province' AND tenant_id IS NULL AND enterprise_id IS NULL AND role LIKE 'province-%') OR
          (scope = 'college' AND tenant_id IS NOT NULL AND enterprise_id IS NULL AND role LIKE 'college-%') OR
          (scope = 'enterprise' AND tenant_id IS NOT NULL AND enterprise_id IS NOT NULL AND role LIKE 'enterprise-%')
        )
      )`,
      `CREATE UNIQUE INDEX memberships_identity_key ON memberships (user_id, scope, COALESCE(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), COALESCE(enterprise_id, '00000000-0000-0000-0000-000000000000'::uuid), role)`,
      `CREATE INDEX memberships_tenant_idx ON memberships (tenant_id, created_at, id)`,
      `CREATE INDEX memberships_user_idx ON memberships (user_id)`,
      ...controlTableSql('memberships', 'SELECT, INSERT, UPDATE'),

      // Refresh tokens rotate; a family is revoked whole when a used token comes back.
      `CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        membership_id uuid NOT NULL REFERENCES memberships(id),
        token_hash bytea NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        revoked_reason varchar(32)
      )`,
      `CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash)`,
      `CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`,
      `CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`,
      ...controlTableSql('refresh_tokens', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        scope varchar(16) NOT NULL CHECK (scope IN ('province','college','enterprise')),
        tenant_id uuid REFERENCES tenants(id),
        enterprise_id uuid REFERENCES enterprises(id),
        role varchar(32) NOT NULL,
        email varchar(254),
        phone varchar(11),
        display_name varchar(64) NOT NULL,
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_user_id uuid REFERENCES users(id),
        invited_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (email IS NOT NULL OR phone IS NOT NULL)
      )`,
      `CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash)`,
      `CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, created_at, id)`,
      ...controlTableSql('invitations', 'SELECT, INSERT, UPDATE'),

      // Audit: append-only for the runtime role (no UPDATE, no DELETE grant).
      `CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid DEFAULT ${CURRENT_TENANT},
        occurred_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()), -- ms: keyset cursors round-trip through JS dates
        actor_user_id uuid,
        membership_id uuid,
        actor_role varchar(32),
        entity varchar(64) NOT NULL,
        entity_id varchar(64),
        action varchar(64) NOT NULL,
        before jsonb,
        after jsonb,
        request_id varchar(64),
        ip varchar(64)
      )`,
      `CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, occurred_at DESC, id DESC)`,
      `CREATE INDEX audit_log_tenant_entity_idx ON audit_log (tenant_id, entity, entity_id)`,
      `ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE audit_log FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY audit_log_tenant_read ON audit_log FOR SELECT USING (tenant_id = ${CURRENT_TENANT})`,
      `CREATE POLICY audit_log_province_read ON audit_log FOR SELECT USING (${IS_PROVINCE})`,
      // A college actor writes its own tenant's rows; a province actor writes rows of no tenant.
      `CREATE POLICY audit_log_append ON audit_log FOR INSERT WITH CHECK (tenant_id IS NOT DISTINCT FROM ${CURRENT_TENANT})`,
      `GRANT SELECT, INSERT ON audit_log TO app_user`,

      // Transactional outbox: rows are written with the change and relayed after commit. Ids only.
      `CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        queue varchar(64) NOT NULL,
        job_name varchar(64) NOT NULL,
        job_id varchar(200) NOT NULL,
        payload jsonb NOT NULL,
        options jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        dispatched_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error varchar(500)
      )`,
      `CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL`,
      `CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('jishi_outbox', ''); RETURN NULL; END $$`,
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO app_user`,
      `GRANT USAGE ON SEQUENCE outbox_id_seq TO app_user`,

      // Counters for login throttling when no Redis is configured (the embedded demo).
      `CREATE UNLOGGED TABLE rate_counters (
        key varchar(200) PRIMARY KEY,
        hits integer NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON rate_counters TO app_user`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rate_counters', 'outbox', 'audit_log', 'invitations', 'refresh_tokens', 'memberships', 'users', 'enterprises', 'tenants']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query('DROP FUNCTION IF EXISTS outbox_notify()');
  }
}
