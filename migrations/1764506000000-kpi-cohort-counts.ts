import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from './support/rls';

/**
 * DOMAIN §4 counts per cohort, kept so the dashboards sum stored rows instead of computing
 * every student's outcome on each request (issue 11: the province dashboard took 7 s at 30 k
 * students). Written only by the KPI refresh job (modules/kpis/jobs) with the live KPI SQL
 * (`KPI_SQL`'s per-cohort counts, unchanged): on the writes that move a KPI (through the
 * outbox, coalesced per cohort) and for every cohort each night. `computed_at` is when the
 * counted snapshot was taken; the dashboards report the oldest one they summed.
 */
export class KpiCohortCounts1764506000000 implements MigrationInterface {
  name = 'KpiCohortCounts1764506000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE kpi_cohort_counts (
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        cohort_id uuid NOT NULL,
        students integer NOT NULL CHECK (students >= 0),
        graduates integer NOT NULL CHECK (graduates >= 0),
        attained integer NOT NULL CHECK (attained >= 0),
        employed integer NOT NULL CHECK (employed >= 0),
        matched integer NOT NULL CHECK (matched >= 0),
        pay_above integer NOT NULL CHECK (pay_above >= 0),
        stable_base integer NOT NULL CHECK (stable_base >= 0),
        stable integer NOT NULL CHECK (stable >= 0),
        planned_hours numeric NOT NULL CHECK (planned_hours >= 0),
        confirmed_hours numeric NOT NULL CHECK (confirmed_hours >= 0),
        streaming_decided integer NOT NULL CHECK (streaming_decided >= 0),
        streamed_out integer NOT NULL CHECK (streamed_out >= 0),
        left_count integer NOT NULL CHECK (left_count >= 0),
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, cohort_id),
        FOREIGN KEY (tenant_id, cohort_id) REFERENCES cohorts (tenant_id, id) ON DELETE CASCADE
      )`,
      ...tenantTableSql('kpi_cohort_counts', 'SELECT, INSERT, UPDATE, DELETE'),
      // the college dashboard's "results the enterprise side still owes": drafts are few, results many (10 per student)
      `CREATE INDEX assessment_results_pending_idx ON assessment_results (tenant_id, enterprise_id) WHERE is_current AND status = 'draft' AND kind IN ('practice','terminal')`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS assessment_results_pending_idx');
    await q.query('DROP TABLE IF EXISTS kpi_cohort_counts');
  }
}
