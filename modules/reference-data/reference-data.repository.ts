import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import type { CalendarDayFact, CalendarDayKind, CalendarYearStatus } from './domain/work-calendar';
import { IndustryCluster } from './industry-cluster.entity';
import { ProfessionalTitleLevel } from './professional-title-level.entity';
import { RolloutRuleRow } from './rollout-rule.entity';
import { SchoolingTrack } from './schooling-track.entity';
import { SkillLevel } from './skill-level.entity';

export interface CalendarYearRow {
  year: number;
  status: CalendarYearStatus;
  source: string | null;
  version: number;
  updatedAt: Date;
}

export interface CalendarDayRow extends CalendarDayFact {
  year: number;
}

const YEAR_COLUMNS = 'year, status, source, version, updated_at AS "updatedAt"';

/**
 * All SQL of the reference data. These are control-plane tables (no tenant RLS); only the
 * calendar is written at run time. Calendar dates travel as `day::text`, so no driver or
 * machine timezone ever turns a China date into an instant.
 */
@Injectable()
export class ReferenceDataRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get tx() {
    return (this.txHost as Tx).tx;
  }

  industryClusters(): Promise<IndustryCluster[]> {
    return this.tx.getRepository(IndustryCluster).find({ order: { sortOrder: 'ASC' } });
  }

  skillLevels(): Promise<SkillLevel[]> {
    return this.tx.getRepository(SkillLevel).find({ order: { rank: 'ASC' } });
  }

  skillLevel(code: string): Promise<SkillLevel | null> {
    return this.tx.getRepository(SkillLevel).findOneBy({ code });
  }

  titleLevels(): Promise<ProfessionalTitleLevel[]> {
    return this.tx.getRepository(ProfessionalTitleLevel).find({ order: { rank: 'ASC' } });
  }

  titleLevel(code: string): Promise<ProfessionalTitleLevel | null> {
    return this.tx.getRepository(ProfessionalTitleLevel).findOneBy({ code });
  }

  schoolingTracks(): Promise<SchoolingTrack[]> {
    return this.tx.getRepository(SchoolingTrack).find({ order: { sortOrder: 'ASC' } });
  }

  rolloutRules(): Promise<RolloutRuleRow[]> {
    return this.tx.getRepository(RolloutRuleRow).find({ order: { fromYear: 'ASC' } });
  }

  calendarYears(): Promise<CalendarYearRow[]> {
    return this.tx.query(`SELECT ${YEAR_COLUMNS} FROM calendar_years ORDER BY year`);
  }

  /** The entered years from `fromYear` on: what any window starting then can reach. */
  async calendarYearsFrom(fromYear: number): Promise<CalendarYearRow[]> {
    return this.tx.query(`SELECT ${YEAR_COLUMNS} FROM calendar_years WHERE year >= $1 ORDER BY year`, [fromYear]);
  }

  async calendarYear(year: number, options: { lock?: boolean } = {}): Promise<CalendarYearRow | undefined> {
    const rows: CalendarYearRow[] = await this.tx.query(
      `SELECT ${YEAR_COLUMNS} FROM calendar_years WHERE year = $1${options.lock ? ' FOR UPDATE' : ''}`,
      [year],
    );
    return rows[0];
  }

  calendarDays(years: number[]): Promise<CalendarDayRow[]> {
    return this.tx.query(
      `SELECT day::text AS date, year, kind, name FROM calendar_days WHERE year = ANY($1::smallint[]) ORDER BY day`,
      [years],
    );
  }

  /** Fails with a unique violation (→ 409) when another admin entered the year first. */
  async insertCalendarYear(year: number, status: CalendarYearStatus, source: string | null): Promise<CalendarYearRow> {
    const rows: CalendarYearRow[] = await this.tx.query(
      `INSERT INTO calendar_years (year, status, source) VALUES ($1, $2, $3) RETURNING ${YEAR_COLUMNS}`,
      [year, status, source],
    );
    return rows[0];
  }

  async updateCalendarYear(year: number, status: CalendarYearStatus, source: string | null): Promise<CalendarYearRow> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [CalendarYearRow[], number] = await this.tx.query(
      `UPDATE calendar_years SET status = $2, source = $3, version = version + 1, updated_at = now()
       WHERE year = $1 RETURNING ${YEAR_COLUMNS}`,
      [year, status, source],
    );
    return rows[0];
  }

  /** A year's days are replaced whole: the schedule is published and corrected as one document. */
  async replaceCalendarDays(year: number, days: { date: string; kind: CalendarDayKind; name: string | null }[]): Promise<void> {
    await this.tx.query(`DELETE FROM calendar_days WHERE year = $1`, [year]);
    if (!days.length) return;
    await this.tx.query(
      `INSERT INTO calendar_days (day, year, kind, name)
       SELECT d.day, $1, d.kind, d.name
       FROM unnest($2::date[], $3::varchar[], $4::varchar[]) AS d(day, kind, name)`,
      [year, days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.name)],
    );
  }
}
