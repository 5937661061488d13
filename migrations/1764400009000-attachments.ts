import { MigrationInterface, QueryRunner } from 'typeorm';
import { IS_PROVINCE, tenantTableSql } from './support/rls';

/**
 * Uploaded files (plans, agreements, qualification documents, minutes): metadata only,
 * the bytes live behind FileStorage. A tenant table; a province upload (filings, notices)
 * carries no college (tenant_id NULL) and is written under a province-only policy.
 */
export class Attachments1764400009000 implements MigrationInterface {
  name = 'Attachments1764400009000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id),
        owner_entity varchar(48),
        owner_id uuid,
        enterprise_id uuid REFERENCES enterprises(id),
        filename varchar(255) NOT NULL,
        content_type varchar(128) NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key varchar(300) NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((owner_entity IS NULL) = (owner_id IS NULL))
      )`,
      // (tenant_id, id) is the target of composite foreign keys (agreements' signed file).
      `CREATE UNIQUE INDEX attachments_tenant_id_key ON attachments (tenant_id, id)`,
      `CREATE UNIQUE INDEX attachments_storage_key ON attachments (tenant_id, storage_key)`,
      `CREATE INDEX attachments_tenant_owner_idx ON attachments (tenant_id, owner_entity, owner_id)`,
      `CREATE INDEX attachments_tenant_enterprise_idx ON attachments (tenant_id, enterprise_id)`,
      ...tenantTableSql('attachments', 'SELECT, INSERT, UPDATE'),
      // Province uploads belong to no college: only province scope writes or reads them.
      `CREATE POLICY attachments_province_own ON attachments USING (tenant_id IS NULL AND ${IS_PROVINCE}) WITH CHECK (tenant_id IS NULL AND ${IS_PROVINCE})`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS attachments CASCADE');
  }
}
