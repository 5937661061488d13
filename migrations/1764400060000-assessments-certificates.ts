import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * Assessments entered by the right side and certificates (issue 11, R-EVA-3).
 *
 * - `assessment_sheets`: one per cohort × assessment item of the cohort's plan version
 *   (`item_key`, see modules/assessments/domain/items.ts). Kind, name, pass mark and
 *   scoring are copied from the plan when the sheet is opened. `status` is `draft` until
 *   every active student of the cohort has a submitted result, then `submitted`; a college
 *   admin may reopen it (reopened_* columns, audited).
 * - `assessment_results`: versioned. Version 1 may be a draft (edited in place); once
 *   `submitted` a row is locked (trigger below: only `is_current` may still flip, when a
 *   correction supersedes it). A correction is a new submitted row, version n+1, with a
 *   reason; exactly one row per sheet × student is current (partial unique index). The
 *   sheet's cohort and kind are repeated on the result, held equal by a composite FK, so
 *   the outcome view groups results without joining the sheets.
 * - `certificates`: R-EVA-3 ① (national-technician, vocational-level-2) and ②
 *   (industry-technician, enterprise-technician); only `verified` ones count.
 * - `student_evaluation_outcomes_v`: one row per student, the contract the graduation check
 *   and the KPIs read (modules/assessments/CONTRACT.md).
 */
export class AssessmentsCertificates1764400060000 implements MigrationInterface {
  name = 'AssessmentsCertificates1764400060000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE assessment_sheets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        cohort_id uuid NOT NULL,
        plan_version_id uuid NOT NULL,
        item_key varchar(40) NOT NULL,
        kind varchar(12) NOT NULL CHECK (kind IN ('course','practice','terminal','mid-term','defence')),
        name varchar(200) NOT NULL,
        scoring varchar(10) NOT NULL CHECK (scoring IN ('score','pass-fail')),
        pass_mark numeric(4,1) CHECK (pass_mark BETWEEN 0 AND 100),
        stage_index integer CHECK (stage_index >= 0),
        status varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted')),
        submitted_at timestamptz,
        reopened_at timestamptz,
        reopened_by uuid REFERENCES users(id),
        reopen_reason varchar(500),
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id),
        FOREIGN KEY (tenant_id, plan_version_id) REFERENCES training_plans (tenant_id, id),
        CHECK ((scoring = 'score') = (pass_mark IS NOT NULL)),
        CHECK ((kind = 'practice') = (stage_index IS NOT NULL)),
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL)),
        CHECK ((reopened_at IS NULL) = (reopen_reason IS NULL))
      )`,
      `CREATE UNIQUE INDEX assessment_sheets_tenant_id_key ON assessment_sheets (tenant_id, id)`,
      `CREATE UNIQUE INDEX assessment_sheets_ref_key ON assessment_sheets (tenant_id, id, cohort_id, kind)`,
      `CREATE UNIQUE INDEX assessment_sheets_item_key ON assessment_sheets (tenant_id, cohort_id, item_key)`,
      `CREATE INDEX assessment_sheets_list_idx ON assessment_sheets (tenant_id, created_at, id)`,
      ...tenantTableSql('assessment_sheets', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE assessment_results (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        sheet_id uuid NOT NULL,
        cohort_id uuid NOT NULL,
        kind varchar(12) NOT NULL,
        student_id uuid NOT NULL,
        version_no integer NOT NULL DEFAULT 1 CHECK (version_no >= 1),
        is_current boolean NOT NULL DEFAULT true,
        status varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted')),
        score numeric(4,1) CHECK (score BETWEEN 0 AND 100 AND score * 2 = trunc(score * 2)),
        passed boolean NOT NULL,
        judged_technician boolean,
        assessed_on date NOT NULL,
        assessor varchar(64) NOT NULL CHECK (length(btrim(assessor)) > 0),
        remarks varchar(500),
        correction_reason varchar(500),
        entered_by uuid REFERENCES users(id),
        entered_side varchar(12) NOT NULL CHECK (entered_side IN ('college','enterprise')),
        enterprise_id uuid REFERENCES enterprises(id),
        submitted_at timestamptz,
        submitted_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, sheet_id, cohort_id, kind) REFERENCES assessment_sheets (tenant_id, id, cohort_id, kind),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        CHECK ((kind = 'terminal') = (judged_technician IS NOT NULL)),
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL)),
        -- a correction (version > 1) always carries its reason and is submitted at once
        CHECK ((version_no = 1) = (correction_reason IS NULL)),
        CHECK (version_no = 1 OR status = 'submitted'),
        CHECK (is_current OR status = 'submitted'),
        CHECK ((entered_side = 'enterprise') = (enterprise_id IS NOT NULL))
      )`,
      `CREATE UNIQUE INDEX assessment_results_tenant_id_key ON assessment_results (tenant_id, id)`,
      `CREATE UNIQUE INDEX assessment_results_version_key ON assessment_results (tenant_id, sheet_id, student_id, version_no)`,
      `CREATE UNIQUE INDEX assessment_results_current_key ON assessment_results (tenant_id, sheet_id, student_id) WHERE is_current`,
      `CREATE INDEX assessment_results_outcome_idx ON assessment_results (tenant_id, cohort_id, student_id)
         INCLUDE (kind, passed, judged_technician) WHERE is_current AND status = 'submitted'`,
      `CREATE INDEX assessment_results_student_idx ON assessment_results (tenant_id, student_id)`,
      ...tenantTableSql('assessment_results', 'SELECT, INSERT, UPDATE'),
      // R-EVA-3 / DOMAIN §5: a submitted result is locked; only a correction may mark it superseded.
      `CREATE FUNCTION assessment_results_lock() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.status = 'submitted' AND (
              NEW.status IS DISTINCT FROM OLD.status OR NEW.score IS DISTINCT FROM OLD.score
              OR NEW.passed IS DISTINCT FROM OLD.passed OR NEW.judged_technician IS DISTINCT FROM OLD.judged_technician
              OR NEW.assessed_on IS DISTINCT FROM OLD.assessed_on OR NEW.assessor IS DISTINCT FROM OLD.assessor
              OR NEW.remarks IS DISTINCT FROM OLD.remarks OR NEW.correction_reason IS DISTINCT FROM OLD.correction_reason
              OR NEW.version_no IS DISTINCT FROM OLD.version_no OR NEW.student_id IS DISTINCT FROM OLD.student_id
              OR NEW.sheet_id IS DISTINCT FROM OLD.sheet_id OR NEW.entered_by IS DISTINCT FROM OLD.entered_by
              OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at OR (NEW.is_current AND NOT OLD.is_current)) THEN
           RAISE EXCEPTION 'a submitted assessment result is locked; correct it with a new version'
             USING ERRCODE = 'P0001', CONSTRAINT = 'assessment_results_locked';
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER assessment_results_lock BEFORE UPDATE ON assessment_results FOR EACH ROW EXECUTE FUNCTION assessment_results_lock()`,

      `CREATE TABLE certificates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        kind varchar(24) NOT NULL
          CHECK (kind IN ('national-technician','vocational-level-2','industry-technician','enterprise-technician')),
        occupation varchar(100) NOT NULL,
        level varchar(32) NOT NULL,
        number varchar(64) NOT NULL,
        issuer varchar(200) NOT NULL,
        issued_on date NOT NULL,
        attachment_id uuid,
        status varchar(12) NOT NULL DEFAULT 'unverified' CHECK (status IN ('unverified','verified','rejected')),
        reject_reason varchar(500),
        verified_by uuid REFERENCES users(id),
        verified_at timestamptz,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, attachment_id) REFERENCES attachments (tenant_id, id),
        CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
        CHECK ((status = 'unverified') = (verified_at IS NULL))
      )`,
      `CREATE UNIQUE INDEX certificates_tenant_id_key ON certificates (tenant_id, id)`,
      `CREATE UNIQUE INDEX certificates_number_key ON certificates (tenant_id, kind, lower(issuer), number)`,
      `CREATE INDEX certificates_student_idx ON certificates (tenant_id, student_id, status, kind)`,
      `CREATE INDEX certificates_list_idx ON certificates (tenant_id, created_at, id)`,
      ...tenantTableSql('certificates', 'SELECT, INSERT, UPDATE'),

      // The contract read by graduation (R-EVA-3) and the KPIs (DOMAIN §4): one row per student.
      `CREATE VIEW student_evaluation_outcomes_v WITH (security_invoker = true) AS
        WITH plan_items AS (
          SELECT c.tenant_id, c.id AS cohort_id,
                 (SELECT count(*) FROM jsonb_array_elements(COALESCE(tp.content->'stages', '[]'::jsonb)) st,
                                       jsonb_array_elements(COALESCE(st->'courses', '[]'::jsonb)) co)::int AS course_items,
                 jsonb_array_length(COALESCE(tp.content->'practiceStages', '[]'::jsonb)) AS practice_items
          FROM cohorts c
          JOIN training_plans tp ON tp.tenant_id = c.tenant_id AND tp.id = c.plan_version_id
        ),
        results AS (
          SELECT r.tenant_id, r.cohort_id, r.student_id,
                 count(*) FILTER (WHERE r.kind = 'course' AND r.passed)::int AS course_passed,
                 count(*) FILTER (WHERE r.kind = 'practice' AND r.passed)::int AS practice_passed,
                 COALESCE(bool_or(r.judged_technician) FILTER (WHERE r.kind = 'terminal'), false) AS terminal_technician
          FROM assessment_results r
          WHERE r.is_current AND r.status = 'submitted'
          GROUP BY r.tenant_id, r.cohort_id, r.student_id
        ),
        certs AS (
          SELECT ce.tenant_id, ce.student_id,
                 bool_or(ce.kind IN ('national-technician','vocational-level-2')) AS national,
                 bool_or(ce.kind IN ('industry-technician','enterprise-technician')) AS industry
          FROM certificates ce
          WHERE ce.status = 'verified'
          GROUP BY ce.tenant_id, ce.student_id
        )
        SELECT s.tenant_id, s.id AS student_id, s.cohort_id,
               pi.course_items,
               COALESCE(r.course_passed, 0) AS course_items_passed,
               COALESCE(r.course_passed, 0) >= pi.course_items AS all_courses_passed,
               pi.practice_items,
               (pi.practice_items > 0 AND COALESCE(r.practice_passed, 0) >= pi.practice_items) AS practice_met,
               COALESCE(r.terminal_technician, false) AS terminal_technician,
               COALESCE(ce.national, false) AS verified_national_certificate,
               COALESCE(ce.industry, false) AS verified_industry_certificate
        FROM students s
        JOIN plan_items pi ON pi.tenant_id = s.tenant_id AND pi.cohort_id = s.cohort_id
        LEFT JOIN results r ON r.tenant_id = s.tenant_id AND r.cohort_id = s.cohort_id AND r.student_id = s.id
        LEFT JOIN certs ce ON ce.tenant_id = s.tenant_id AND ce.student_id = s.id`,
      `GRANT SELECT ON student_evaluation_outcomes_v TO app_user`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW IF EXISTS student_evaluation_outcomes_v');
    for (const t of ['certificates', 'assessment_results', 'assessment_sheets']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query('DROP FUNCTION IF EXISTS assessment_results_lock()');
  }
}
