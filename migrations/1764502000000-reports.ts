import { MigrationInterface, QueryRunner } from 'typeorm';
import { IS_PROVINCE, tenantTableSql } from './support/rls';

/**
 * Report jobs (issue 13): KPI reports (XLSX/PDF) and evaluation dossiers (PDF). A tenant
 * table like `attachments`: a college's own reports carry its tenant_id; a report a province
 * user asks for (any college, or the province) belongs to no college (tenant_id NULL) and is
 * read and written under a province-only policy. The file lives behind FileStorage under a
 * key derived from the report id alone, so a retried job overwrites, never adds.
 */
export class Reports1764502000000 implements MigrationInterface {
  name = 'Reports1764502000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenants(id),
        kind varchar(20) NOT NULL CHECK (kind IN ('kpi','evaluation-dossier')),
        level varchar(10) NOT NULL CHECK (level IN ('cohort','programme','college','province')),
        college_id uuid REFERENCES tenants(id),
        subject_id uuid,
        evaluation_kind varchar(10) CHECK (evaluation_kind IN ('mid-term','completion')),
        format varchar(4) NOT NULL CHECK (format IN ('xlsx','pdf')),
        title varchar(200) NOT NULL,
        status varchar(8) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
        progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        attempts integer NOT NULL DEFAULT 0,
        storage_key varchar(300),
        size_bytes bigint CHECK (size_bytes >= 0),
        sha256 char(64) CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        error varchar(500),
        schedule_key varchar(60),
        requested_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        started_at timestamptz,
        finished_at timestamptz,
        CHECK ((status = 'done') = (storage_key IS NOT NULL AND finished_at IS NOT NULL)),
        CHECK (kind <> 'evaluation-dossier' OR (format = 'pdf' AND level = 'programme' AND evaluation_kind IS NOT NULL)),
        CHECK (level = 'province' OR college_id IS NOT NULL),
        CHECK (tenant_id IS NULL OR tenant_id = college_id)
      )`,
      `CREATE UNIQUE INDEX reports_tenant_id_key ON reports (tenant_id, id)`,
      `CREATE INDEX reports_list_idx ON reports (tenant_id, created_at DESC, id DESC)`,
      // a scheduled report (the monthly province report) exists once per period, however often its job runs
      `CREATE UNIQUE INDEX reports_schedule_key ON reports (tenant_id, schedule_key) NULLS NOT DISTINCT WHERE schedule_key IS NOT NULL`,
      ...tenantTableSql('reports', 'SELECT, INSERT, UPDATE'),
      `CREATE POLICY reports_province_own ON reports USING (tenant_id IS NULL AND ${IS_PROVINCE}) WITH CHECK (tenant_id IS NULL AND ${IS_PROVINCE})`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS reports CASCADE');
  }
}
