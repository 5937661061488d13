import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * R-TRN-3 1+1 dual mentors. A mentorship is one student × one side × one mentor over a
 * period; the partial unique index keeps exactly one ACTIVE mentor per side, and ended
 * rows are the history (who, from, to, why, replaced by whom). The guidance log records
 * what either mentor did with the student; its composite key ties each entry to the pair
 * (mentorship, student, mentor) it belongs to. Students are issue 5's table
 * (1764400021000-cohorts-students): referenced by (tenant_id, id) like every tenant table.
 */
export class Mentorships1764400022000 implements MigrationInterface {
  name = 'Mentorships1764400022000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE mentorships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        student_id uuid NOT NULL,
        side varchar(16) NOT NULL CHECK (side IN ('college','enterprise')),
        staff_member_id uuid NOT NULL,
        started_on date NOT NULL,
        ended_on date,
        end_reason varchar(500),
        replaced_by uuid,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, student_id) REFERENCES students (tenant_id, id),
        FOREIGN KEY (tenant_id, staff_member_id) REFERENCES staff_members (tenant_id, id),
        CHECK (ended_on IS NULL OR ended_on >= started_on),
        CHECK ((ended_on IS NULL) = (end_reason IS NULL))
      )`,
      `CREATE UNIQUE INDEX mentorships_tenant_id_key ON mentorships (tenant_id, id)`,
      // The target of guidance_records' composite key: a guidance entry names the pair it belongs to.
      `CREATE UNIQUE INDEX mentorships_tenant_pair_key ON mentorships (tenant_id, id, student_id, staff_member_id)`,
      // R-TRN-3: exactly one active mentor per student and side.
      `CREATE UNIQUE INDEX mentorships_active_side_key ON mentorships (tenant_id, student_id, side) WHERE ended_on IS NULL`,
      `CREATE INDEX mentorships_staff_active_idx ON mentorships (tenant_id, staff_member_id) WHERE ended_on IS NULL`,
      `CREATE INDEX mentorships_student_idx ON mentorships (tenant_id, student_id, started_on, id)`,
      `ALTER TABLE mentorships ADD FOREIGN KEY (tenant_id, replaced_by) REFERENCES mentorships (tenant_id, id)`,
      ...tenantTableSql('mentorships', 'SELECT, INSERT, UPDATE'),

      `CREATE TABLE guidance_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        mentorship_id uuid NOT NULL,
        student_id uuid NOT NULL,
        staff_member_id uuid NOT NULL,
        occurred_on date NOT NULL,
        kind varchar(24) NOT NULL CHECK (kind IN ('topic-selection','project-study','practice','defence-preparation')),
        notes text NOT NULL,
        recorded_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        -- the student and the mentor are those of the mentorship (which itself points at students and staff_members)
        FOREIGN KEY (tenant_id, mentorship_id, student_id, staff_member_id) REFERENCES mentorships (tenant_id, id, student_id, staff_member_id)
      )`,
      `CREATE UNIQUE INDEX guidance_records_tenant_id_key ON guidance_records (tenant_id, id)`,
      `CREATE INDEX guidance_records_student_idx ON guidance_records (tenant_id, student_id, occurred_on DESC, id)`,
      ...tenantTableSql('guidance_records', 'SELECT, INSERT'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS guidance_records CASCADE');
    await q.query('DROP TABLE IF EXISTS mentorships CASCADE');
  }
}
