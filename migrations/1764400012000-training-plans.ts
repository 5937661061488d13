import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * Training plans (人才培养方案), versioned per programme (R-PRG-2, R-TRN-2, R-GOV-2):
 * plan versions, steering-committee reviews, party-committee decisions on major changes
 * and the filings with the province. All tenant tables; children point at their parent
 * through composite (tenant_id, id) keys, so no row can reach into another college.
 */
export class TrainingPlans1764400012000 implements MigrationInterface {
  name = 'TrainingPlans1764400012000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // Programme list filters (pilot status) stay on an index that leads with the tenant.
      `CREATE INDEX programmes_tenant_status_idx ON programmes (tenant_id, pilot_status, lower(code), id)`,

      `CREATE TABLE training_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        version_no integer NOT NULL CHECK (version_no >= 1),
        status varchar(16) NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft','current','pending-filing','superseded')),
        change_kind varchar(8) NOT NULL DEFAULT 'initial' CHECK (change_kind IN ('initial','minor','major')),
        change_summary text,
        changed_areas text[] NOT NULL DEFAULT '{}',
        based_on_version integer,
        occupation_code varchar(32) NOT NULL,
        class_size integer NOT NULL CHECK (class_size BETWEEN 1 AND 500),
        content jsonb NOT NULL,
        created_by uuid,
        effective_at timestamptz,
        superseded_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id) ON DELETE CASCADE
      )`,
      `CREATE UNIQUE INDEX training_plans_tenant_id_key ON training_plans (tenant_id, id)`,
      `CREATE UNIQUE INDEX training_plans_tenant_programme_version_key ON training_plans (tenant_id, programme_id, version_no)`,
      // One current version per programme, and at most one open (draft or pending) version beside it.
      `CREATE UNIQUE INDEX training_plans_one_current_key ON training_plans (tenant_id, programme_id) WHERE status = 'current'`,
      `CREATE UNIQUE INDEX training_plans_one_open_key ON training_plans (tenant_id, programme_id) WHERE status IN ('draft','pending-filing')`,
      ...tenantTableSql('training_plans'),

      // R-PRG-2: the steering committee's review of one version (date, experts, conclusion).
      `CREATE TABLE training_plan_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        plan_id uuid NOT NULL,
        reviewed_on date NOT NULL,
        experts jsonb NOT NULL,
        conclusion varchar(8) NOT NULL CHECK (conclusion IN ('passed','revise','failed')),
        notes text,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, plan_id) REFERENCES training_plans (tenant_id, id) ON DELETE CASCADE
      )`,
      `CREATE INDEX training_plan_reviews_plan_idx ON training_plan_reviews (tenant_id, plan_id, reviewed_on, created_at)`,
      ...tenantTableSql('training_plan_reviews', 'SELECT, INSERT'),

      // R-GOV-2: the party committee's decision on a major change (date, minutes).
      `CREATE TABLE training_plan_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        plan_id uuid NOT NULL,
        decided_on date NOT NULL,
        minutes_attachment_id uuid NOT NULL,
        minutes_filename varchar(255) NOT NULL,
        minutes_sha256 varchar(64) NOT NULL,
        notes text,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, plan_id) REFERENCES training_plans (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, minutes_attachment_id) REFERENCES attachments (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX training_plan_decisions_plan_key ON training_plan_decisions (tenant_id, plan_id)`,
      ...tenantTableSql('training_plan_decisions', 'SELECT, INSERT'),

      // R-GOV-2: the filing with the province; a major change takes effect when filed.
      `CREATE TABLE training_plan_filings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        plan_id uuid NOT NULL,
        programme_id uuid NOT NULL,
        filed_at timestamptz NOT NULL DEFAULT now(),
        reference varchar(100) NOT NULL,
        filed_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, plan_id) REFERENCES training_plans (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id) ON DELETE CASCADE
      )`,
      `CREATE UNIQUE INDEX training_plan_filings_plan_key ON training_plan_filings (tenant_id, plan_id)`,
      `CREATE INDEX training_plan_filings_tenant_filed_idx ON training_plan_filings (tenant_id, filed_at DESC, id DESC)`,
      // The province reads across colleges, newest first.
      `CREATE INDEX training_plan_filings_filed_idx ON training_plan_filings (filed_at DESC, id DESC)`,
      ...tenantTableSql('training_plan_filings', 'SELECT, INSERT'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['training_plan_filings', 'training_plan_decisions', 'training_plan_reviews', 'training_plans']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query('DROP INDEX IF EXISTS programmes_tenant_status_idx');
  }
}
