import { MigrationInterface, QueryRunner } from 'typeorm';
import { controlTableSql, tenantTableSql } from './support/rls';

/** "Today" is the China date (ARCHITECTURE §5), in SQL as in code. */
const CHINA_TODAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * Graduation, graduate tracking, pay benchmarks and the KPI facts (issue 11, part B).
 *
 * - DOMAIN §5: graduating sets `students.status = 'graduated'` and `left_on`; a cohort
 *   completes (college action) when every student graduated, left or was streamed out.
 * - R-EVA-4: employment records and dated follow-ups per graduate; pay benchmarks kept by
 *   the province per city with effective dates (no two in force for one city on a day).
 * - DOMAIN §4: `graduate_outcomes_v` states, per student, every fact a KPI counts; the
 *   KPIs are sums of these flags in SQL (a college is the sum of its cohorts).
 * - The assessment/certificate facts come from part A's `student_evaluation_outcomes_v`
 *   (modules/assessments). Its migration runs before this one; when it is absent (this
 *   branch before A lands) an empty placeholder with the same columns stands in.
 */
export class GraduatesKpis1764400065000 implements MigrationInterface {
  name = 'GraduatesKpis1764400065000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE cohorts ADD COLUMN completed_on date, ADD COLUMN completed_by uuid REFERENCES users(id)`,

      // R-EVA-4: technician-post monthly pay by city, kept by province admins (control plane, no tenant).
      `CREATE TABLE pay_benchmarks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city varchar(32) NOT NULL CHECK (length(btrim(city)) > 0),
        year smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        monthly_pay integer NOT NULL CHECK (monthly_pay > 0 AND monthly_pay <= 1000000),
        effective_from date NOT NULL,
        effective_to date,
        note varchar(500),
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (effective_to IS NULL OR effective_to >= effective_from),
        CONSTRAINT pay_benchmarks_no_overlap EXCLUDE USING gist (city WITH =, daterange(effective_from, effective_to, '[]') WITH &&)
      )`,
      `CREATE INDEX pay_benchmarks_city_idx ON pay_benchmarks (city, effective_from DESC, id)`,
      ...controlTableSql('pay_benchmarks', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE employment_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        enterprise_id uuid REFERENCES enterprises(id),
        employer_name varchar(200) NOT NULL,
        employer_uscc varchar(18),
        post varchar(200) NOT NULL,
        city varchar(32) NOT NULL,
        started_on date NOT NULL,
        ended_on date,
        monthly_pay integer NOT NULL CHECK (monthly_pay >= 0 AND monthly_pay <= 1000000),
        technician_equivalent boolean NOT NULL DEFAULT false,
        matched boolean NOT NULL DEFAULT false,
        match_reason varchar(500) NOT NULL DEFAULT '',
        source varchar(16) NOT NULL DEFAULT 'college' CHECK (source IN ('college','enterprise')),
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        CHECK (ended_on IS NULL OR ended_on >= started_on),
        CHECK (source = 'college' OR enterprise_id IS NOT NULL)
      )`,
      `CREATE UNIQUE INDEX employment_records_tenant_id_key ON employment_records (tenant_id, id)`,
      `CREATE INDEX employment_records_student_idx ON employment_records (tenant_id, student_id, started_on DESC, created_at DESC)`,
      `CREATE INDEX employment_records_enterprise_idx ON employment_records (tenant_id, enterprise_id, started_on DESC, id)`,
      ...tenantTableSql('employment_records', 'SELECT, INSERT, UPDATE'),

      // R-EVA-4: follow-ups at graduation, +6 and +12 months (settings): one per checkpoint.
      `CREATE TABLE graduate_follow_ups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        checkpoint_months smallint NOT NULL CHECK (checkpoint_months BETWEEN 0 AND 120),
        outcome varchar(16) NOT NULL CHECK (outcome IN ('employed-same','employed-new','unemployed','further-study','military','unreachable')),
        followed_up_on date NOT NULL,
        employment_record_id uuid,
        note varchar(500),
        recorded_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, employment_record_id) REFERENCES employment_records (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX graduate_follow_ups_tenant_id_key ON graduate_follow_ups (tenant_id, id)`,
      `CREATE UNIQUE INDEX graduate_follow_ups_checkpoint_key ON graduate_follow_ups (tenant_id, student_id, checkpoint_months)`,
      `CREATE INDEX graduate_follow_ups_latest_idx ON graduate_follow_ups (tenant_id, student_id, followed_up_on DESC, created_at DESC)`,
      ...tenantTableSql('graduate_follow_ups', 'SELECT, INSERT'),

      // Part A's contract view; a placeholder only when A's migration has not created it.
      `DO $$ BEGIN
         IF to_regclass('public.student_evaluation_outcomes_v') IS NULL THEN
           EXECUTE 'CREATE VIEW student_evaluation_outcomes_v WITH (security_invoker = true) AS
             SELECT s.tenant_id, s.id AS student_id, s.cohort_id, 0::int AS course_items, 0::int AS course_items_passed,
                    false AS all_courses_passed, false AS practice_met, false AS terminal_technician,
                    false AS verified_national_certificate, false AS verified_industry_certificate
             FROM students s WHERE false';
           EXECUTE 'GRANT SELECT ON student_evaluation_outcomes_v TO app_user';
         END IF;
       END $$`,

      // R-EVA-4: each employment record with the benchmark in force for its city on its start date (at most one: no overlaps).
      `CREATE VIEW employment_facts_v WITH (security_invoker = true) AS
        SELECT r.*, b.monthly_pay AS benchmark
        FROM employment_records r
        LEFT JOIN pay_benchmarks b ON b.city = r.city AND b.effective_from <= r.started_on AND (b.effective_to IS NULL OR b.effective_to >= r.started_on)`,
      `GRANT SELECT ON employment_facts_v TO app_user`,

      /*
       * DOMAIN §4 facts per student, set-based (hash joins of per-student aggregates, no
       * per-row subqueries). A graduate is \`status = 'graduated'\` (streamed-out and withdrawn
       * students never are). Employment is the record in force today (China date) unless a
       * later follow-up says the graduate is no longer employed; further study, military
       * service, unemployed and unreachable graduates are not "employed". Stable employment:
       * graduates with an employment record and a reached follow-up at the stable checkpoint
       * (college setting stableEmploymentMonths, default 12); stable when it finds them employed.
       */
      `CREATE VIEW graduate_outcomes_v WITH (security_invoker = true) AS
        WITH cur AS (
          SELECT DISTINCT ON (r.tenant_id, r.student_id) r.tenant_id, r.student_id, r.started_on, r.matched, r.monthly_pay, r.benchmark
          FROM employment_facts_v r
          WHERE r.started_on <= ${CHINA_TODAY} AND (r.ended_on IS NULL OR r.ended_on >= ${CHINA_TODAY})
          ORDER BY r.tenant_id, r.student_id, r.started_on DESC, r.created_at DESC
        ),
        rec AS (
          SELECT r.tenant_id, r.student_id,
                 COALESCE(bool_or(r.technician_equivalent AND r.monthly_pay >= r.benchmark), false) AS hired_as_technician
          FROM employment_facts_v r
          GROUP BY r.tenant_id, r.student_id
        ),
        lf AS (
          SELECT DISTINCT ON (f.tenant_id, f.student_id) f.tenant_id, f.student_id, f.outcome, f.followed_up_on
          FROM graduate_follow_ups f
          ORDER BY f.tenant_id, f.student_id, f.followed_up_on DESC, f.created_at DESC
        ),
        st AS (
          SELECT f.tenant_id, f.student_id, f.outcome
          FROM graduate_follow_ups f JOIN tenants t ON t.id = f.tenant_id
          WHERE f.checkpoint_months = COALESCE((t.settings ->> 'stableEmploymentMonths')::int, 12)
        ),
        base AS (
          SELECT s.tenant_id, s.programme_id, s.cohort_id, s.id AS student_id, s.name, s.status, s.left_on,
                 (s.status = 'graduated') AS graduate,
                 COALESCE(eo.course_items, 0) AS course_items,
                 COALESCE(eo.course_items_passed, 0) AS course_items_passed,
                 COALESCE(eo.all_courses_passed, false) AS all_courses_passed,
                 COALESCE(eo.practice_met, false) AS practice_met,
                 COALESCE(eo.verified_national_certificate, false) AS national,
                 COALESCE(eo.verified_industry_certificate, false) AS industry,
                 COALESCE(eo.terminal_technician, false) AS terminal,
                 COALESCE(rec.hired_as_technician, false) AS hired,
                 (rec.student_id IS NOT NULL) AS has_record,
                 (s.status = 'graduated' AND cur.student_id IS NOT NULL
                   AND (lf.outcome IS NULL OR lf.outcome IN ('employed-same','employed-new') OR lf.followed_up_on < cur.started_on)) AS employed,
                 COALESCE(cur.matched, false) AS cur_matched,
                 COALESCE(cur.monthly_pay > cur.benchmark, false) AS cur_above,
                 st.outcome AS stable_outcome
          FROM students s
          LEFT JOIN student_evaluation_outcomes_v eo ON eo.tenant_id = s.tenant_id AND eo.student_id = s.id
          LEFT JOIN cur ON cur.tenant_id = s.tenant_id AND cur.student_id = s.id
          LEFT JOIN rec ON rec.tenant_id = s.tenant_id AND rec.student_id = s.id
          LEFT JOIN lf ON lf.tenant_id = s.tenant_id AND lf.student_id = s.id
          LEFT JOIN st ON st.tenant_id = s.tenant_id AND st.student_id = s.id
        )
        SELECT b.tenant_id, b.programme_id, b.cohort_id, b.student_id, b.name, b.status, b.left_on AS graduated_on, b.graduate,
               b.course_items, b.course_items_passed, b.all_courses_passed, b.practice_met,
               (b.graduate AND b.national) AS route1,
               (b.graduate AND b.industry) AS route2,
               (b.graduate AND b.terminal) AS route3,
               (b.graduate AND b.hired) AS route3_hired,
               -- R-EVA-3: a graduate counts once however many routes hold
               (b.graduate AND (b.national OR b.industry OR b.terminal OR b.hired)) AS attained,
               b.employed,
               (b.employed AND b.cur_matched) AS matched,
               -- R-EVA-4: strictly above the benchmark
               (b.employed AND b.cur_above) AS pay_above,
               (b.graduate AND b.has_record AND b.stable_outcome IS NOT NULL AND b.stable_outcome <> 'unreachable') AS stable_base,
               (b.graduate AND b.has_record AND b.stable_outcome IN ('employed-same','employed-new')) AS stable
        FROM base b`,
      `GRANT SELECT ON graduate_outcomes_v TO app_user`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW IF EXISTS graduate_outcomes_v');
    await q.query('DROP VIEW IF EXISTS employment_facts_v');
    for (const t of ['graduate_follow_ups', 'employment_records', 'pay_benchmarks']) await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    await q.query('ALTER TABLE cohorts DROP COLUMN IF EXISTS completed_on, DROP COLUMN IF EXISTS completed_by');
  }
}
