import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  CALENDAR_YEARS,
  INDUSTRY_CLUSTERS,
  ROLLOUT_RULES,
  SCHOOLING_TRACKS,
  SKILL_LEVELS,
  TITLE_LEVELS,
} from '../modules/reference-data/data/seed';
import { controlTableSql } from './support/rls';

const TIERS = "ARRAY['batch1','batch2','batch2-building','batch2-cultivating','other']::varchar[]";

/**
 * Province-owned reference data (ARCHITECTURE §3 control plane: no tenant_id, no RLS,
 * readable by every role). Only the working calendar is written at run time, by
 * province admins (R-APP-5); everything else changes through migrations.
 */
export class ReferenceData1764400001000 implements MigrationInterface {
  name = 'ReferenceData1764400001000';

  async up(q: QueryRunner): Promise<void> {
    const statements: string[] = [
      // R-PRG-1: Guangdong's twenty 双十 strategic industry clusters.
      `CREATE TABLE industry_clusters (
        code varchar(8) PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('pillar','emerging')),
        name_zh varchar(64) NOT NULL,
        name_en varchar(128) NOT NULL,
        sort_order smallint NOT NULL,
        valid_from date,
        valid_to date,
        CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from)
      )`,
      ...controlTableSql('industry_clusters', 'SELECT'),

      // R-EVA-2 / R-EVA-3: the vocational skill ladder; technician (level 2) and up are experts.
      `CREATE TABLE skill_levels (
        code varchar(16) PRIMARY KEY,
        rank smallint NOT NULL UNIQUE,
        national_level smallint CHECK (national_level BETWEEN 1 AND 5),
        name_zh varchar(32) NOT NULL,
        technician_or_above boolean NOT NULL
      )`,
      ...controlTableSql('skill_levels', 'SELECT'),

      // R-EVA-2: professional title bands; 副高级 and 正高级 are senior titles.
      `CREATE TABLE professional_title_levels (
        code varchar(24) PRIMARY KEY,
        rank smallint NOT NULL UNIQUE,
        name_zh varchar(16) NOT NULL,
        band_zh varchar(8) NOT NULL CHECK (band_zh IN ('初级','中级','高级')),
        senior boolean NOT NULL,
        college_theory_title varchar(32),
        college_practice_title varchar(32)
      )`,
      ...controlTableSql('professional_title_levels', 'SELECT'),

      // R-TRK-1 / R-TRK-2: schooling tracks by entry level; the flexible track sets its own split per cohort.
      `CREATE TABLE schooling_tracks (
        code varchar(32) PRIMARY KEY,
        entry_level_zh varchar(64) NOT NULL,
        entry_level_en varchar(128) NOT NULL,
        years smallint CHECK (years > 0),
        senior_worker_stage_years smallint CHECK (senior_worker_stage_years >= 0),
        flexible boolean NOT NULL DEFAULT false,
        sort_order smallint NOT NULL,
        CHECK (flexible OR (years IS NOT NULL AND senior_worker_stage_years IS NOT NULL AND senior_worker_stage_years < years))
      )`,
      ...controlTableSql('schooling_tracks', 'SELECT'),

      // R-COL-2: a rule holds from its year until the next one.
      `CREATE TABLE rollout_rules (
        from_year smallint PRIMARY KEY CHECK (from_year BETWEEN 2000 AND 2100),
        tiers varchar(24)[] NOT NULL CHECK (cardinality(tiers) > 0 AND tiers <@ ${TIERS}),
        note_zh varchar(200)
      )`,
      ...controlTableSql('rollout_rules', 'SELECT'),

      // R-APP-5: the statutory working calendar, kept by province admins year by year.
      `CREATE TABLE calendar_years (
        year smallint PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        status varchar(16) NOT NULL CHECK (status IN ('official','provisional')),
        source varchar(500),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      ...controlTableSql('calendar_years', 'SELECT, INSERT, UPDATE, DELETE'),

      // Only the exceptions are stored: any other weekday works, any other weekend day rests.
      `CREATE TABLE calendar_days (
        day date PRIMARY KEY,
        year smallint NOT NULL REFERENCES calendar_years(year) ON DELETE CASCADE,
        kind varchar(24) NOT NULL CHECK (kind IN ('holiday','adjusted-workday')),
        name varchar(32),
        CHECK (extract(year FROM day) = year),
        CHECK (kind = 'adjusted-workday' OR name IS NOT NULL),
        CHECK (kind = 'holiday' OR extract(isodow FROM day) IN (6, 7))
      )`,
      `CREATE INDEX calendar_days_year_idx ON calendar_days (year, day)`,
      ...controlTableSql('calendar_days', 'SELECT, INSERT, UPDATE, DELETE'),
    ];
    for (const sql of statements) await q.query(sql);
    await this.seed(q);
  }

  private async seed(q: QueryRunner): Promise<void> {
    for (const c of INDUSTRY_CLUSTERS) {
      await q.query(`INSERT INTO industry_clusters (code, kind, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)`, [
        c.code, c.kind, c.nameZh, c.nameEn, c.sortOrder,
      ]);
    }
    for (const l of SKILL_LEVELS) {
      await q.query(
        `INSERT INTO skill_levels (code, rank, national_level, name_zh, technician_or_above) VALUES ($1, $2, $3, $4, $5)`,
        [l.code, l.rank, l.nationalLevel, l.nameZh, l.technicianOrAbove],
      );
    }
    for (const t of TITLE_LEVELS) {
      await q.query(
        `INSERT INTO professional_title_levels (code, rank, name_zh, band_zh, senior, college_theory_title, college_practice_title)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [t.code, t.rank, t.nameZh, t.bandZh, t.senior, t.collegeTheoryTitle, t.collegePracticeTitle],
      );
    }
    for (const t of SCHOOLING_TRACKS) {
      await q.query(
        `INSERT INTO schooling_tracks (code, entry_level_zh, entry_level_en, years, senior_worker_stage_years, flexible, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [t.code, t.entryLevelZh, t.entryLevelEn, t.years, t.seniorWorkerStageYears, t.flexible, t.sortOrder],
      );
    }
    for (const r of ROLLOUT_RULES) {
      await q.query(`INSERT INTO rollout_rules (from_year, tiers, note_zh) VALUES ($1, $2, $3)`, [r.fromYear, r.tiers, r.noteZh]);
    }
    for (const y of CALENDAR_YEARS) {
      await q.query(`INSERT INTO calendar_years (year, status, source) VALUES ($1, $2, $3)`, [y.year, y.status, y.source]);
      for (const d of y.days) {
        await q.query(`INSERT INTO calendar_days (day, year, kind, name) VALUES ($1::date, $2, $3, $4)`, [d.date, y.year, d.kind, d.name]);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['calendar_days', 'calendar_years', 'rollout_rules', 'schooling_tracks', 'professional_title_levels', 'skill_levels', 'industry_clusters']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
