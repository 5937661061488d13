import { MigrationInterface, QueryRunner } from 'typeorm';
import { controlTableSql, tenantTableSql } from './support/rls';

/**
 * Partner enterprises (R-ENT-0…4), partnerships and joint-training agreements (R-TRN-1,
 * R-PRG-3). The registry `enterprises` is province-wide (control plane, one row per USCC);
 * everything a college does with an enterprise is a tenant table whose composite foreign
 * keys `(tenant_id, x_id)` keep every child inside its college.
 */
export class EnterprisesPartnerships1764400011000 implements MigrationInterface {
  name = 'EnterprisesPartnerships1764400011000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // R-ENT-0 / R-ENT-1 / R-ENT-4 profile on the registry row.
      `ALTER TABLE enterprises
        ADD COLUMN industry varchar(100),
        ADD COLUMN cluster_codes text[] NOT NULL DEFAULT '{}',
        ADD COLUMN headcount integer CHECK (headcount IS NULL OR headcount >= 0),
        ADD COLUMN revenue_band varchar(16) CHECK (revenue_band IS NULL OR revenue_band IN ('below-20m','20m-400m','400m-2b','2b-10b','over-10b')),
        ADD COLUMN standing text,
        ADD COLUMN address varchar(200),
        ADD COLUMN contact_name varchar(64),
        ADD COLUMN contact_phone varchar(20),
        ADD COLUMN values_skills_training boolean NOT NULL DEFAULT false,
        ADD COLUMN values_skills_training_note text,
        ADD COLUMN takes_part_in_assessment boolean NOT NULL DEFAULT false,
        ADD COLUMN can_place_graduates boolean NOT NULL DEFAULT false,
        ADD COLUMN can_place_graduates_note text,
        ADD COLUMN uscc_override_by uuid REFERENCES users(id),
        ADD COLUMN uscc_override_at timestamptz`,
      `CREATE INDEX enterprises_name_idx ON enterprises (name, id)`,

      // R-ENT-1 cooperation history: belongs to the enterprise, whichever college it was with.
      `CREATE TABLE enterprise_cooperations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        kind varchar(24) NOT NULL CHECK (kind IN ('industry-college','order-class','new-apprenticeship')),
        partner_college varchar(100) NOT NULL,
        title varchar(200) NOT NULL,
        started_on date NOT NULL,
        ended_on date,
        evidence text,
        attachment_id uuid,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ended_on IS NULL OR ended_on >= started_on)
      )`,
      `CREATE INDEX enterprise_cooperations_enterprise_idx ON enterprise_cooperations (enterprise_id, started_on DESC, id)`,
      ...controlTableSql('enterprise_cooperations'),

      // The college's own list of enterprises (a college that registers an existing USCC links to it).
      `CREATE TABLE college_enterprises (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        linked_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX college_enterprises_tenant_id_key ON college_enterprises (tenant_id, id)`,
      `CREATE UNIQUE INDEX college_enterprises_link_key ON college_enterprises (tenant_id, enterprise_id)`,
      ...tenantTableSql('college_enterprises', 'SELECT, INSERT, DELETE'),

      // College staff never edit the profile: they propose, the enterprise admin decides.
      `CREATE TABLE enterprise_change_proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        changes jsonb NOT NULL,
        note varchar(500),
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','rejected')),
        proposed_by uuid REFERENCES users(id),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        reject_reason varchar(500),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX enterprise_change_proposals_tenant_id_key ON enterprise_change_proposals (tenant_id, id)`,
      `CREATE INDEX enterprise_change_proposals_enterprise_idx ON enterprise_change_proposals (tenant_id, enterprise_id, created_at, id)`,
      ...tenantTableSql('enterprise_change_proposals', 'SELECT, INSERT, UPDATE'),

      // R-ENT-3: practice posts and technical projects an enterprise offers one college.
      `CREATE TABLE enterprise_offerings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        kind varchar(8) NOT NULL CHECK (kind IN ('post','project')),
        title varchar(200) NOT NULL,
        description text,
        skill_items text[] NOT NULL DEFAULT '{}',
        capacity integer NOT NULL CHECK (capacity >= 0),
        programme_id uuid,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id)
      )`,
      `CREATE UNIQUE INDEX enterprise_offerings_tenant_id_key ON enterprise_offerings (tenant_id, id)`,
      `CREATE INDEX enterprise_offerings_enterprise_idx ON enterprise_offerings (tenant_id, enterprise_id, created_at, id)`,
      ...tenantTableSql('enterprise_offerings'),

      // R-TRN-1 / R-PRG-3: college × enterprise × programme.
      `CREATE TABLE partnerships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        programme_id uuid NOT NULL,
        enterprise_id uuid NOT NULL REFERENCES enterprises(id),
        status varchar(16) NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','active','ended')),
        started_on date,
        ended_on date,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()), -- ms: keyset cursors round-trip through JS dates
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id),
        CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)
      )`,
      `CREATE UNIQUE INDEX partnerships_tenant_id_key ON partnerships (tenant_id, id)`,
      `CREATE UNIQUE INDEX partnerships_programme_enterprise_key ON partnerships (tenant_id, programme_id, enterprise_id)`,
      `CREATE INDEX partnerships_active_idx ON partnerships (tenant_id, programme_id) WHERE status = 'active'`,
      `CREATE INDEX partnerships_enterprise_idx ON partnerships (tenant_id, enterprise_id)`,
      ...tenantTableSql('partnerships', 'SELECT, INSERT, UPDATE'),

      // R-TRN-1: the joint-training agreement; party names are snapshots taken at drafting.
      `CREATE TABLE agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        partnership_id uuid NOT NULL,
        college_party_name varchar(200) NOT NULL,
        enterprise_party_name varchar(200) NOT NULL,
        signed_on date,
        term_start date NOT NULL,
        term_end date NOT NULL,
        rights_and_duties text NOT NULL,
        signed_file_attachment_id uuid,
        status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','signed','terminated')),
        terminated_on date,
        termination_reason varchar(500),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()), -- ms: keyset cursors round-trip through JS dates
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, partnership_id) REFERENCES partnerships (tenant_id, id),
        FOREIGN KEY (tenant_id, signed_file_attachment_id) REFERENCES attachments (tenant_id, id),
        CHECK (term_end >= term_start),
        CHECK (status = 'draft' OR (signed_on IS NOT NULL AND signed_file_attachment_id IS NOT NULL))
      )`,
      `CREATE UNIQUE INDEX agreements_tenant_id_key ON agreements (tenant_id, id)`,
      `CREATE INDEX agreements_partnership_idx ON agreements (tenant_id, partnership_id, created_at, id)`,
      ...tenantTableSql('agreements', 'SELECT, INSERT, UPDATE'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['agreements', 'partnerships', 'enterprise_offerings', 'enterprise_change_proposals', 'college_enterprises', 'enterprise_cooperations']) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query('DROP INDEX IF EXISTS enterprises_name_idx');
    await q.query(`ALTER TABLE enterprises
      DROP COLUMN IF EXISTS industry, DROP COLUMN IF EXISTS cluster_codes, DROP COLUMN IF EXISTS headcount,
      DROP COLUMN IF EXISTS revenue_band, DROP COLUMN IF EXISTS standing, DROP COLUMN IF EXISTS address,
      DROP COLUMN IF EXISTS contact_name, DROP COLUMN IF EXISTS contact_phone, DROP COLUMN IF EXISTS values_skills_training,
      DROP COLUMN IF EXISTS values_skills_training_note, DROP COLUMN IF EXISTS takes_part_in_assessment,
      DROP COLUMN IF EXISTS can_place_graduates, DROP COLUMN IF EXISTS can_place_graduates_note,
      DROP COLUMN IF EXISTS uscc_override_by, DROP COLUMN IF EXISTS uscc_override_at`);
  }
}
