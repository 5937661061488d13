import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * R-GOV-4 (issue 12): each college's annual experience report; the province selects
 * outstanding ones into the case library (selected = true, with a case title and reason).
 * A college row: the province marks the selection pinned to that college (ADR 0008).
 */
export class PilotExperienceReports1764400071000 implements MigrationInterface {
  name = 'PilotExperienceReports1764400071000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE pilot_experience_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        year integer NOT NULL CHECK (year BETWEEN 2025 AND 2100),
        title varchar(200) NOT NULL,
        summary text NOT NULL,
        programme_id uuid,
        attachment_id uuid,
        submitted_by uuid REFERENCES users(id),
        selected boolean NOT NULL DEFAULT false,
        case_title varchar(200),
        selection_reason varchar(1000),
        selected_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        FOREIGN KEY (tenant_id, programme_id) REFERENCES programmes (tenant_id, id),
        CHECK (NOT selected OR case_title IS NOT NULL)
      )`,
      `CREATE INDEX pilot_experience_reports_year_idx ON pilot_experience_reports (tenant_id, year DESC, created_at DESC, id)`,
      `CREATE INDEX pilot_experience_reports_cases_idx ON pilot_experience_reports (year DESC, created_at DESC, id) WHERE selected`,
      ...tenantTableSql('pilot_experience_reports', 'SELECT, INSERT, UPDATE'),
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS pilot_experience_reports');
  }
}
