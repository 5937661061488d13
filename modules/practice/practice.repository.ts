import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { PlanContent } from '../training-plans';
import { DEFAULT_PRACTICE_RISK_POINTS } from './domain/progress';
import { HoursEntry, HoursStatus, Placement, Site } from './placement.entity';
import { PracticeErrors } from './practice.errors';
import { Visibility, visibilitySql } from './visibility';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface PracticeStudent {
  id: string;
  name: string;
  programmeId: string;
  /** the cohort's plan version (cohorts.plan_version_id) */
  planId: string;
  /** DOMAIN §5 status with the derived stage (students_v.lifecycle_status) */
  lifecycleStatus: string;
}

export interface PlacementRow {
  id: string;
  studentId: string;
  studentName: string;
  enterpriseId: string;
  enterpriseName: string;
  site: Site;
  post: string;
  offeringId: string | null;
  trainingPlanId: string;
  stageIndex: number;
  stageName: string;
  plannedHours: number;
  startsOn: string;
  endsOn: string;
  version: number;
  createdAt: Date;
}

export interface EntryRow {
  id: string;
  placementId: string;
  studentId: string;
  studentName: string;
  enterpriseId: string;
  workDate: string;
  startsAt: string;
  endsAt: string;
  hours: string;
  activity: string;
  status: HoursStatus;
  rejectionReason: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  version: number;
}

export interface StageTotalsRow {
  stageIndex: number;
  stageName: string;
  plannedHours: number;
  startsOn: string;
  endsOn: string;
  loggedHours: string;
  confirmedHours: string;
}

const SELECT_PLACEMENT = `
  SELECT p.id, p.student_id AS "studentId", st.name AS "studentName", p.enterprise_id AS "enterpriseId", e.name AS "enterpriseName",
         p.site, p.post, p.offering_id AS "offeringId", p.training_plan_id AS "trainingPlanId", p.stage_index AS "stageIndex",
         p.stage_name AS "stageName", p.planned_hours AS "plannedHours", p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn",
         p.version, p.created_at AS "createdAt"
  FROM placements p
  JOIN students st ON st.tenant_id = p.tenant_id AND st.id = p.student_id
  JOIN enterprises e ON e.id = p.enterprise_id`;

const SELECT_ENTRY = `
  SELECT h.id, h.placement_id AS "placementId", h.student_id AS "studentId", st.name AS "studentName", p.enterprise_id AS "enterpriseId",
         h.work_date::text AS "workDate", to_char(h.starts_at, 'HH24:MI') AS "startsAt",
         CASE WHEN h.ends_at = time '24:00' THEN '24:00' ELSE to_char(h.ends_at, 'HH24:MI') END AS "endsAt",
         h.hours::text AS hours, h.activity, h.status, h.rejection_reason AS "rejectionReason", h.decided_by AS "decidedBy",
         sm.name AS "decidedByName", h.decided_at AS "decidedAt", h.version
  FROM practice_hours_entries h
  JOIN placements p ON p.tenant_id = h.tenant_id AND p.id = h.placement_id
  JOIN students st ON st.tenant_id = h.tenant_id AND st.id = h.student_id
  LEFT JOIN staff_members sm ON sm.tenant_id = h.tenant_id AND sm.id = h.decided_by`;

const placementEnterprise = (param: string) => `p.enterprise_id = ${param}`;

/** All SQL on `placements` and `practice_hours_entries`, and the facts they read from students, plans, partnerships. */
@Injectable()
export class PracticeRepository extends TenantScopedRepository<Placement> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Placement);
  }

  private get entries() {
    return this.manager.getRepository(HoursEntry);
  }

  /** The student facts practice needs (issue 5's `students_v` and the cohort's plan version). */
  async student(id: string): Promise<PracticeStudent | undefined> {
    const rows = await this.manager.query(
      `SELECT s.id, s.name, s.programme_id AS "programmeId", c.plan_version_id AS "planId", s.lifecycle_status AS "lifecycleStatus"
       FROM students_v s JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       WHERE s.tenant_id = $1 AND s.id = $2`,
      [this.tenant.requireTenantId(), id],
    );
    return rows[0];
  }

  /** The content of the plan version the student's cohort follows. */
  async plan(planId: string): Promise<{ id: string; content: PlanContent } | undefined> {
    const rows = await this.manager.query(`SELECT id, content FROM training_plans WHERE tenant_id = $1 AND id = $2`, [this.tenant.requireTenantId(), planId]);
    return rows[0];
  }

  async activePartnership(programmeId: string, enterpriseId: string): Promise<string | undefined> {
    const rows = await this.manager.query(
      `SELECT id FROM partnerships WHERE tenant_id = $1 AND programme_id = $2 AND enterprise_id = $3 AND status = 'active'`,
      [this.tenant.requireTenantId(), programmeId, enterpriseId],
    );
    return rows[0]?.id;
  }

  async isPostOffering(offeringId: string, enterpriseId: string): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT 1 FROM enterprise_offerings WHERE tenant_id = $1 AND id = $2 AND enterprise_id = $3 AND kind = 'post'`,
      [this.tenant.requireTenantId(), offeringId, enterpriseId],
    );
    return rows.length > 0;
  }

  /** The college's at-risk threshold (tenants.settings.practiceRiskPoints, default 20). */
  async riskPoints(): Promise<number> {
    const rows = await this.manager.query(`SELECT settings -> 'practiceRiskPoints' AS value FROM tenants WHERE id = $1`, [this.tenant.requireTenantId()]);
    const value = rows[0]?.value;
    return typeof value === 'number' && value >= 0 && value <= 100 ? value : DEFAULT_PRACTICE_RISK_POINTS;
  }

  /** The staff id of the student's active enterprise mentor, if any (R-TRN-3). */
  async activeEnterpriseMentor(studentId: string): Promise<string | undefined> {
    const rows = await this.manager.query(
      `SELECT staff_member_id AS id FROM mentorships WHERE tenant_id = $1 AND student_id = $2 AND side = 'enterprise' AND ended_on IS NULL`,
      [this.tenant.requireTenantId(), studentId],
    );
    return rows[0]?.id;
  }

  insertPlacement(values: Omit<Placement, 'id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'>): Promise<Placement> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  async placementRow(id: string, v: Visibility): Promise<PlacementRow | undefined> {
    const params: unknown[] = [this.tenant.requireTenantId(), id];
    const extra = visibilitySql(v, params, 'p.student_id', placementEnterprise);
    return (await this.manager.query(`${SELECT_PLACEMENT} WHERE p.tenant_id = $1 AND p.id = $2${extra}`, params))[0];
  }

  /** Newest first (keyset on starts_on desc, id desc). */
  listPlacements(filter: { studentId?: string; enterpriseId?: string; limit: number; cursor?: string }, v: Visibility): Promise<PlacementRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId()];
    let where = 'p.tenant_id = $1';
    if (filter.studentId) {
      params.push(filter.studentId);
      where += ` AND p.student_id = $${params.length}`;
    }
    if (filter.enterpriseId) {
      params.push(filter.enterpriseId);
      where += ` AND p.enterprise_id = $${params.length}`;
    }
    where += visibilitySql(v, params, 'p.student_id', placementEnterprise);
    where += this.keyset(filter.cursor, params, 'p.starts_on', 'p.id');
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT_PLACEMENT} WHERE ${where} ORDER BY p.starts_on DESC, p.id DESC LIMIT $${params.length}`, params);
  }

  /** Serialises hours changes of one student (the 24 h check reads, then writes). */
  async lockStudentHours(studentId: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('practice-hours'), hashtext($1))`, [studentId]);
  }

  /** The student's non-rejected entries of one date, except one. */
  dayEntries(studentId: string, date: string, exceptId: string | null): Promise<{ id: string; startsAt: string; endsAt: string; hours: string }[]> {
    return this.manager.query(
      `SELECT id, to_char(starts_at, 'HH24:MI') AS "startsAt",
              CASE WHEN ends_at = time '24:00' THEN '24:00' ELSE to_char(ends_at, 'HH24:MI') END AS "endsAt", hours::text AS hours
       FROM practice_hours_entries
       WHERE tenant_id = $1 AND student_id = $2 AND work_date = $3 AND status <> 'rejected' AND ($4::uuid IS NULL OR id <> $4::uuid)
       ORDER BY starts_at`,
      [this.tenant.requireTenantId(), studentId, date, exceptId],
    );
  }

  async insertEntry(values: Pick<HoursEntry, 'placementId' | 'studentId' | 'workDate' | 'startsAt' | 'endsAt' | 'activity' | 'loggedBy'>): Promise<HoursEntry> {
    return this.guardOverlap(() => this.entries.save(this.entries.create({ ...values, status: 'pending', tenantId: this.tenant.requireTenantId() })));
  }

  findEntryForUpdate(id: string): Promise<HoursEntry | null> {
    return this.entries
      .createQueryBuilder('h')
      .setLock('pessimistic_write')
      .where('h.tenantId = :tenantId AND h.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  saveEntry(h: HoursEntry): Promise<HoursEntry> {
    if (h.tenantId !== this.tenant.requireTenantId()) throw new Error('hours entry of another tenant');
    return this.guardOverlap(() => this.entries.save(h));
  }

  async entryRow(id: string, v: Visibility): Promise<EntryRow | undefined> {
    const params: unknown[] = [this.tenant.requireTenantId(), id];
    const extra = visibilitySql(v, params, 'h.student_id', placementEnterprise);
    return (await this.manager.query(`${SELECT_ENTRY} WHERE h.tenant_id = $1 AND h.id = $2${extra}`, params))[0];
  }

  /** Newest first (keyset on work_date desc, id desc). */
  listEntries(filter: { placementId?: string; studentId?: string; status?: HoursStatus; limit: number; cursor?: string }, v: Visibility): Promise<EntryRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId()];
    let where = 'h.tenant_id = $1';
    for (const [col, value] of [
      ['h.placement_id', filter.placementId],
      ['h.student_id', filter.studentId],
      ['h.status', filter.status],
    ] as const) {
      if (value) {
        params.push(value);
        where += ` AND ${col} = $${params.length}`;
      }
    }
    where += visibilitySql(v, params, 'h.student_id', placementEnterprise);
    where += this.keyset(filter.cursor, params, 'h.work_date', 'h.id');
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT_ENTRY} WHERE ${where} ORDER BY h.work_date DESC, h.id DESC LIMIT $${params.length}`, params);
  }

  /**
   * Per practice stage of a student: planned hours, span, logged and confirmed hours.
   * Logged = pending + confirmed entries + hours recorded on work orders; confirmed =
   * confirmed entries + hours of ACCEPTED work orders (R-ENT-3).
   */
  stageTotals(studentId: string, stageIndex?: number): Promise<StageTotalsRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId(), studentId];
    let stage = '';
    if (stageIndex !== undefined) {
      params.push(stageIndex);
      stage = ` AND p.stage_index = $3`;
    }
    return this.manager.query(
      `WITH pl AS (
         SELECT p.id, p.stage_index, p.stage_name, p.planned_hours, p.starts_on, p.ends_on
         FROM placements p WHERE p.tenant_id = $1 AND p.student_id = $2${stage}
       ), h AS (
         SELECT placement_id, COALESCE(sum(hours) FILTER (WHERE status <> 'rejected'), 0) AS logged,
                COALESCE(sum(hours) FILTER (WHERE status = 'confirmed'), 0) AS confirmed
         FROM practice_hours_entries WHERE tenant_id = $1 AND student_id = $2 AND placement_id IN (SELECT id FROM pl) GROUP BY placement_id
       ), w AS (
         SELECT o.placement_id, COALESCE(sum(ev.hours), 0) AS logged, COALESCE(sum(ev.hours) FILTER (WHERE o.status = 'accepted'), 0) AS confirmed
         FROM work_orders o JOIN work_order_events ev ON ev.tenant_id = o.tenant_id AND ev.work_order_id = o.id AND ev.kind = 'record'
         WHERE o.tenant_id = $1 AND o.student_id = $2 AND o.placement_id IN (SELECT id FROM pl) GROUP BY o.placement_id
       )
       SELECT pl.stage_index AS "stageIndex", min(pl.stage_name) AS "stageName", max(pl.planned_hours) AS "plannedHours",
              min(pl.starts_on)::text AS "startsOn", max(pl.ends_on)::text AS "endsOn",
              (COALESCE(sum(h.logged), 0) + COALESCE(sum(w.logged), 0))::text AS "loggedHours",
              (COALESCE(sum(h.confirmed), 0) + COALESCE(sum(w.confirmed), 0))::text AS "confirmedHours"
       FROM pl LEFT JOIN h ON h.placement_id = pl.id LEFT JOIN w ON w.placement_id = pl.id
       GROUP BY pl.stage_index ORDER BY pl.stage_index`,
      params,
    );
  }

  /**
   * The same totals as `stageTotals`, for many (student, stage) pairs in ONE query: the
   * progress of a page of placements without a query per row.
   */
  async stageTotalsOf(pairs: { studentId: string; stageIndex: number }[]): Promise<(StageTotalsRow & { studentId: string })[]> {
    if (!pairs.length) return [];
    return this.manager.query(
      `WITH want AS (
         SELECT DISTINCT w.student_id, w.stage_index FROM unnest($2::uuid[], $3::int[]) AS w(student_id, stage_index)
       ), pl AS (
         SELECT p.id, p.student_id, p.stage_index, p.stage_name, p.planned_hours, p.starts_on, p.ends_on
         FROM placements p JOIN want ON want.student_id = p.student_id AND want.stage_index = p.stage_index
         WHERE p.tenant_id = $1
       ), h AS (
         SELECT e.placement_id, COALESCE(sum(e.hours) FILTER (WHERE e.status <> 'rejected'), 0) AS logged,
                COALESCE(sum(e.hours) FILTER (WHERE e.status = 'confirmed'), 0) AS confirmed
         FROM practice_hours_entries e WHERE e.tenant_id = $1 AND e.placement_id IN (SELECT id FROM pl) GROUP BY e.placement_id
       ), w AS (
         SELECT o.placement_id, COALESCE(sum(ev.hours), 0) AS logged, COALESCE(sum(ev.hours) FILTER (WHERE o.status = 'accepted'), 0) AS confirmed
         FROM work_orders o JOIN work_order_events ev ON ev.tenant_id = o.tenant_id AND ev.work_order_id = o.id AND ev.kind = 'record'
         WHERE o.tenant_id = $1 AND o.placement_id IN (SELECT id FROM pl) GROUP BY o.placement_id
       )
       SELECT pl.student_id AS "studentId", pl.stage_index AS "stageIndex", min(pl.stage_name) AS "stageName", max(pl.planned_hours) AS "plannedHours",
              min(pl.starts_on)::text AS "startsOn", max(pl.ends_on)::text AS "endsOn",
              (COALESCE(sum(h.logged), 0) + COALESCE(sum(w.logged), 0))::text AS "loggedHours",
              (COALESCE(sum(h.confirmed), 0) + COALESCE(sum(w.confirmed), 0))::text AS "confirmedHours"
       FROM pl LEFT JOIN h ON h.placement_id = pl.id LEFT JOIN w ON w.placement_id = pl.id
       GROUP BY pl.student_id, pl.stage_index`,
      [this.tenant.requireTenantId(), pairs.map((x) => x.studentId), pairs.map((x) => x.stageIndex)],
    );
  }

  /** A descending keyset on (date, id); a forged cursor is a bad cursor, never a cast error. */
  private keyset(cursor: string | undefined, params: unknown[], dateCol: string, idCol: string): string {
    const after = decodeCursor(cursor, 2);
    if (!after) return '';
    if (typeof after[0] !== 'string' || !DATE.test(after[0]) || typeof after[1] !== 'string' || !UUID.test(after[1])) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    params.push(after[0], after[1]);
    return ` AND (${dateCol}, ${idCol}) < ($${params.length - 1}::date, $${params.length}::uuid)`;
  }

  /** The exclusion constraint is the last word on overlaps (a race the service check cannot see). */
  private async guardOverlap<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if ((e as { driverError?: { code?: string }; code?: string }).driverError?.code === '23P01' || (e as { code?: string }).code === '23P01') {
        throw new AppException(PracticeErrors.OVERLAP, { date: '', startsAt: '', endsAt: '' });
      }
      throw e;
    }
  }
}
