import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/** Programmes (专业), R-PRG-1/R-PRG-4 fields and the pilot life cycle (DOMAIN §5). */
export class Programmes1764400010000 implements MigrationInterface {
  name = 'Programmes1764400010000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE programmes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        code varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        occupation_code varchar(32) NOT NULL,
        occupation_name varchar(100) NOT NULL,
        cluster_codes text[] NOT NULL DEFAULT '{}',
        talent_gap_evidence text,
        talent_gap_number integer CHECK (talent_gap_number IS NULL OR talent_gap_number >= 0),
        priority_experience jsonb NOT NULL DEFAULT '[]'::jsonb,
        pilot_status varchar(24) NOT NULL DEFAULT 'candidate'
          CHECK (pilot_status IN ('candidate','applied','active','midterm-passed','completed','suspended','revoked')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      // (tenant_id, id) is the target of composite foreign keys, so a child row can never point into another college.
      `CREATE UNIQUE INDEX programmes_tenant_id_key ON programmes (tenant_id, id)`,
      `CREATE UNIQUE INDEX programmes_tenant_code_key ON programmes (tenant_id, lower(code))`,
      `CREATE INDEX programmes_tenant_name_idx ON programmes (tenant_id, name, id)`,
      ...tenantTableSql('programmes'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS programmes CASCADE');
  }
}
