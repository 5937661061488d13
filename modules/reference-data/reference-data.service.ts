import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException, FieldError } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { ErrorDefinition, interpolate } from '../../src/errors/error-catalog';
import { AuditService } from '../audit';
import { isDateOnly, parseDateOnly, yearOfDay } from './domain/calendar-date';
import { CollegeTier, eligibleTiersFor } from './domain/rollout';
import {
  CalendarDayKind,
  CalendarProblem,
  CalendarProblemKind,
  CalendarYearStatus,
  findCalendarProblems,
  WorkCalendar,
  WorkingDayWindow,
} from './domain/work-calendar';
import type { CalendarYearView, CalendarYearSummary } from './dto/calendar.dto';
import { MAX_WORKING_DAYS } from './dto/calendar.dto';
import type {
  IndustryClusterView,
  ProfessionalTitleView,
  RolloutRuleView,
  SchoolingTrackView,
  SkillLevelView,
} from './dto/reference-views.dto';
import { ReferenceErrors } from './reference-data.errors';
import { CalendarYearRow, ReferenceDataRepository } from './reference-data.repository';

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;

export interface CalendarYearInput {
  status: CalendarYearStatus;
  source?: string | null;
  days: { date: string; kind: CalendarDayKind; name?: string | null }[];
  /** required when the year is already entered (ARCHITECTURE §5: no update silently lost) */
  version?: number;
}

/** The order problems are reported in: the first kind present names the error. */
const PROBLEM_ERRORS: Record<CalendarProblemKind, ErrorDefinition> = {
  'invalid-date': ReferenceErrors.INVALID_DATE,
  'outside-year': ReferenceErrors.DATE_OUTSIDE_YEAR,
  duplicate: ReferenceErrors.DUPLICATE_DATE,
  'adjusted-workday-not-weekend': ReferenceErrors.ADJUSTED_WORKDAY_NOT_WEEKEND,
};

/**
 * Province-owned reference data and the statutory working calendar. Other modules use
 * it through index.ts: public-notice windows (R-APP-5), candidate tiers (R-COL-2) and the
 * expert tests of R-EVA-2.
 */
@Injectable()
export class ReferenceDataService {
  constructor(
    private readonly repository: ReferenceDataRepository,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async industryClusters(): Promise<IndustryClusterView[]> {
    const rows = await this.repository.industryClusters();
    return rows.map(({ sortOrder: _, ...c }) => c);
  }

  @Transactional()
  async skillLevels(): Promise<SkillLevelView[]> {
    return this.repository.skillLevels();
  }

  @Transactional()
  async professionalTitles(): Promise<ProfessionalTitleView[]> {
    return this.repository.titleLevels();
  }

  @Transactional()
  async schoolingTracks(): Promise<SchoolingTrackView[]> {
    const rows = await this.repository.schoolingTracks();
    return rows.map(({ sortOrder: _, ...t }) => t);
  }

  @Transactional()
  async rolloutRules(): Promise<RolloutRuleView[]> {
    const rows = await this.repository.rolloutRules();
    return rows.map((r) => ({ fromYear: r.fromYear, tiers: r.tiers as CollegeTier[], noteZh: r.noteZh }));
  }

  /** R-COL-2: the tiers that may be candidates in `year` (none before 2025, all from 2027). */
  @Transactional()
  async eligibleTiers(year: number): Promise<CollegeTier[]> {
    assertYear(year);
    return eligibleTiersFor(await this.rolloutRules(), year);
  }

  /** R-EVA-2 / R-EVA-3: is this skill level 技师 (level 2) or higher? */
  @Transactional()
  async skillLevelIsTechnicianOrAbove(code: string): Promise<boolean> {
    const level = await this.repository.skillLevel(code);
    if (!level) throw new AppException(ReferenceErrors.UNKNOWN_SKILL_LEVEL, { code });
    return level.technicianOrAbove;
  }

  /** R-EVA-2: is this a senior professional title (副高级 or 正高级)? */
  @Transactional()
  async titleIsSenior(code: string): Promise<boolean> {
    const title = await this.repository.titleLevel(code);
    if (!title) throw new AppException(ReferenceErrors.UNKNOWN_TITLE_LEVEL, { code });
    return title.senior;
  }

  /** The working calendar as entered, for every year a window starting in `fromYear` can reach. */
  @Transactional()
  async workCalendar(fromYear: number = MIN_CALENDAR_YEAR): Promise<WorkCalendar> {
    const years = await this.repository.calendarYearsFrom(fromYear);
    const days = await this.repository.calendarDays(years.map((y) => y.year));
    return new WorkCalendar(
      years.map((y) => ({ year: y.year, status: y.status, days: days.filter((d) => d.year === y.year) })),
    );
  }

  /**
   * R-APP-5: the window of `n` working days after `from` (a China date; that day does not
   * count). Flagged provisional when it runs through a year that is not officially entered.
   */
  @Transactional()
  async workingDays(from: string, n: number): Promise<WorkingDayWindow> {
    const start = parseDateOnly(from);
    if (start === undefined) throw new AppException(ReferenceErrors.INVALID_DATE, { date: from });
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS) {
      throw new AppException(ReferenceErrors.WORKING_DAYS_OUT_OF_RANGE, { max: MAX_WORKING_DAYS });
    }
    const calendar = await this.workCalendar(yearOfDay(start));
    return calendar.addWorkingDays(from, n);
  }

  @Transactional()
  async isWorkingDay(date: string): Promise<boolean> {
    if (!isDateOnly(date)) throw new AppException(ReferenceErrors.INVALID_DATE, { date });
    const year = yearOfDay(parseDateOnly(date)!);
    return (await this.workCalendar(year)).isWorkingDay(date);
  }

  @Transactional()
  async calendarYears(): Promise<CalendarYearSummary[]> {
    return (await this.repository.calendarYears()).map(toSummary);
  }

  @Transactional()
  async calendarYear(year: number): Promise<CalendarYearView> {
    assertYear(year);
    const row = await this.repository.calendarYear(year);
    if (!row) throw new AppException(ReferenceErrors.CALENDAR_YEAR_NOT_ENTERED, { year });
    return this.viewOf(row);
  }

  /**
   * R-APP-5: a province admin enters or corrects one year's schedule (status and every
   * exception day, replaced whole). Audited in the same transaction.
   */
  @Transactional()
  async putCalendarYear(year: number, input: CalendarYearInput): Promise<{ calendar: CalendarYearView; created: boolean }> {
    assertYear(year);
    assertNoProblems(year, findCalendarProblems(year, input.days));
    const days = [...input.days]
      .map((d) => ({ date: d.date, kind: d.kind, name: d.name ?? null }))
      .sort((a, b) => a.date.localeCompare(b.date));
    const source = input.source ?? null;

    const current = await this.repository.calendarYear(year, { lock: true });
    let before: CalendarYearView | null = null;
    let row: CalendarYearRow;
    if (current) {
      if (input.version === undefined) {
        throw new AppException(ReferenceErrors.CALENDAR_VERSION_REQUIRED, { year, current: current.version });
      }
      if (input.version !== current.version) throw new AppException(CommonErrors.STALE_VERSION, { current: current.version });
      before = await this.viewOf(current);
      row = await this.repository.updateCalendarYear(year, input.status, source);
    } else {
      row = await this.repository.insertCalendarYear(year, input.status, source);
    }
    await this.repository.replaceCalendarDays(year, days);

    const calendar = { ...toSummary(row), days };
    await this.audit.record({
      entity: 'calendar-year',
      entityId: String(year),
      action: current ? 'update' : 'create',
      before,
      after: calendar,
    });
    return { calendar, created: !current };
  }

  private async viewOf(row: CalendarYearRow): Promise<CalendarYearView> {
    const days = await this.repository.calendarDays([row.year]);
    return { ...toSummary(row), days: days.map(({ date, kind, name }) => ({ date, kind, name })) };
  }
}

function toSummary(row: CalendarYearRow): CalendarYearSummary {
  return {
    year: row.year,
    status: row.status,
    source: row.source,
    version: row.version,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_CALENDAR_YEAR || year > MAX_CALENDAR_YEAR) {
    throw new AppException(ReferenceErrors.YEAR_OUT_OF_RANGE, { year, min: MIN_CALENDAR_YEAR, max: MAX_CALENDAR_YEAR });
  }
}

/** One error for the first kind of problem found, with every problem listed by field. */
function assertNoProblems(year: number, problems: CalendarProblem[]): void {
  if (!problems.length) return;
  const order = Object.keys(PROBLEM_ERRORS) as CalendarProblemKind[];
  const first = order.find((kind) => problems.some((p) => p.kind === kind))!;
  const firstProblem = problems.find((p) => p.kind === first)!;
  const fieldErrors: FieldError[] = problems.map((p) => {
    const definition = PROBLEM_ERRORS[p.kind];
    const params = { date: p.date, year };
    return {
      field: `days.${p.index}.date`,
      constraint: definition.code,
      zh: interpolate(definition.zh, params),
      en: interpolate(definition.en, params),
    };
  });
  throw new AppException(PROBLEM_ERRORS[first], { date: firstProblem.date, year }, fieldErrors);
}
