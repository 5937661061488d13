import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../src/database/transaction-host';
import type { KpiCounts } from './domain/kpi';

const CHINA_TODAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

export interface KpiFilter {
  tenantId?: string;
  programmeId?: string;
  cohortId?: string;
  tier?: string;
  city?: string;
  cluster?: string;
  year?: number;
}

export type Level = 'cohort' | 'programme' | 'college' | 'province';

export interface KpiRow extends KpiCounts {
  level: Level;
  tenantId: string | null;
  programmeId: string | null;
  cohortId: string | null;
  collegeName: string | null;
  tier: string | null;
  city: string | null;
  programmeName: string | null;
  pilotStatus: string | null;
  cohortName: string | null;
  intakeYear: number | null;
  cohortStatus: string | null;
  /** when the counts were taken (stored: the oldest cohort snapshot summed; null: none stored yet) */
  computedAt: Date | null;
  /** cohorts summed that have no stored counts yet (refreshed on their first KPI write, or by the nightly run) */
  notCounted: number;
  asOf: Date;
}

const COUNT_COLUMNS = [
  'students',
  'graduates',
  'attained',
  'employed',
  'matched',
  'pay_above',
  'stable_base',
  'stable',
  'planned_hours',
  'confirmed_hours',
  'streaming_decided',
  'streamed_out',
  'left_count',
];

/** The names and attributes shown with each level, carried through the sums (no joins after the GROUPING SETS). */
const LABELS = `t.name AS college_name, t.tier, t.city, p.name AS programme_name, p.pilot_status, co.name AS cohort_name, co.intake_year, co.status AS cohort_status`;
const LABEL_COLUMNS = 'college_name, tier, city, programme_name, pilot_status, cohort_name, intake_year, cohort_status';

/**
 * The KPI SQL (DOMAIN §4), per cohort: counts of graduate_outcomes_v flags, practice hours
 * and streaming decisions. Ends in `per_cohort`; the refresh job stores it in
 * kpi_cohort_counts, and KPI_SQL sums it live.
 */
const COHORT_COUNTS_CTES = `
  WITH c AS (
    SELECT co.tenant_id, co.programme_id, co.id AS cohort_id, ${LABELS}
    FROM cohorts co
    JOIN tenants t ON t.id = co.tenant_id
    JOIN programmes p ON p.tenant_id = co.tenant_id AND p.id = co.programme_id
    WHERE ($1::uuid IS NULL OR co.tenant_id = $1::uuid) AND ($2::uuid IS NULL OR co.programme_id = $2::uuid) AND ($3::uuid IS NULL OR co.id = $3::uuid)
      AND ($4::text IS NULL OR t.tier = $4::text) AND ($5::text IS NULL OR t.city = $5::text)
      AND ($6::text IS NULL OR $6::text = ANY (p.cluster_codes)) AND ($7::int IS NULL OR co.intake_year = $7::int)
  ),
  g AS (
    SELECT o.tenant_id, o.cohort_id,
           count(*) AS students,
           count(*) FILTER (WHERE o.graduate) AS graduates,
           count(*) FILTER (WHERE o.attained) AS attained,
           count(*) FILTER (WHERE o.employed) AS employed,
           count(*) FILTER (WHERE o.matched) AS matched,
           count(*) FILTER (WHERE o.pay_above) AS pay_above,
           count(*) FILTER (WHERE o.stable_base) AS stable_base,
           count(*) FILTER (WHERE o.stable) AS stable,
           count(*) FILTER (WHERE o.status IN ('streamed-out','withdrawn')) AS left_count
    FROM graduate_outcomes_v o JOIN c ON c.tenant_id = o.tenant_id AND c.cohort_id = o.cohort_id
    -- constants the planner pushes into every per-student aggregate of the views (index scans, not whole tables)
    WHERE ($1::uuid IS NULL OR o.tenant_id = $1::uuid) AND ($3::uuid IS NULL OR o.cohort_id = $3::uuid) AND ($2::uuid IS NULL OR o.programme_id = $2::uuid)
    GROUP BY o.tenant_id, o.cohort_id
  ),
  ph AS (
    SELECT s.tenant_id, s.cohort_id, sum(pl.planned_hours) AS planned_hours
    FROM placements pl JOIN students s ON s.tenant_id = pl.tenant_id AND s.id = pl.student_id
    JOIN c ON c.tenant_id = s.tenant_id AND c.cohort_id = s.cohort_id
    GROUP BY s.tenant_id, s.cohort_id
  ),
  pc AS (
    SELECT s.tenant_id, s.cohort_id, sum(e.hours) AS confirmed_hours
    FROM practice_hours_entries e JOIN students s ON s.tenant_id = e.tenant_id AND s.id = e.student_id
    JOIN c ON c.tenant_id = s.tenant_id AND c.cohort_id = s.cohort_id
    WHERE e.status = 'confirmed'
    GROUP BY s.tenant_id, s.cohort_id
  ),
  sd AS (
    SELECT d.tenant_id, d.cohort_id, count(*) AS streaming_decided, count(*) FILTER (WHERE d.decision <> 'continue') AS streamed_out
    FROM streaming_decisions d JOIN c ON c.tenant_id = d.tenant_id AND c.cohort_id = d.cohort_id
    GROUP BY d.tenant_id, d.cohort_id
  ),
  per_cohort AS (
    SELECT c.tenant_id, c.programme_id, c.cohort_id, ${LABEL_COLUMNS.split(', ').map((l) => `c.${l}`).join(', ')},
           COALESCE(g.students, 0) AS students, COALESCE(g.graduates, 0) AS graduates, COALESCE(g.attained, 0) AS attained,
           COALESCE(g.employed, 0) AS employed, COALESCE(g.matched, 0) AS matched, COALESCE(g.pay_above, 0) AS pay_above,
           COALESCE(g.stable_base, 0) AS stable_base, COALESCE(g.stable, 0) AS stable, COALESCE(g.left_count, 0) AS left_count,
           COALESCE(ph.planned_hours, 0) AS planned_hours, COALESCE(pc.confirmed_hours, 0) AS confirmed_hours,
           COALESCE(sd.streaming_decided, 0) AS streaming_decided, COALESCE(sd.streamed_out, 0) AS streamed_out,
           statement_timestamp() AS computed_at
    FROM c
    LEFT JOIN g ON g.tenant_id = c.tenant_id AND g.cohort_id = c.cohort_id
    LEFT JOIN ph ON ph.tenant_id = c.tenant_id AND ph.cohort_id = c.cohort_id
    LEFT JOIN pc ON pc.tenant_id = c.tenant_id AND pc.cohort_id = c.cohort_id
    LEFT JOIN sd ON sd.tenant_id = c.tenant_id AND sd.cohort_id = c.cohort_id
  )`;

/**
 * GROUPING SETS sum the cohorts into programmes, colleges and the province in the same
 * statement — the sum of counts, never a mean of ratios. `computedAt` is the oldest snapshot
 * summed (null when none of the cohorts has counts yet). College users are held to their
 * college by RLS; the province reads every college through the province read policy.
 */
const GROUPING_SETS = {
  all: `(tenant_id, college_name, tier, city, programme_id, programme_name, pilot_status, cohort_id, cohort_name, intake_year, cohort_status),
      (tenant_id, college_name, tier, city, programme_id, programme_name, pilot_status),
      (tenant_id, college_name, tier, city),
      ()`,
  colleges: `(tenant_id, college_name, tier, city), ()`,
};

/** The sums over `per_cohort` at every level, or (`colleges`) the colleges and the province only. */
function sumCohorts(levels: keyof typeof GROUPING_SETS): string {
  const ids = levels === 'all' ? 'tenant_id, programme_id, cohort_id' : 'tenant_id';
  return `,
  agg AS (
    SELECT ${ids}, ${levels === 'all' ? 'GROUPING(tenant_id, programme_id, cohort_id)' : 'CASE GROUPING(tenant_id) WHEN 0 THEN 3 ELSE 7 END'} AS bits,
           ${levels === 'all' ? LABEL_COLUMNS : 'college_name, tier, city'},
           ${COUNT_COLUMNS.map((k) => `sum(${k})::float8 AS ${k}`).join(', ')}, min(computed_at) AS computed_at,
           count(*) FILTER (WHERE computed_at IS NULL)::int AS not_counted
    FROM per_cohort
    GROUP BY GROUPING SETS (${GROUPING_SETS[levels]})
  )
  SELECT CASE bits WHEN 0 THEN 'cohort' WHEN 1 THEN 'programme' WHEN 3 THEN 'college' ELSE 'province' END AS level,
         tenant_id AS "tenantId", ${levels === 'all' ? 'programme_id' : 'NULL::uuid'} AS "programmeId", ${levels === 'all' ? 'cohort_id' : 'NULL::uuid'} AS "cohortId",
         college_name AS "collegeName", tier, city,
         ${levels === 'all' ? 'programme_name' : 'NULL::text'} AS "programmeName", ${levels === 'all' ? 'pilot_status' : 'NULL::text'} AS "pilotStatus",
         ${levels === 'all' ? 'cohort_name' : 'NULL::text'} AS "cohortName", ${levels === 'all' ? 'intake_year' : 'NULL::int'} AS "intakeYear",
         ${levels === 'all' ? 'cohort_status' : 'NULL::text'} AS "cohortStatus",
         students, graduates, attained, employed, matched, pay_above AS "payAbove",
         stable_base AS "stableBase", stable, planned_hours AS "plannedHours", confirmed_hours AS "confirmedHours",
         streaming_decided AS "streamingDecided", streamed_out AS "streamedOut", left_count AS "left",
         computed_at AS "computedAt", not_counted AS "notCounted", now() AS "asOf"
  FROM agg
  ORDER BY bits DESC, ${levels === 'all' ? 'college_name NULLS FIRST, tenant_id NULLS FIRST, programme_name NULLS FIRST, programme_id NULLS FIRST, intake_year DESC NULLS FIRST, cohort_name NULLS FIRST' : 'tenant_id NULLS FIRST'}`;
}

/**
 * The dashboards' SQL: the stored per-cohort counts, summed the same way. Only the filters
 * given are in the statement (no "$n IS NULL OR" guards): the planner then estimates the
 * cohorts it joins and hash-joins the province's 1,350 of them instead of looping.
 */
export function storedKpiSql(f: KpiFilter, levels: keyof typeof GROUPING_SETS = 'all'): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.tenantId) add('co.tenant_id = ?::uuid', f.tenantId);
  if (f.programmeId) add('co.programme_id = ?::uuid', f.programmeId);
  if (f.cohortId) add('co.id = ?::uuid', f.cohortId);
  if (f.tier) add('t.tier = ?::text', f.tier);
  if (f.city) add('t.city = ?::text', f.city);
  if (f.cluster) add('?::text = ANY (p.cluster_codes)', f.cluster);
  if (f.year) add('co.intake_year = ?::int', f.year);
  const sql = `
  WITH per_cohort AS (
    SELECT co.tenant_id, co.programme_id, co.id AS cohort_id, ${LABELS},
           ${COUNT_COLUMNS.map((k) => `COALESCE(k.${k}, 0) AS ${k}`).join(', ')}, k.computed_at
    FROM cohorts co
    JOIN tenants t ON t.id = co.tenant_id
    JOIN programmes p ON p.tenant_id = co.tenant_id AND p.id = co.programme_id
    LEFT JOIN kpi_cohort_counts k ON k.tenant_id = co.tenant_id AND k.cohort_id = co.id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
  )${sumCohorts(levels)}`;
  return { sql, params };
}

/** The live KPI SQL: every cohort's counts computed now, summed. */
export const KPI_SQL = COHORT_COUNTS_CTES + sumCohorts('all');

/**
 * Stores the live per-cohort counts (a college's cohorts, or one). An older snapshot never
 * overwrites a newer one (two refreshes of a cohort racing).
 */
export const REFRESH_COUNTS_SQL = `${COHORT_COUNTS_CTES}
  INSERT INTO kpi_cohort_counts AS k (tenant_id, cohort_id, ${COUNT_COLUMNS.join(', ')}, computed_at)
  SELECT tenant_id, cohort_id, ${COUNT_COLUMNS.join(', ')}, computed_at FROM per_cohort
  ON CONFLICT (tenant_id, cohort_id) DO UPDATE SET ${COUNT_COLUMNS.map((k) => `${k} = EXCLUDED.${k}`).join(', ')}, computed_at = EXCLUDED.computed_at
  WHERE k.computed_at <= EXCLUDED.computed_at`;

/**
 * The statements that store a college's KPI counts, for callers outside Nest (the demo seed):
 * the same SQL and planner settings as the refresh job, in the caller's transaction pinned
 * to the college.
 */
export function kpiCountsRefreshStatements(tenantId: string): { sql: string; params: unknown[] }[] {
  return [
    { sql: HASH_JOINS_ONLY, params: [] },
    { sql: REFRESH_COUNTS_SQL, params: kpiParams({ tenantId }) },
  ];
}

/**
 * The live KPI statement run as this module runs it (planner settings included, province-wide
 * with the longer timeout), for callers with their own transaction: reports show exactly the
 * dashboard's figures, computed the same way.
 */
export async function queryLiveKpis<T>(manager: EntityManager, filter: KpiFilter): Promise<T[]> {
  const provinceWide = !filter.tenantId;
  await manager.query(HASH_JOINS_ONLY);
  if (provinceWide) await manager.query("SELECT set_config('statement_timeout', '120s', true)");
  const rows = await manager.query(KPI_SQL, kpiParams(filter));
  await manager.query(`RESET enable_nestloop; RESET jit${provinceWide ? '; RESET statement_timeout' : ''}`);
  return rows;
}

// jit off too: disabled nested loops inflate the estimated cost past jit_above_cost, and compiling
// the plan with LLVM took ~30 s on a loaded 2-core machine for a query that runs in 0.1 s
const HASH_JOINS_ONLY = "SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)";

export function kpiParams(f: KpiFilter): unknown[] {
  return [f.tenantId ?? null, f.programmeId ?? null, f.cohortId ?? null, f.tier ?? null, f.city ?? null, f.cluster ?? null, f.year ?? null];
}

export interface StudentFactRow {
  studentId: string;
  name: string;
  status: string;
  graduate: boolean;
  attained: boolean;
  employed: boolean;
  matched: boolean;
  payAbove: boolean;
  stableBase: boolean;
  stable: boolean;
}

function normalised(r: KpiRow): KpiRow {
  // the empty grouping set yields one row even with no cohorts: kept (the province with no data)
  return { ...r, intakeYear: r.intakeYear === null ? null : Number(r.intakeYear) };
}

/** All KPI and dashboard SQL. Reads other modules' tables (never writes them); writes only kpi_cohort_counts. */
@Injectable()
export class KpisRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get manager() {
    return (this.txHost as Tx).tx;
  }

  /**
   * Runs a KPI aggregate with hash joins only. The outcome views join per-student
   * aggregates (part A's view included); on tables without fresh statistics the planner
   * picks nested loops that re-run an aggregate per student (seconds for a few hundred
   * students, a timeout for a province). Transaction-local, restored right after.
   */
  private async hashJoined<T>(sql: string, params: unknown[], provinceWide = false): Promise<T> {
    await this.manager.query(HASH_JOINS_ONLY);
    // the province-wide aggregate reads every college (served at most once a minute): more than the runtime role's 15 s
    if (provinceWide) await this.manager.query("SELECT set_config('statement_timeout', '120s', true)");
    const rows = await this.manager.query(sql, params); // on an error the transaction rolls back and the settings with it
    await this.manager.query(`RESET enable_nestloop; RESET jit${provinceWide ? '; RESET statement_timeout' : ''}`);
    return rows;
  }

  /** Live: every cohort's counts computed by this statement (the cohort, programme and college KPI routes). */
  async rows(filter: KpiFilter): Promise<KpiRow[]> {
    const rows: KpiRow[] = await this.hashJoined(KPI_SQL, kpiParams(filter), !filter.tenantId);
    return rows.map(normalised);
  }

  /**
   * Stored: the per-cohort counts the refresh job keeps, summed (the dashboards; no per-student work).
   * Hash joins only: the RLS policies' `OR` is estimated at one row, and the planner then scanned
   * kpi_cohort_counts once per cohort (a nested loop: 275 scans for the province's 275 cohorts in
   * bench/main-paths.ts, growing with cohorts squared).
   */
  async storedRows(filter: KpiFilter, levels: 'all' | 'colleges' = 'all'): Promise<KpiRow[]> {
    const { sql, params } = storedKpiSql(filter, levels);
    return ((await this.hashJoined(sql, params)) as KpiRow[]).map(normalised);
  }

  /** Recomputes and stores the counts of the current college's cohorts (one, or all). Returns the cohorts written. */
  async refreshCounts(tenantId: string, cohortId: string | null): Promise<number> {
    await this.hashJoined(REFRESH_COUNTS_SQL, kpiParams({ tenantId, cohortId: cohortId ?? undefined }));
    return (
      await this.manager.query(`SELECT count(*)::int AS n FROM kpi_cohort_counts WHERE tenant_id = $1 AND ($2::uuid IS NULL OR cohort_id = $2::uuid)`, [tenantId, cohortId])
    )[0].n;
  }

  /** Every college (the nightly refresh fans out over them; province scope). */
  async tenantIds(): Promise<string[]> {
    return (await this.manager.query(`SELECT id FROM tenants ORDER BY id`)).map((r: { id: string }) => r.id);
  }

  async cohortRef(cohortId: string, tenantId: string | null): Promise<{ tenantId: string; programmeId: string } | undefined> {
    return (
      await this.manager.query(`SELECT tenant_id AS "tenantId", programme_id AS "programmeId" FROM cohorts WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2::uuid)`, [
        cohortId,
        tenantId,
      ])
    )[0];
  }

  async programmeRef(programmeId: string, tenantId: string | null): Promise<{ tenantId: string } | undefined> {
    return (await this.manager.query(`SELECT tenant_id AS "tenantId" FROM programmes WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2::uuid)`, [programmeId, tenantId]))[0];
  }

  async tenantExists(tenantId: string): Promise<boolean> {
    return (await this.manager.query(`SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1) AS ok`, [tenantId]))[0].ok === true;
  }

  /** The students behind the numbers of a cohort or programme (college roles only see names). */
  studentFacts(tenantId: string, scope: { cohortId?: string; programmeId?: string }): Promise<StudentFactRow[]> {
    return this.hashJoined(
      `SELECT o.student_id AS "studentId", o.name, o.status, o.graduate, o.attained, COALESCE(o.employed, false) AS employed,
              COALESCE(o.matched, false) AS matched, COALESCE(o.pay_above, false) AS "payAbove",
              COALESCE(o.stable_base, false) AS "stableBase", COALESCE(o.stable, false) AS stable
       FROM graduate_outcomes_v o
       WHERE o.tenant_id = $1 AND ($2::uuid IS NULL OR o.cohort_id = $2::uuid) AND ($3::uuid IS NULL OR o.programme_id = $3::uuid)
       ORDER BY o.name, o.student_id`,
      [tenantId, scope.cohortId ?? null, scope.programmeId ?? null],
    );
  }

  /** Students by stage (DOMAIN §5 lifecycle, derived in students_v) per college. */
  studentsByStage(tenantId: string | null): Promise<{ tenantId: string; stage: string; count: number }[]> {
    return this.manager.query(
      `SELECT tenant_id AS "tenantId", lifecycle_status AS stage, count(*)::int AS count FROM students_v
       WHERE ($1::uuid IS NULL OR tenant_id = $1::uuid) GROUP BY tenant_id, lifecycle_status ORDER BY tenant_id, lifecycle_status`,
      [tenantId],
    );
  }

  /**
   * R-TRN-4 at risk: running placements whose confirmed share of planned hours lags the
   * share of the stage's time already gone by more than the college's practiceRiskPoints
   * (default 20 points).
   */
  practiceAtRisk(tenantId: string): Promise<{ placements: number; students: number; missingHours: number }[]> {
    return this.manager.query(
      `WITH running AS (
         SELECT pl.id, pl.student_id, pl.planned_hours,
                (LEAST(${CHINA_TODAY}, pl.ends_on) - pl.starts_on + 1)::numeric / (pl.ends_on - pl.starts_on + 1) AS elapsed,
                COALESCE((SELECT sum(e.hours) FROM practice_hours_entries e WHERE e.tenant_id = pl.tenant_id AND e.placement_id = pl.id AND e.status = 'confirmed'), 0) AS confirmed
         FROM placements pl
         WHERE pl.tenant_id = $1 AND pl.starts_on <= ${CHINA_TODAY} AND pl.ends_on >= ${CHINA_TODAY}
       ), risk AS (
         SELECT r.* FROM running r, tenants t
         WHERE t.id = $1 AND r.confirmed / r.planned_hours < r.elapsed - COALESCE((t.settings ->> 'practiceRiskPoints')::numeric, 20) / 100
       )
       SELECT count(*)::int AS placements, count(DISTINCT student_id)::int AS students,
              COALESCE(round(sum(planned_hours * elapsed - confirmed)), 0)::int AS "missingHours" FROM risk`,
      [tenantId],
    );
  }

  /** R-EVA-2 per programme: the programme's team (not a cohort's own) counted live. */
  teamCompliance(tenantId: string): Promise<{ programmeId: string; programmeName: string; total: number; enterprise: number; experts: number; hasTeam: boolean }[]> {
    return this.manager.query(
      `SELECT p.id AS "programmeId", p.name AS "programmeName", (tm.id IS NOT NULL) AS "hasTeam",
              COALESCE(k.total, 0) AS total, COALESCE(k.enterprise, 0) AS enterprise, COALESCE(k.experts, 0) AS experts
       FROM programmes p
       LEFT JOIN LATERAL (SELECT t.id FROM teams t WHERE t.tenant_id = p.tenant_id AND t.programme_id = p.id AND t.cohort_id IS NULL LIMIT 1) tm ON true
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS total, count(*) FILTER (WHERE s.side = 'enterprise')::int AS enterprise, count(*) FILTER (WHERE s.expert)::int AS experts
         FROM team_members m JOIN staff_members_v s ON s.tenant_id = m.tenant_id AND s.id = m.staff_member_id
         WHERE m.tenant_id = p.tenant_id AND m.team_id = tm.id AND s.status = 'active' AND s.confirmation = 'confirmed'
       ) k ON true
       WHERE p.tenant_id = $1 ORDER BY p.name, p.id`,
      [tenantId],
    );
  }

  /** Results the enterprise side still owes: draft sheets of practice/terminal items, per enterprise (part A's tables). */
  async pendingResults(tenantId: string): Promise<{ enterpriseId: string | null; enterpriseName: string; pending: number }[]> {
    const exists = await this.manager.query(`SELECT to_regclass('public.assessment_results') IS NOT NULL AS ok`);
    if (!exists[0].ok) return [];
    return this.manager.query(
      `SELECT r.enterprise_id AS "enterpriseId", COALESCE(e.name, '（未指定企业）') AS "enterpriseName", count(*)::int AS pending
       FROM assessment_results r LEFT JOIN enterprises e ON e.id = r.enterprise_id
       WHERE r.tenant_id = $1 AND r.is_current AND r.status = 'draft' AND r.kind IN ('practice','terminal')
       GROUP BY r.enterprise_id, e.name ORDER BY pending DESC, "enterpriseName"`,
      [tenantId],
    );
  }

  /** Pilots (programmes) by status per college (province dashboard). */
  pilotsByStatus(filter: KpiFilter): Promise<{ tenantId: string; status: string; count: number }[]> {
    return this.manager.query(
      `SELECT p.tenant_id AS "tenantId", p.pilot_status AS status, count(*)::int AS count
       FROM programmes p JOIN tenants t ON t.id = p.tenant_id
       WHERE ($1::uuid IS NULL OR p.tenant_id = $1::uuid) AND ($2::text IS NULL OR t.tier = $2::text) AND ($3::text IS NULL OR t.city = $3::text)
         AND ($4::text IS NULL OR $4::text = ANY (p.cluster_codes))
       GROUP BY p.tenant_id, p.pilot_status`,
      [filter.tenantId ?? null, filter.tier ?? null, filter.city ?? null, filter.cluster ?? null],
    );
  }

  /** Every college matching the filter, with or without cohorts (so a college with no data still shows). */
  colleges(filter: KpiFilter): Promise<{ tenantId: string; name: string; tier: string; city: string }[]> {
    return this.manager.query(
      `SELECT t.id AS "tenantId", t.name, t.tier, t.city FROM tenants t
       WHERE ($1::uuid IS NULL OR t.id = $1::uuid) AND ($2::text IS NULL OR t.tier = $2::text) AND ($3::text IS NULL OR t.city = $3::text)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM programmes p WHERE p.tenant_id = t.id AND $4::text = ANY (p.cluster_codes)))
       ORDER BY t.name, t.id`,
      [filter.tenantId ?? null, filter.tier ?? null, filter.city ?? null, filter.cluster ?? null],
    );
  }
}
