import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * Enterprise practice (R-TRN-4), work orders (R-ENT-3) and projects (R-TRN-3), issue 5.
 *
 * - `placements`: a student at a partner enterprise's site (or the in-school learning
 *   factory) for one practice stage of the training plan; planned hours are copied from
 *   the plan's practice stage when the placement is made.
 * - `practice_hours_entries`: one span of work on one China date, [starts_at, ends_at)
 *   with ends_at <= 24:00. "Overlap" means two non-rejected entries of the same student
 *   on the same date whose half-open spans intersect (08:00–12:00 and 12:00–13:00 do
 *   not). The exclusion constraint is the last word (btree_gist); since spans of one day
 *   cannot overlap and end by 24:00, a student can never hold more than 24 h on a date.
 * - `work_orders` + `work_order_events`: 任务工单 → 过程记录 → 成果验收. Events are the
 *   archive: append-only (no UPDATE or DELETE grant), and orders have no DELETE grant.
 * - `projects`, `project_milestones`, `project_panel_members`: 课题选题 / 项目研修 / 答辩评审.
 */
export class PracticeWorkOrdersProjects1764400030000 implements MigrationInterface {
  name = 'PracticeWorkOrdersProjects1764400030000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // Trusted extension (PostgreSQL 13+): the database owner may create it.
      `CREATE EXTENSION IF NOT EXISTS btree_gist`,

      `CREATE TABLE placements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        partnership_id uuid NOT NULL,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        site varchar(20) NOT NULL CHECK (site IN ('enterprise','learning-factory')),
        post varchar(200) NOT NULL,
        offering_id uuid,
        training_plan_id uuid NOT NULL,
        stage_index integer NOT NULL CHECK (stage_index >= 0),
        stage_name varchar(200) NOT NULL,
        planned_hours integer NOT NULL CHECK (planned_hours > 0),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, partnership_id) REFERENCES partnerships (tenant_id, id),
        FOREIGN KEY (tenant_id, offering_id) REFERENCES enterprise_offerings (tenant_id, id),
        FOREIGN KEY (tenant_id, training_plan_id) REFERENCES training_plans (tenant_id, id),
        CHECK (ends_on >= starts_on)
      )`,
      `CREATE UNIQUE INDEX placements_tenant_id_key ON placements (tenant_id, id)`,
      `CREATE INDEX placements_student_idx ON placements (tenant_id, student_id, stage_index, starts_on)`,
      `CREATE INDEX placements_enterprise_idx ON placements (tenant_id, enterprise_id)`,
      ...tenantTableSql('placements', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE practice_hours_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        placement_id uuid NOT NULL,
        student_id uuid NOT NULL,
        work_date date NOT NULL,
        starts_at time NOT NULL,
        ends_at time NOT NULL CHECK (ends_at <= time '24:00'),
        hours numeric(4,2) GENERATED ALWAYS AS (round((extract(epoch FROM ends_at - starts_at) / 3600)::numeric, 2)) STORED,
        activity text NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','confirmed','rejected')),
        rejection_reason varchar(500),
        decided_by uuid,
        decided_at timestamptz,
        logged_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, decided_by) REFERENCES staff_members (tenant_id, id),
        CHECK (ends_at > starts_at),
        CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)),
        CHECK ((status = 'pending') = (decided_at IS NULL)),
        -- R-TRN-4: no overlapping entries of one student (rejected entries do not count).
        CONSTRAINT practice_hours_entries_no_overlap EXCLUDE USING gist (
          tenant_id WITH =, student_id WITH =, tsrange(work_date + starts_at, work_date + ends_at, '[)') WITH &&
        ) WHERE (status <> 'rejected')
      )`,
      `CREATE UNIQUE INDEX practice_hours_entries_tenant_id_key ON practice_hours_entries (tenant_id, id)`,
      `CREATE INDEX practice_hours_entries_placement_idx ON practice_hours_entries (tenant_id, placement_id, work_date DESC, id)`,
      `CREATE INDEX practice_hours_entries_student_day_idx ON practice_hours_entries (tenant_id, student_id, work_date)`,
      ...tenantTableSql('practice_hours_entries', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE work_orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        placement_id uuid NOT NULL,
        student_id uuid NOT NULL,
        issued_by uuid NOT NULL,
        title varchar(200) NOT NULL,
        kind varchar(24) NOT NULL CHECK (kind IN ('equipment-operation','process-optimisation','technical-problem','other')),
        description text NOT NULL,
        skill_standard_items text[] NOT NULL DEFAULT '{}',
        due_on date NOT NULL,
        expected_hours numeric(6,1) NOT NULL CHECK (expected_hours > 0),
        status varchar(12) NOT NULL DEFAULT 'issued' CHECK (status IN ('issued','in-progress','submitted','accepted')),
        rejections integer NOT NULL DEFAULT 0 CHECK (rejections >= 0),
        submitted_at timestamptz,
        score integer CHECK (score BETWEEN 0 AND 100),
        acceptance_comment text,
        accepted_by uuid,
        accepted_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, placement_id) REFERENCES placements (tenant_id, id),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, issued_by) REFERENCES staff_members (tenant_id, id),
        FOREIGN KEY (tenant_id, accepted_by) REFERENCES staff_members (tenant_id, id),
        CHECK ((status = 'accepted') = (accepted_at IS NOT NULL AND score IS NOT NULL))
      )`,
      `CREATE UNIQUE INDEX work_orders_tenant_id_key ON work_orders (tenant_id, id)`,
      `CREATE INDEX work_orders_placement_idx ON work_orders (tenant_id, placement_id, created_at, id)`,
      `CREATE INDEX work_orders_student_idx ON work_orders (tenant_id, student_id, status)`,
      // no DELETE: the full history is the archive (R-ENT-3)
      ...tenantTableSql('work_orders', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE work_order_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        work_order_id uuid NOT NULL,
        kind varchar(12) NOT NULL CHECK (kind IN ('issued','record','submitted','accepted','rejected')),
        text text,
        hours numeric(6,1) NOT NULL DEFAULT 0 CHECK (hours >= 0),
        attachment_ids uuid[] NOT NULL DEFAULT '{}',
        score integer CHECK (score BETWEEN 0 AND 100),
        staff_member_id uuid,
        recorded_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        FOREIGN KEY (tenant_id, work_order_id) REFERENCES work_orders (tenant_id, id),
        FOREIGN KEY (tenant_id, staff_member_id) REFERENCES staff_members (tenant_id, id),
        CHECK (kind = 'record' OR hours = 0)
      )`,
      `CREATE UNIQUE INDEX work_order_events_tenant_id_key ON work_order_events (tenant_id, id)`,
      `CREATE INDEX work_order_events_order_idx ON work_order_events (tenant_id, work_order_id, created_at, id)`,
      // append-only (R-ENT-3)
      ...tenantTableSql('work_order_events', 'SELECT, INSERT'),

      `CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        topic varchar(200) NOT NULL,
        summary text NOT NULL,
        college_approved_by uuid,
        college_approved_at timestamptz,
        enterprise_approved_by uuid,
        enterprise_approved_at timestamptz,
        mid_check_on date,
        mid_check_result varchar(20) CHECK (mid_check_result IN ('pass','needs-improvement')),
        mid_check_comment text,
        defence_on date,
        defence_score numeric(5,2) CHECK (defence_score BETWEEN 0 AND 100),
        defence_result varchar(4) CHECK (defence_result IN ('pass','fail')),
        defence_comment text,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, college_approved_by) REFERENCES staff_members (tenant_id, id),
        FOREIGN KEY (tenant_id, enterprise_approved_by) REFERENCES staff_members (tenant_id, id),
        CHECK ((college_approved_by IS NULL) = (college_approved_at IS NULL)),
        CHECK ((enterprise_approved_by IS NULL) = (enterprise_approved_at IS NULL)),
        CHECK ((mid_check_on IS NULL) = (mid_check_result IS NULL)),
        CHECK ((defence_on IS NULL) = (defence_result IS NULL))
      )`,
      `CREATE UNIQUE INDEX projects_tenant_id_key ON projects (tenant_id, id)`,
      // one project per student
      `CREATE UNIQUE INDEX projects_student_key ON projects (tenant_id, student_id)`,
      ...tenantTableSql('projects', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE project_milestones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        project_id uuid NOT NULL,
        title varchar(200) NOT NULL,
        due_on date NOT NULL,
        done_on date,
        notes text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX project_milestones_tenant_id_key ON project_milestones (tenant_id, id)`,
      `CREATE INDEX project_milestones_project_idx ON project_milestones (tenant_id, project_id, due_on, id)`,
      ...tenantTableSql('project_milestones', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE project_panel_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        project_id uuid NOT NULL,
        staff_member_id uuid NOT NULL,
        role varchar(20) NOT NULL CHECK (role IN ('college-mentor','enterprise-mentor','expert')),
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        comment text,
        FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id),
        FOREIGN KEY (tenant_id, staff_member_id) REFERENCES staff_members (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX project_panel_members_tenant_id_key ON project_panel_members (tenant_id, id)`,
      `CREATE UNIQUE INDEX project_panel_members_member_key ON project_panel_members (tenant_id, project_id, staff_member_id)`,
      ...tenantTableSql('project_panel_members', 'SELECT, INSERT'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['project_panel_members', 'project_milestones', 'projects', 'work_order_events', 'work_orders', 'practice_hours_entries', 'placements']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
  }
}
