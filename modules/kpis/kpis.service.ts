import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { OnReadReplica } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { countsOfRow, KPI_KEYS, KpiCounts, KpiKey, kpisOf, KpiValue } from './domain/kpi';
import {
  CohortRowView,
  CollegeDashboardView,
  CollegeRowView,
  KpiSetView,
  ProgrammeRowView,
  ProvinceDashboardView,
  ProvinceQuery,
  StudentFactView,
} from './dto/kpi.dto';
import { KpiErrors } from './kpis.errors';
import { KpiFilter, KpiRow, KpisRepository } from './kpis.repository';

/** Roles that may see the names behind the numbers (they read students); others get counts. */
const NAMES_ROLES = new Set(['college-admin', 'college-staff', 'college-mentor']);


const EMPTY: KpiCounts = {
  students: 0, graduates: 0, attained: 0, employed: 0, matched: 0, payAbove: 0, stableBase: 0, stable: 0,
  plannedHours: 0, confirmedHours: 0, streamingDecided: 0, streamedOut: 0, left: 0,
};

export function toKpiSet(level: KpiSetView['level'], id: string | null, name: string, counts: KpiCounts, asOf: Date, computedAt: Date | null = asOf): KpiSetView {
  const k = kpisOf(counts);
  return {
    level,
    id,
    name,
    asOf: asOf.toISOString(),
    computedAt: computedAt ? new Date(computedAt).toISOString() : null,
    counts: { students: counts.students, graduates: counts.graduates, left: counts.left, employed: counts.employed },
    kpis: KPI_KEYS.map((key) => k[key]),
  };
}

function kpiOf(set: KpiSetView, key: KpiKey): KpiValue {
  return set.kpis.find((k) => k.key === key) as KpiValue;
}

/** One collator for every comparison (localeCompare with a locale builds one per call: ~100 ms for 150 colleges). */
const ZH_ORDER = new Intl.Collator('zh-Hans-CN');

/** By name, or by a KPI's ratio with "no data" last whatever the order. */
export function sortColleges<T extends KpiSetView>(colleges: T[], query: Pick<ProvinceQuery, 'sort' | 'order'>): T[] {
  const list = [...colleges];
  const sort = query.sort ?? 'name';
  const dir = query.order === 'desc' ? -1 : 1;
  const byName = (a: T, b: T) => ZH_ORDER.compare(a.name, b.name);
  if (sort === 'name') return list.sort((a, b) => byName(a, b) * dir);
  return list.sort((a, b) => {
    const x = kpiOf(a, sort).ratio;
    const y = kpiOf(b, sort).ratio;
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return x === y ? byName(a, b) : (x - y) * dir;
  });
}

/**
 * KPIs (DOMAIN §4) for a cohort, a programme, a college and the province, and the two
 * dashboards. The cohort, programme and college KPIs are computed live in SQL on each
 * request; the dashboards and the province KPIs sum the per-cohort counts the refresh job
 * stores (kpi_cohort_counts, the same SQL), and `computedAt` says how old the oldest summed
 * figure is. Totals are sums of cohort counts, so a college equals the sum over its cohorts.
 */
@Injectable()
export class KpisService {
  constructor(
    private readonly kpis: KpisRepository,
    private readonly context: TenantContext,
  ) {}

  private get isProvince(): boolean {
    return this.context.requireActor().scope === 'province';
  }

  private get maySeeNames(): boolean {
    return NAMES_ROLES.has(this.context.requireActor().role);
  }

  /** College users: their own college (whatever they ask); province users: the college named. */
  private collegeOf(requested?: string): string {
    if (!this.isProvince) return this.context.requireTenantId();
    if (!requested) throw new AppException(KpiErrors.COLLEGE_REQUIRED);
    return requested;
  }

  private async students(tenantId: string, scope: { cohortId?: string; programmeId?: string }): Promise<StudentFactView[] | null> {
    if (!this.maySeeNames) return null;
    return (await this.kpis.studentFacts(tenantId, scope)).map((s) => ({
      studentId: s.studentId,
      name: s.name,
      status: s.status,
      graduate: s.graduate,
      attained: s.attained,
      employed: s.employed,
      matched: s.matched,
      payAbove: s.payAbove,
      stable: s.stable,
    }));
  }

  @OnReadReplica()
  async cohort(cohortId: string): Promise<KpiSetView> {
    const ref = await this.kpis.cohortRef(cohortId, this.isProvince ? null : this.context.requireTenantId());
    if (!ref) throw new AppException(KpiErrors.COHORT_NOT_FOUND);
    const row = (await this.kpis.rows({ tenantId: ref.tenantId, cohortId })).find((r) => r.level === 'cohort')!;
    return { ...toKpiSet('cohort', cohortId, row.cohortName ?? '', countsOfRow(row), row.asOf), students: await this.students(ref.tenantId, { cohortId }) };
  }

  @OnReadReplica()
  async programme(programmeId: string): Promise<KpiSetView> {
    const ref = await this.kpis.programmeRef(programmeId, this.isProvince ? null : this.context.requireTenantId());
    if (!ref) throw new AppException(KpiErrors.PROGRAMME_NOT_FOUND);
    const rows = await this.kpis.rows({ tenantId: ref.tenantId, programmeId });
    const row = rows.find((r) => r.level === 'programme');
    const name = row?.programmeName ?? '';
    return {
      ...toKpiSet('programme', programmeId, name, row ? countsOfRow(row) : EMPTY, rows[0]?.asOf ?? new Date()),
      students: await this.students(ref.tenantId, { programmeId }),
    };
  }

  /**
   * A programme's KPIs in the current tenant (the caller pins it, e.g. the completion
   * evaluation of issue 12), with no actor checks and no names: the same SQL and
   * definitions as GET /kpis/programmes/:id. An empty programme is "no data" (ratio null).
   */
  @Transactional()
  async programmeKpis(programmeId: string): Promise<Record<KpiKey, KpiValue>> {
    const rows = await this.kpis.rows({ tenantId: this.context.requireTenantId(), programmeId });
    const row = rows.find((r) => r.level === 'programme');
    return kpisOf(row ? countsOfRow(row) : EMPTY);
  }

  @OnReadReplica()
  async college(requested?: string): Promise<KpiSetView> {
    const tenantId = this.collegeOf(requested);
    const [college] = await this.kpis.colleges({ tenantId });
    if (!college) throw new AppException(KpiErrors.COLLEGE_NOT_FOUND);
    const rows = await this.kpis.rows({ tenantId });
    const row = rows.find((r) => r.level === 'college');
    return toKpiSet('college', tenantId, college.name, row ? countsOfRow(row) : EMPTY, rows[0]?.asOf ?? new Date());
  }

  /** Province-wide: the stored per-cohort counts summed (computing every student of every college live is not a request's work). */
  @OnReadReplica()
  async province(filter: KpiFilter = {}): Promise<KpiSetView> {
    const rows = await this.kpis.storedRows(filter, 'colleges');
    const row = rows.find((r) => r.level === 'province');
    return toKpiSet('province', null, '广东省', row ? countsOfRow(row) : EMPTY, rows[0]?.asOf ?? new Date(), row?.computedAt ?? null);
  }

  @OnReadReplica()
  async collegeDashboard(requested?: string): Promise<CollegeDashboardView> {
    const tenantId = this.collegeOf(requested);
    const [college] = await this.kpis.colleges({ tenantId });
    if (!college) throw new AppException(KpiErrors.COLLEGE_NOT_FOUND);
    const rows = await this.kpis.storedRows({ tenantId });
    const asOf = rows[0]?.asOf ?? new Date();
    const collegeRow = rows.find((r) => r.level === 'college');
    const teams = new Map((await this.kpis.teamCompliance(tenantId)).map((t) => [t.programmeId, t]));
    const programmes: ProgrammeRowView[] = rows
      .filter((r) => r.level === 'programme')
      .map((r) => {
        const t = teams.get(r.programmeId!);
        const total = t?.total ?? 0;
        const enterprise = t?.enterprise ?? 0;
        const experts = t?.experts ?? 0;
        return {
          ...toKpiSet('programme', r.programmeId, r.programmeName ?? '', countsOfRow(r), asOf, r.computedAt),
          pilotStatus: r.pilotStatus,
          // R-EVA-2: enterprise mentors ≥ 30 % of the team and ≥ 5 experts
          team: {
            hasTeam: t?.hasTeam ?? false,
            compliant: total > 0 && enterprise * 10 >= 3 * total && experts >= 5,
            enterprise,
            total,
            enterpriseShare: total ? Math.round((enterprise / total) * 10000) / 10000 : null,
            experts,
          },
        };
      });
    const cohorts: CohortRowView[] = rows
      .filter((r) => r.level === 'cohort')
      .map((r) => ({ ...toKpiSet('cohort', r.cohortId, r.cohortName ?? '', countsOfRow(r), asOf, r.computedAt), programmeId: r.programmeId, intakeYear: r.intakeYear, status: r.cohortStatus }));
    const [risk] = await this.kpis.practiceAtRisk(tenantId);
    return {
      asOf: asOf.toISOString(),
      computedAt: collegeRow?.computedAt ? new Date(collegeRow.computedAt).toISOString() : null,
      cohortsNotYetCounted: collegeRow?.notCounted ?? 0,
      college: toKpiSet('college', tenantId, college.name, collegeRow ? countsOfRow(collegeRow) : EMPTY, asOf, collegeRow?.computedAt ?? null),
      programmes,
      cohorts,
      studentsByStage: (await this.kpis.studentsByStage(tenantId)).map((s) => ({ stage: s.stage, count: s.count })),
      practiceAtRisk: risk ?? { placements: 0, students: 0, missingHours: 0 },
      pendingResults: await this.kpis.pendingResults(tenantId),
    };
  }

  @OnReadReplica()
  async provinceDashboard(query: ProvinceQuery): Promise<ProvinceDashboardView> {
    const filter: KpiFilter = { tier: query.tier, city: query.city, cluster: query.cluster, year: query.year };
    const [rows, colleges, pilots] = [await this.kpis.storedRows(filter, 'colleges'), await this.kpis.colleges(filter), await this.kpis.pilotsByStatus(filter)];
    const asOf = rows[0]?.asOf ?? new Date();
    const byCollege = new Map(rows.filter((r) => r.level === 'college').map((r) => [r.tenantId!, r]));
    const pilotsOf = (tenantId: string) => pilots.filter((p) => p.tenantId === tenantId).map((p) => ({ status: p.status, count: p.count }));
    const list: CollegeRowView[] = colleges.map((c) => {
      const r = byCollege.get(c.tenantId);
      return { ...toKpiSet('college', c.tenantId, c.name, r ? countsOfRow(r) : EMPTY, asOf, r?.computedAt ?? null), tier: c.tier, city: c.city, pilots: pilotsOf(c.tenantId) };
    });
    const provinceRow = rows.find((r) => r.level === 'province');
    const totals = new Map<string, number>();
    for (const p of pilots) totals.set(p.status, (totals.get(p.status) ?? 0) + p.count);
    return {
      asOf: asOf.toISOString(),
      computedAt: provinceRow?.computedAt ? new Date(provinceRow.computedAt).toISOString() : null,
      cohortsNotYetCounted: provinceRow?.notCounted ?? 0,
      province: toKpiSet('province', null, '广东省', provinceRow ? countsOfRow(provinceRow) : EMPTY, asOf, provinceRow?.computedAt ?? null),
      colleges: sortColleges(list, query),
      pilotsByStatus: [...totals.entries()].sort().map(([status, count]) => ({ status, count })),
    };
  }
}
