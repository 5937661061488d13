import { MigrationInterface, QueryRunner } from 'typeorm';
import { CURRENT_TENANT, IS_PROVINCE, tenantTableSql } from './support/rls';

/**
 * The pilot application process (issue 12; R-COL-2, R-APP-1…7, R-GOV-1…5). See
 * docs/adr/0009-pilot-process-ownership.md for who owns which row.
 *
 * Province-owned tables (no tenant_id; RLS enabled and forced; only app.scope = 'province'
 * writes them):
 * - `pilot_notices` + `pilot_notice_recipients` (R-APP-1, R-COL-2): a college reads a
 *   notice only when a recipient row names it;
 * - `pilot_publicity_batches` (R-APP-5, R-APP-6): the public notice and its filing; every
 *   signed-in scope reads them (a public notice is public), the items stay tenant rows;
 * - `pilot_consultations`, `pilot_funding_decisions` (R-GOV-1, R-GOV-5): a college reads
 *   the funding decisions on its own programmes.
 *
 * College (tenant) tables, through tenantTableSql: the application, its programmes, expert
 * assignments, reviews, on-site checks, objections, evaluations and revocations. The
 * province writes them with the transaction pinned to that college (TenantContext.runAsTenant),
 * as the manual pilot-status route already does; it never gets a cross-tenant write policy.
 */
export class Pilots1764400070000 implements MigrationInterface {
  name = 'Pilots1764400070000';

  async up(q: QueryRunner): Promise<void> {
    const provinceOwned = (table: string, grants = 'SELECT, INSERT, UPDATE') => [
      `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY ${table}_province_all ON ${table} USING (${IS_PROVINCE}) WITH CHECK (${IS_PROVINCE})`,
      `GRANT ${grants} ON ${table} TO app_user`,
    ];
    const statements = [
      `CREATE TABLE pilot_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        year integer NOT NULL CHECK (year BETWEEN 2025 AND 2100),
        title varchar(200) NOT NULL,
        requirements text NOT NULL,
        materials jsonb NOT NULL,
        review_criteria jsonb NOT NULL,
        deadline date NOT NULL,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX pilot_notices_year_idx ON pilot_notices (year DESC, created_at DESC, id)`,
      `CREATE TABLE pilot_notice_recipients (
        notice_id uuid NOT NULL REFERENCES pilot_notices(id),
        college_id uuid NOT NULL REFERENCES tenants(id),
        eligible boolean NOT NULL,
        reason varchar(500),
        reopened_until date,
        reopen_reason varchar(500),
        PRIMARY KEY (notice_id, college_id),
        CHECK (eligible OR reason IS NOT NULL)
      )`,
      `CREATE INDEX pilot_notice_recipients_college_idx ON pilot_notice_recipients (college_id, notice_id)`,
      ...provinceOwned('pilot_notice_recipients'),
      `CREATE POLICY pilot_notice_recipients_college_read ON pilot_notice_recipients FOR SELECT USING (college_id = ${CURRENT_TENANT})`,
      ...provinceOwned('pilot_notices'),
      `CREATE POLICY pilot_notices_college_read ON pilot_notices FOR SELECT USING (EXISTS (
         SELECT 1 FROM pilot_notice_recipients r WHERE r.notice_id = pilot_notices.id AND r.college_id = ${CURRENT_TENANT}))`,

      `CREATE TABLE pilot_publicity_batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title varchar(200) NOT NULL,
        published_on date NOT NULL,
        computed_ends_on date NOT NULL,
        ends_on date NOT NULL,
        provisional boolean NOT NULL,
        provisional_years integer[] NOT NULL DEFAULT '{}',
        end_adjust_reason varchar(500),
        status varchar(12) NOT NULL DEFAULT 'open' CHECK (status IN ('open','announced','filed')),
        announced_on date,
        filed_on date,
        filing_reference varchar(100),
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX pilot_publicity_batches_published_idx ON pilot_publicity_batches (published_on DESC, id)`,
      ...provinceOwned('pilot_publicity_batches'),
      `CREATE POLICY pilot_publicity_batches_signed_in_read ON pilot_publicity_batches FOR SELECT USING (${CURRENT_TENANT} IS NOT NULL)`,

      `CREATE TABLE pilot_consultations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        held_on date NOT NULL,
        title varchar(200) NOT NULL,
        attendees jsonb NOT NULL,
        topics jsonb NOT NULL,
        decisions jsonb NOT NULL,
        actions jsonb NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp())
      )`,
      `CREATE INDEX pilot_consultations_held_idx ON pilot_consultations (held_on DESC, id)`,
      ...provinceOwned('pilot_consultations', 'SELECT, INSERT'),

      `CREATE TABLE pilot_funding_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        college_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        decided_on date NOT NULL,
        amount_yuan bigint CHECK (amount_yuan >= 0),
        per_student_coefficient numeric(4,2) CHECK (per_student_coefficient > 0 AND per_student_coefficient <= 10),
        basis varchar(1000) NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        CHECK (amount_yuan IS NOT NULL OR per_student_coefficient IS NOT NULL)
      )`,
      `CREATE INDEX pilot_funding_decisions_college_idx ON pilot_funding_decisions (college_id, programme_id, decided_on DESC)`,
      ...provinceOwned('pilot_funding_decisions', 'SELECT, INSERT'),
      `CREATE POLICY pilot_funding_decisions_college_read ON pilot_funding_decisions FOR SELECT USING (college_id = ${CURRENT_TENANT})`,

      // ---- college (tenant) tables
      `CREATE TABLE pilot_applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        notice_id uuid NOT NULL REFERENCES pilot_notices(id),
        status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','under-review','returned','decided')),
        management_scheme jsonb NOT NULL DEFAULT '{}'::jsonb,
        committee_decided_on date,
        committee_decision varchar(16) CHECK (committee_decision IN ('approved','rejected')),
        committee_notes varchar(1000),
        submitted_at timestamptz,
        snapshot jsonb,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX pilot_applications_tenant_id_key ON pilot_applications (tenant_id, id)`,
      `CREATE UNIQUE INDEX pilot_applications_notice_key ON pilot_applications (tenant_id, notice_id)`,
      `CREATE INDEX pilot_applications_list_idx ON pilot_applications (tenant_id, created_at DESC, id)`,
      ...tenantTableSql('pilot_applications', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE pilot_application_programmes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        application_id uuid NOT NULL,
        programme_id uuid NOT NULL,
        plan_version_no integer,
        partners jsonb NOT NULL DEFAULT '[]'::jsonb,
        stage varchar(16) NOT NULL DEFAULT 'pending'
          CHECK (stage IN ('pending','approved','returned','rejected','in-publicity','announced','filed')),
        decision_reason varchar(1000),
        decided_at timestamptz,
        batch_id uuid REFERENCES pilot_publicity_batches(id),
        FOREIGN KEY (tenant_id, application_id) REFERENCES pilot_applications (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX pilot_application_programmes_tenant_id_key ON pilot_application_programmes (tenant_id, id)`,
      `CREATE UNIQUE INDEX pilot_application_programmes_key ON pilot_application_programmes (tenant_id, application_id, programme_id)`,
      `CREATE INDEX pilot_application_programmes_batch_idx ON pilot_application_programmes (tenant_id, batch_id) WHERE batch_id IS NOT NULL`,
      `CREATE INDEX pilot_application_programmes_batch_any_idx ON pilot_application_programmes (batch_id) WHERE batch_id IS NOT NULL`,
      ...tenantTableSql('pilot_application_programmes', 'SELECT, INSERT, UPDATE, DELETE'),

      `CREATE TABLE pilot_expert_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        application_id uuid NOT NULL,
        expert_user_id uuid NOT NULL REFERENCES users(id),
        assigned_by uuid REFERENCES users(id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, application_id) REFERENCES pilot_applications (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX pilot_expert_assignments_key ON pilot_expert_assignments (tenant_id, application_id, expert_user_id)`,
      // the expert's own list reads across colleges by user
      `CREATE INDEX pilot_expert_assignments_expert_idx ON pilot_expert_assignments (expert_user_id, application_id)`,
      ...tenantTableSql('pilot_expert_assignments', 'SELECT, INSERT'),

      `CREATE TABLE pilot_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        application_programme_id uuid NOT NULL,
        expert_user_id uuid NOT NULL REFERENCES users(id),
        scores jsonb NOT NULL,
        total numeric(6,2) NOT NULL,
        comments text NOT NULL,
        recommendation varchar(8) NOT NULL CHECK (recommendation IN ('approve','reject','revise')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        FOREIGN KEY (tenant_id, application_programme_id) REFERENCES pilot_application_programmes (tenant_id, id) ON DELETE CASCADE
      )`,
      `CREATE INDEX pilot_reviews_programme_idx ON pilot_reviews (tenant_id, application_programme_id, created_at)`,
      ...tenantTableSql('pilot_reviews', 'SELECT, INSERT'),

      `CREATE TABLE pilot_site_checks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        application_id uuid NOT NULL,
        checked_on date NOT NULL,
        findings text NOT NULL,
        recorded_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, application_id) REFERENCES pilot_applications (tenant_id, id)
      )`,
      `CREATE INDEX pilot_site_checks_application_idx ON pilot_site_checks (tenant_id, application_id, checked_on)`,
      ...tenantTableSql('pilot_site_checks', 'SELECT, INSERT'),

      `CREATE TABLE pilot_objections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        application_programme_id uuid NOT NULL,
        batch_id uuid NOT NULL REFERENCES pilot_publicity_batches(id),
        received_on date NOT NULL,
        content text NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open','upheld','dismissed')),
        resolution varchar(1000),
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        FOREIGN KEY (tenant_id, application_programme_id) REFERENCES pilot_application_programmes (tenant_id, id)
      )`,
      `CREATE INDEX pilot_objections_programme_idx ON pilot_objections (tenant_id, application_programme_id)`,
      `CREATE INDEX pilot_objections_batch_idx ON pilot_objections (batch_id, status)`,
      ...tenantTableSql('pilot_objections', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE pilot_evaluations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        kind varchar(10) NOT NULL CHECK (kind IN ('mid-term','completion')),
        scheduled_on date NOT NULL,
        expert_user_ids uuid[] NOT NULL DEFAULT '{}',
        status varchar(10) NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','concluded')),
        kpi_snapshot jsonb,
        checklist_scores jsonb,
        conclusion varchar(8) CHECK (conclusion IN ('pass','rectify','fail')),
        rectify_by date,
        reason varchar(1000),
        concluded_on date,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id),
        CHECK (conclusion IS DISTINCT FROM 'rectify' OR rectify_by IS NOT NULL)
      )`,
      `CREATE INDEX pilot_evaluations_programme_idx ON pilot_evaluations (tenant_id, programme_id, scheduled_on)`,
      ...tenantTableSql('pilot_evaluations', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE pilot_revocations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        evaluation_id uuid,
        cause varchar(12) NOT NULL CHECK (cause IN ('evaluation','violation')),
        reason varchar(1000) NOT NULL,
        revoked_on date NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id)
      )`,
      `CREATE INDEX pilot_revocations_programme_idx ON pilot_revocations (tenant_id, programme_id)`,
      ...tenantTableSql('pilot_revocations', 'SELECT, INSERT'),
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'pilot_revocations',
      'pilot_evaluations',
      'pilot_objections',
      'pilot_site_checks',
      'pilot_reviews',
      'pilot_expert_assignments',
      'pilot_application_programmes',
      'pilot_applications',
      'pilot_funding_decisions',
      'pilot_consultations',
      'pilot_publicity_batches',
      'pilot_notice_recipients',
      'pilot_notices',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
