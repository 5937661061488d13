import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

const TRACK_ENTRY_LEVELS = "('junior-high','senior-high','secondary-vocational','higher-vocational','bachelor-plus')";

/**
 * Cohorts (学制技师班), applicants, students, streaming and student imports (issue 5).
 *
 * - R-TRK-1/2: a cohort copies its duration and senior-worker stage from the track (the
 *   flexible track states its own, with a justification); the end of the senior-worker
 *   stage and the expected graduation are GENERATED columns, so they are never typed:
 *   `start + n months` in PostgreSQL is "the same day, or the last day of the month when
 *   that day does not exist" (2024-02-29 + 12 months = 2025-02-28).
 * - PIPL (QUALITY §4): resident ID and mobile numbers are stored AES-256-GCM encrypted
 *   (`*_enc`), with a keyed HMAC-SHA256 blind index (`id_number_hash`) for uniqueness in
 *   the college and look-ups, and a precomputed masked form for display.
 * - Student status stores only what is recorded (admitted, enrolled, graduated,
 *   streamed-out, withdrawn); the stage (senior-worker-stage / technician-stage) is derived
 *   from the cohort's dates in `students_v` (DOMAIN §5), never typed twice.
 */
export class CohortsStudents1764400021000 implements MigrationInterface {
  name = 'CohortsStudents1764400021000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE cohorts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        plan_version_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        intake_year smallint NOT NULL CHECK (intake_year BETWEEN 2000 AND 2100),
        track_code varchar(32) NOT NULL REFERENCES schooling_tracks(code),
        start_date date NOT NULL,
        duration_months smallint NOT NULL CHECK (duration_months BETWEEN 1 AND 120),
        senior_worker_stage_months smallint NOT NULL CHECK (senior_worker_stage_months >= 0),
        flexible_justification text,
        assistant_engineer boolean NOT NULL DEFAULT false,
        senior_worker_stage_end date GENERATED ALWAYS AS (
          CASE WHEN senior_worker_stage_months > 0 THEN (start_date + make_interval(months => senior_worker_stage_months::int))::date END
        ) STORED,
        expected_graduation date GENERATED ALWAYS AS ((start_date + make_interval(months => duration_months::int))::date) STORED,
        status varchar(16) NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','started','completed')),
        started_at timestamptz,
        started_by uuid REFERENCES users(id),
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id),
        FOREIGN KEY (tenant_id, plan_version_id) REFERENCES training_plans (tenant_id, id),
        CHECK (senior_worker_stage_months < duration_months),
        CHECK ((track_code = 'flexible') = (flexible_justification IS NOT NULL)),
        CHECK ((status = 'planned') = (started_at IS NULL))
      )`,
      `CREATE UNIQUE INDEX cohorts_tenant_id_key ON cohorts (tenant_id, id)`,
      `CREATE UNIQUE INDEX cohorts_tenant_name_key ON cohorts (tenant_id, intake_year, lower(name))`,
      `CREATE INDEX cohorts_tenant_programme_idx ON cohorts (tenant_id, programme_id, intake_year DESC, id)`,
      `CREATE INDEX cohorts_tenant_list_idx ON cohorts (tenant_id, intake_year DESC, name, id)`,
      ...tenantTableSql('cohorts', 'SELECT, INSERT, UPDATE'),
      // Issue 4 left teams.cohort_id without a foreign key until cohorts existed.
      `ALTER TABLE teams ADD CONSTRAINT teams_cohort_fkey FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id)`,

      // R-EVA-1: applicants are screened (scores) and admitted by merit.
      `CREATE TABLE applicants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        cohort_id uuid NOT NULL,
        name varchar(64) NOT NULL,
        gender varchar(8) NOT NULL CHECK (gender IN ('male','female')),
        date_of_birth date NOT NULL,
        id_number_enc bytea NOT NULL,
        id_number_hash bytea NOT NULL CHECK (octet_length(id_number_hash) = 32),
        id_number_masked varchar(18) NOT NULL,
        mobile_enc bytea,
        mobile_masked varchar(16),
        entry_level varchar(32) NOT NULL CHECK (entry_level IN ${TRACK_ENTRY_LEVELS}),
        scores jsonb NOT NULL DEFAULT '{}'::jsonb,
        total_score numeric(7,2) NOT NULL,
        result varchar(16) NOT NULL DEFAULT 'pending' CHECK (result IN ('pending','admitted','rejected')),
        result_reason varchar(500),
        admission_rank integer,
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id),
        CHECK (jsonb_typeof(scores) = 'object'),
        CHECK (result <> 'rejected' OR result_reason IS NOT NULL),
        CHECK ((mobile_enc IS NULL) = (mobile_masked IS NULL))
      )`,
      `CREATE UNIQUE INDEX applicants_tenant_id_key ON applicants (tenant_id, id)`,
      `CREATE UNIQUE INDEX applicants_cohort_person_key ON applicants (tenant_id, cohort_id, id_number_hash)`,
      `CREATE INDEX applicants_cohort_rank_idx ON applicants (tenant_id, cohort_id, total_score DESC, id)`,
      ...tenantTableSql('applicants', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE students (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        cohort_id uuid NOT NULL,
        programme_id uuid NOT NULL,
        applicant_id uuid,
        name varchar(64) NOT NULL,
        gender varchar(8) NOT NULL CHECK (gender IN ('male','female')),
        date_of_birth date NOT NULL,
        id_number_enc bytea NOT NULL,
        id_number_hash bytea NOT NULL CHECK (octet_length(id_number_hash) = 32),
        id_number_masked varchar(18) NOT NULL,
        mobile_enc bytea,
        mobile_masked varchar(16),
        entry_level varchar(32) NOT NULL CHECK (entry_level IN ${TRACK_ENTRY_LEVELS}),
        status varchar(16) NOT NULL DEFAULT 'admitted'
          CHECK (status IN ('admitted','enrolled','graduated','streamed-out','withdrawn')),
        admitted_on date NOT NULL,
        enrolled_on date,
        left_on date,
        left_reason varchar(500),
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id),
        FOREIGN KEY (tenant_id, applicant_id) REFERENCES applicants (tenant_id, id),
        CHECK ((mobile_enc IS NULL) = (mobile_masked IS NULL)),
        CHECK (status NOT IN ('enrolled','graduated') OR enrolled_on IS NOT NULL),
        CHECK ((status IN ('graduated','streamed-out','withdrawn')) = (left_on IS NOT NULL))
      )`,
      `CREATE UNIQUE INDEX students_tenant_id_key ON students (tenant_id, id)`,
      // Unique in the college through the blind index: another college may enrol the same person.
      `CREATE UNIQUE INDEX students_tenant_id_number_key ON students (tenant_id, id_number_hash)`,
      `CREATE UNIQUE INDEX students_applicant_key ON students (tenant_id, applicant_id) WHERE applicant_id IS NOT NULL`,
      `CREATE INDEX students_cohort_idx ON students (tenant_id, cohort_id, name, id)`,
      `CREATE INDEX students_programme_idx ON students (tenant_id, programme_id)`,
      ...tenantTableSql('students', 'SELECT, INSERT, UPDATE'),

      // Dated transitions of the recorded status (the derived stage change is dated by the cohort).
      `CREATE TABLE student_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        from_status varchar(16),
        to_status varchar(16) NOT NULL,
        effective_on date NOT NULL,
        reason varchar(500),
        recorded_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX student_status_changes_tenant_id_key ON student_status_changes (tenant_id, id)`,
      `CREATE INDEX student_status_changes_student_idx ON student_status_changes (tenant_id, student_id, effective_on, created_at)`,
      ...tenantTableSql('student_status_changes', 'SELECT, INSERT'),

      // R-EVA-1: one decision per student at the streaming checkpoint.
      `CREATE TABLE streaming_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        cohort_id uuid NOT NULL,
        student_id uuid NOT NULL,
        checkpoint_on date NOT NULL,
        decision varchar(24) NOT NULL CHECK (decision IN ('continue','senior-worker-route','leave')),
        reason varchar(500) NOT NULL CHECK (length(btrim(reason)) > 0),
        decided_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX streaming_decisions_tenant_id_key ON streaming_decisions (tenant_id, id)`,
      `CREATE UNIQUE INDEX streaming_decisions_student_key ON streaming_decisions (tenant_id, student_id)`,
      `CREATE INDEX streaming_decisions_cohort_idx ON streaming_decisions (tenant_id, cohort_id, decision)`,
      ...tenantTableSql('streaming_decisions', 'SELECT, INSERT'),

      // Large imports run as a job; the uploaded bytes wait here (never in the job payload) and are cleared when done.
      `CREATE TABLE student_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        cohort_id uuid NOT NULL,
        file_name varchar(255) NOT NULL,
        format varchar(8) NOT NULL CHECK (format IN ('xlsx','csv')),
        file bytea,
        dry_run boolean NOT NULL DEFAULT false,
        status varchar(16) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','succeeded','failed')),
        total_rows integer NOT NULL DEFAULT 0,
        processed_rows integer NOT NULL DEFAULT 0,
        created_count integer NOT NULL DEFAULT 0,
        unchanged_count integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id),
        CHECK (jsonb_typeof(errors) = 'array')
      )`,
      `CREATE UNIQUE INDEX student_imports_tenant_id_key ON student_imports (tenant_id, id)`,
      `CREATE INDEX student_imports_cohort_idx ON student_imports (tenant_id, cohort_id, created_at DESC)`,
      ...tenantTableSql('student_imports', 'SELECT, INSERT, UPDATE'),

      // DOMAIN §5: the lifecycle status with the stage derived from the cohort's dates.
      `CREATE VIEW students_v WITH (security_invoker = true) AS
        SELECT s.*,
               CASE
                 WHEN s.status <> 'enrolled' THEN s.status
                 WHEN c.senior_worker_stage_end IS NOT NULL AND current_date < c.senior_worker_stage_end THEN 'senior-worker-stage'
                 ELSE 'technician-stage'
               END AS lifecycle_status,
               c.senior_worker_stage_end,
               c.expected_graduation
        FROM students s
        JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id`,
      `GRANT SELECT ON students_v TO app_user`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW IF EXISTS students_v');
    for (const t of ['student_imports', 'streaming_decisions', 'student_status_changes', 'students', 'applicants']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query('ALTER TABLE teams DROP CONSTRAINT IF EXISTS teams_cohort_fkey');
    await q.query('DROP TABLE IF EXISTS cohorts CASCADE');
  }
}
