import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * Staff (college teachers and enterprise mentors, R-ENT-2) and teaching and assessment
 * teams (R-EVA-2). The expert flag is never stored: `staff_members_v` derives it from the
 * reference data (senior title 副高级/正高级, or skill level 技师/level 2 and up), with
 * `security_invoker` so the caller's RLS applies to the view as to the table.
 */
export class StaffTeams1764400020000 implements MigrationInterface {
  name = 'StaffTeams1764400020000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE staff_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        side varchar(16) NOT NULL CHECK (side IN ('college','enterprise')),
        enterprise_id uuid REFERENCES enterprises(id),
        name varchar(64) NOT NULL,
        gender varchar(8) NOT NULL CHECK (gender IN ('male','female')),
        title_series varchar(16) CHECK (title_series IN ('theory','practice','engineering','other')),
        title_name varchar(64),
        title_level_code varchar(32) REFERENCES professional_title_levels(code),
        skill_level_code varchar(32) REFERENCES skill_levels(code),
        field varchar(100) NOT NULL,
        certificates jsonb NOT NULL DEFAULT '[]'::jsonb,
        user_id uuid REFERENCES users(id),
        status varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active','left')),
        left_on date,
        left_reason varchar(500),
        confirmation varchar(24) NOT NULL DEFAULT 'confirmed' CHECK (confirmation IN ('pending-confirmation','confirmed','rejected')),
        rejection_reason varchar(500),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((side = 'enterprise') = (enterprise_id IS NOT NULL)),
        CHECK (side = 'enterprise' OR confirmation = 'confirmed'),
        CHECK ((title_level_code IS NULL) = (title_series IS NULL)),
        CHECK ((status = 'left') = (left_on IS NOT NULL)),
        CHECK (jsonb_typeof(certificates) = 'array')
      )`,
      `CREATE UNIQUE INDEX staff_members_tenant_id_key ON staff_members (tenant_id, id)`,
      `CREATE INDEX staff_members_tenant_name_idx ON staff_members (tenant_id, name, id)`,
      `CREATE INDEX staff_members_enterprise_idx ON staff_members (tenant_id, enterprise_id) WHERE enterprise_id IS NOT NULL`,
      // One person's account links to at most one staff record per college.
      `CREATE UNIQUE INDEX staff_members_user_key ON staff_members (tenant_id, user_id) WHERE user_id IS NOT NULL`,
      ...tenantTableSql('staff_members', 'SELECT, INSERT, UPDATE'),

      // R-EVA-2: the expert flag, derived in SQL for aggregates (team compliance).
      `CREATE VIEW staff_members_v WITH (security_invoker = true) AS
        SELECT s.*,
               COALESCE(t.senior, false) AS expert_by_title,
               COALESCE(l.technician_or_above, false) AS expert_by_skill_level,
               (COALESCE(t.senior, false) OR COALESCE(l.technician_or_above, false)) AS expert
        FROM staff_members s
        LEFT JOIN professional_title_levels t ON t.code = s.title_level_code
        LEFT JOIN skill_levels l ON l.code = s.skill_level_code`,
      `GRANT SELECT ON staff_members_v TO app_user`,

      // R-EVA-2: one team per programme, optionally one per cohort. cohort_id carries no
      // foreign key here: cohorts are created by a later migration (issue 5), which adds it.
      `CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        cohort_id uuid,
        name varchar(100) NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX teams_tenant_id_key ON teams (tenant_id, id)`,
      `CREATE UNIQUE INDEX teams_programme_key ON teams (tenant_id, programme_id) WHERE cohort_id IS NULL`,
      `CREATE UNIQUE INDEX teams_cohort_key ON teams (tenant_id, programme_id, cohort_id) WHERE cohort_id IS NOT NULL`,
      ...tenantTableSql('teams', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE team_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        team_id uuid NOT NULL,
        staff_member_id uuid NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('teacher','mentor','assessor','lead')),
        added_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id),
        FOREIGN KEY (tenant_id, staff_member_id) REFERENCES staff_members (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX team_members_tenant_id_key ON team_members (tenant_id, id)`,
      `CREATE UNIQUE INDEX team_members_member_key ON team_members (tenant_id, team_id, staff_member_id)`,
      `CREATE INDEX team_members_staff_idx ON team_members (tenant_id, staff_member_id)`,
      ...tenantTableSql('team_members', 'SELECT, INSERT, DELETE'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS team_members CASCADE');
    await q.query('DROP TABLE IF EXISTS teams CASCADE');
    await q.query('DROP VIEW IF EXISTS staff_members_v');
    await q.query('DROP TABLE IF EXISTS staff_members CASCADE');
  }
}
