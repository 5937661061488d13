/**
 * The reference facts (copied from the project's shared reference set) as typed rows, for
 * the seeding migration and the unit tests. These files are the historical seed: a later
 * change to a fact goes into a new migration or, for the calendar, through the admin API,
 * never by editing them (the migration that read them has already run).
 */
import type { CalendarDayFact, CalendarYearFact } from '../domain/work-calendar';
import type { CollegeTier, RolloutRule } from '../domain/rollout';
import clustersJson from './industry-clusters.json';
import titlesJson from './professional-titles.json';
import rolloutJson from './rollout-rules.json';
import tracksJson from './schooling-tracks.json';
import skillsJson from './skill-levels.json';
import calendarJson from './work-calendar.json';

export interface IndustryClusterSeed {
  code: string;
  kind: 'pillar' | 'emerging';
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

export interface SkillLevelSeed {
  code: string;
  rank: number;
  /** 5…1 for the national 五级…一级; null for 学徒工, 特级技师, 首席技师 */
  nationalLevel: number | null;
  nameZh: string;
  technicianOrAbove: boolean;
}

export interface TitleLevelSeed {
  code: string;
  rank: number;
  nameZh: string;
  bandZh: string;
  senior: boolean;
  /** the technician-college teacher title at this rank (theory teachers, 讲师 series) */
  collegeTheoryTitle: string | null;
  /** the same for practice instructors (实习指导教师 series) */
  collegePracticeTitle: string | null;
}

export interface SchoolingTrackSeed {
  code: string;
  entryLevelZh: string;
  entryLevelEn: string;
  years: number | null;
  seniorWorkerStageYears: number | null;
  flexible: boolean;
  sortOrder: number;
}

export interface CalendarYearSeed extends CalendarYearFact {
  source: string;
}

export const INDUSTRY_CLUSTERS: IndustryClusterSeed[] = clustersJson.clusters.map((c, i) => ({
  code: c.code,
  kind: c.kind as IndustryClusterSeed['kind'],
  nameZh: c.nameZh,
  nameEn: c.nameEn,
  sortOrder: i + 1,
}));

// R-EVA-2 / R-EVA-3: level 2 (技师) and up are technician level and count as experts.
const technicianRank = skillsJson.levels.find((l) => l.code === 'level-2')!.rank;
export const SKILL_LEVELS: SkillLevelSeed[] = skillsJson.levels.map((l) => ({
  code: l.code,
  rank: l.rank,
  nationalLevel: /^level-[1-5]$/.test(l.code) ? Number(l.code.slice(-1)) : null,
  nameZh: l.nameZh,
  technicianOrAbove: l.rank >= technicianRank,
}));

// R-EVA-2: 副高级 and up are senior titles. The college teacher series are listed lowest
// first and end at 正高级, so they line up with the bands from the top down.
const seniorRank = titlesJson.titles.find((t) => t.code === 'deputy-senior')!.rank;
const topRank = Math.max(...titlesJson.titles.map((t) => t.rank));
function seriesTitle(series: string[], rank: number): string | null {
  return series[series.length - 1 - (topRank - rank)] ?? null;
}
export const TITLE_LEVELS: TitleLevelSeed[] = titlesJson.titles.map((t) => ({
  code: t.code,
  rank: t.rank,
  nameZh: t.nameZh,
  bandZh: t.band,
  senior: t.rank >= seniorRank,
  collegeTheoryTitle: seriesTitle(titlesJson.technicianCollegeSeries.theory, t.rank),
  collegePracticeTitle: seriesTitle(titlesJson.technicianCollegeSeries.practice, t.rank),
}));

export const SCHOOLING_TRACKS: SchoolingTrackSeed[] = tracksJson.tracks.map((t, i) => ({ ...t, sortOrder: i + 1 }));

export const ROLLOUT_RULES: (RolloutRule & { noteZh: string })[] = rolloutJson.rules.map((r) => ({
  fromYear: r.fromYear,
  tiers: r.tiers as CollegeTier[],
  noteZh: r.noteZh,
}));

/** Publication dates of the State Council notices, from work-calendar.json's `source`. */
const NOTICE_PUBLISHED: Record<string, string> = { '2025': '2024-11-12', '2026': '2025-11-04' };

type CalendarJsonYear = {
  status: string;
  holidays: { name: string; dates: string[] }[];
  adjustedWorkingDays: string[];
};

export const CALENDAR_YEARS: CalendarYearSeed[] = Object.entries(calendarJson.years as Record<string, CalendarJsonYear>).map(
  ([year, y]) => {
    const days: CalendarDayFact[] = [
      ...y.holidays.flatMap((h) => h.dates.map((date) => ({ date, kind: 'holiday' as const, name: h.name }))),
      // The schedule says which holiday each working weekend makes up for only in prose; no name is better than a guess.
      ...y.adjustedWorkingDays.map((date) => ({ date, kind: 'adjusted-workday' as const, name: null })),
    ].sort((a, b) => a.date.localeCompare(b.date));
    const published = NOTICE_PUBLISHED[year];
    return {
      year: Number(year),
      // "confirmed" in the shared file = the State Council schedule is published: official.
      status: y.status === 'confirmed' ? 'official' : 'provisional',
      source: `国务院办公厅关于${year}年部分节假日安排的通知${published ? `（${published} 发布）` : ''}`,
      days,
    };
  },
);
