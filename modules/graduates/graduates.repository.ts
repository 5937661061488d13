import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { EmploymentRecord, FollowUpOutcome } from './employment-record.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OutcomeRow {
  studentId: string;
  tenantId: string;
  cohortId: string;
  programmeId: string;
  name: string;
  status: string;
  graduatedOn: string | null;
  enrolledOn: string | null;
  admittedOn: string;
  courseItems: number;
  courseItemsPassed: number;
  allCoursesPassed: boolean;
  practiceMet: boolean;
  graduate: boolean;
  route1: boolean;
  route2: boolean;
  route3: boolean;
  route3Hired: boolean;
  attained: boolean;
  employed: boolean;
  matched: boolean;
  payAbove: boolean;
  stableBase: boolean;
  stable: boolean;
}

const SELECT_OUTCOME = `
  SELECT o.student_id AS "studentId", o.tenant_id AS "tenantId", o.cohort_id AS "cohortId", o.programme_id AS "programmeId",
         o.name, o.status, to_char(o.graduated_on, 'YYYY-MM-DD') AS "graduatedOn",
         to_char(s.enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", to_char(s.admitted_on, 'YYYY-MM-DD') AS "admittedOn",
         o.course_items AS "courseItems", o.course_items_passed AS "courseItemsPassed", o.all_courses_passed AS "allCoursesPassed",
         o.practice_met AS "practiceMet", o.graduate, o.route1, o.route2, o.route3, o.route3_hired AS "route3Hired", o.attained,
         COALESCE(o.employed, false) AS employed, COALESCE(o.matched, false) AS matched, COALESCE(o.pay_above, false) AS "payAbove",
         COALESCE(o.stable_base, false) AS "stableBase", COALESCE(o.stable, false) AS stable
  FROM graduate_outcomes_v o
  JOIN students s ON s.tenant_id = o.tenant_id AND s.id = o.student_id`;

export interface EmploymentRow {
  id: string;
  tenantId: string;
  studentId: string;
  studentName: string;
  enterpriseId: string | null;
  employerName: string;
  employerUscc: string | null;
  post: string;
  city: string;
  startedOn: string;
  endedOn: string | null;
  monthlyPay: number;
  technicianEquivalent: boolean;
  matched: boolean;
  matchReason: string;
  source: 'college' | 'enterprise';
  benchmark: number | null;
  createdBy: string | null;
  version: number;
  createdAt: Date;
}

const SELECT_RECORD = `
  SELECT r.id, r.tenant_id AS "tenantId", r.student_id AS "studentId", s.name AS "studentName", r.enterprise_id AS "enterpriseId",
         r.employer_name AS "employerName", r.employer_uscc AS "employerUscc", r.post, r.city,
         to_char(r.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(r.ended_on, 'YYYY-MM-DD') AS "endedOn",
         r.monthly_pay AS "monthlyPay", r.technician_equivalent AS "technicianEquivalent", r.matched, r.match_reason AS "matchReason",
         r.source, r.benchmark, r.created_by AS "createdBy", r.version, r.created_at AS "createdAt"
  FROM employment_facts_v r
  JOIN students s ON s.tenant_id = r.tenant_id AND s.id = r.student_id`;

export interface FollowUpRow {
  id: string;
  studentId: string;
  checkpointMonths: number;
  outcome: FollowUpOutcome;
  followedUpOn: string;
  employmentRecordId: string | null;
  note: string | null;
  recordedBy: string | null;
  recordedByName: string | null;
  createdAt: Date;
}

export interface NewEmployment {
  studentId: string;
  enterpriseId: string | null;
  employerName: string;
  employerUscc: string | null;
  post: string;
  city: string;
  startedOn: string;
  endedOn: string | null;
  monthlyPay: number;
  technicianEquivalent: boolean;
  matched: boolean;
  matchReason: string;
  source: 'college' | 'enterprise';
  createdBy: string;
}

export interface CohortRef {
  id: string;
  name: string;
  status: string;
  completedOn: string | null;
}

/** All SQL of graduation and graduate tracking (tenant tables; students and cohorts read and moved on graduation). */
@Injectable()
export class GraduatesRepository extends TenantScopedRepository<EmploymentRecord> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, EmploymentRecord);
  }

  /** Outcome views with hash joins only (see KpisRepository.hashJoined: no per-student re-aggregation). */
  private async hashJoined<T>(sql: string, params: unknown[]): Promise<T> {
    // jit off too: disabled nested loops inflate the estimated cost past jit_above_cost, and compiling
    // the plan with LLVM took ~30 s on a loaded 2-core machine for a query that runs in 0.1 s
    await this.manager.query("SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)");
    const rows = await this.manager.query(sql, params); // on an error the transaction rolls back and the settings with it
    await this.manager.query('RESET enable_nestloop; RESET jit');
    return rows;
  }

  async outcomeOf(studentId: string): Promise<OutcomeRow | undefined> {
    return (await this.hashJoined<OutcomeRow[]>(`${SELECT_OUTCOME} WHERE o.tenant_id = $1 AND o.student_id = $2`, [this.tenant.requireTenantId(), studentId]))[0];
  }

  /** The student row locked for its status change. */
  async lockStudent(studentId: string): Promise<{ id: string; status: string; name: string; enrolledOn: string | null; version: number } | undefined> {
    return (
      await this.manager.query(
        `SELECT id, status, name, to_char(enrolled_on, 'YYYY-MM-DD') AS "enrolledOn", version FROM students WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [this.tenant.requireTenantId(), studentId],
      )
    )[0];
  }

  /** Part A's sheet items the student has not passed (names for the graduation check), when A's tables exist. */
  async openCourseItems(studentId: string): Promise<string[]> {
    const exists = await this.manager.query(`SELECT to_regclass('public.assessment_sheets') IS NOT NULL AS ok`);
    if (!exists[0].ok) return [];
    const rows: { name: string }[] = await this.manager.query(
      `SELECT DISTINCT sh.name
       FROM assessment_sheets sh
       JOIN students s ON s.tenant_id = sh.tenant_id AND s.cohort_id = sh.cohort_id
       WHERE sh.tenant_id = $1 AND s.id = $2 AND sh.kind = 'course'
         AND NOT EXISTS (SELECT 1 FROM assessment_results r WHERE r.tenant_id = sh.tenant_id AND r.sheet_id = sh.id AND r.student_id = s.id AND r.is_current AND r.status = 'submitted' AND r.passed)
       ORDER BY 1`,
      [this.tenant.requireTenantId(), studentId],
    );
    return rows.map((r) => r.name);
  }

  async graduate(studentId: string, on: string, userId: string, fromStatus: string): Promise<void> {
    const tenantId = this.tenant.requireTenantId();
    await this.manager.query(
      `UPDATE students SET status = 'graduated', left_on = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, studentId, on],
    );
    await this.manager.query(
      `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason, recorded_by)
       VALUES ($1, $2, $3, 'graduated', $4, '毕业审核通过（R-EVA-3）', $5)`,
      [tenantId, studentId, fromStatus, on, userId],
    );
  }

  cohortOutcomes(cohortId: string): Promise<OutcomeRow[]> {
    return this.hashJoined(`${SELECT_OUTCOME} WHERE o.tenant_id = $1 AND o.cohort_id = $2 ORDER BY o.name, o.student_id`, [
      this.tenant.requireTenantId(),
      cohortId,
    ]);
  }

  async lockCohort(cohortId: string): Promise<CohortRef | undefined> {
    return (
      await this.manager.query(
        `SELECT id, name, status, to_char(completed_on, 'YYYY-MM-DD') AS "completedOn" FROM cohorts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [this.tenant.requireTenantId(), cohortId],
      )
    )[0];
  }

  async cohort(cohortId: string): Promise<CohortRef | undefined> {
    return (
      await this.manager.query(`SELECT id, name, status, to_char(completed_on, 'YYYY-MM-DD') AS "completedOn" FROM cohorts WHERE tenant_id = $1 AND id = $2`, [
        this.tenant.requireTenantId(),
        cohortId,
      ])
    )[0];
  }

  /** DOMAIN §5: students still in the class (not graduated, withdrawn or streamed out). */
  unfinishedStudents(cohortId: string): Promise<{ id: string; name: string }[]> {
    return this.manager.query(
      `SELECT id, name FROM students WHERE tenant_id = $1 AND cohort_id = $2 AND status IN ('admitted','enrolled') ORDER BY name, id`,
      [this.tenant.requireTenantId(), cohortId],
    );
  }

  async completeCohort(cohortId: string, on: string, userId: string): Promise<void> {
    await this.manager.query(
      `UPDATE cohorts SET status = 'completed', completed_on = $3, completed_by = $4, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [this.tenant.requireTenantId(), cohortId, on, userId],
    );
  }

  // ---- employment (R-EVA-4)

  /** The programme's occupation and clusters: the default for "matched". */
  async programmeOf(studentId: string): Promise<{ occupationCode: string; occupationName: string; clusterCodes: string[]; programmeName: string } | undefined> {
    return (
      await this.manager.query(
        `SELECT p.occupation_code AS "occupationCode", p.occupation_name AS "occupationName", p.cluster_codes AS "clusterCodes", p.name AS "programmeName"
         FROM students s JOIN programmes p ON p.tenant_id = s.tenant_id AND p.id = s.programme_id WHERE s.tenant_id = $1 AND s.id = $2`,
        [this.tenant.requireTenantId(), studentId],
      )
    )[0];
  }

  /** The registry enterprise and whether it partners with the student's programme (or hosted a placement). */
  async employerFacts(studentId: string, enterpriseId: string): Promise<{ id: string; name: string; uscc: string; partner: boolean } | undefined> {
    return (
      await this.manager.query(
        `SELECT e.id, e.name, e.uscc,
                EXISTS (SELECT 1 FROM students s JOIN partnerships pa ON pa.tenant_id = s.tenant_id AND pa.programme_id = s.programme_id
                        WHERE s.tenant_id = $1 AND s.id = $2 AND pa.enterprise_id = e.id)
                OR EXISTS (SELECT 1 FROM placements pl WHERE pl.tenant_id = $1 AND pl.student_id = $2 AND pl.enterprise_id = e.id) AS partner
         FROM enterprises e WHERE e.id = $3`,
        [this.tenant.requireTenantId(), studentId, enterpriseId],
      )
    )[0];
  }

  async insertEmployment(v: NewEmployment): Promise<string> {
    const rows = await this.manager.query(
      `INSERT INTO employment_records (tenant_id, student_id, enterprise_id, employer_name, employer_uscc, post, city, started_on, ended_on, monthly_pay,
                                       technician_equivalent, matched, match_reason, source, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
      [
        this.tenant.requireTenantId(),
        v.studentId,
        v.enterpriseId,
        v.employerName,
        v.employerUscc,
        v.post,
        v.city,
        v.startedOn,
        v.endedOn,
        v.monthlyPay,
        v.technicianEquivalent,
        v.matched,
        v.matchReason,
        v.source,
        v.createdBy,
      ],
    );
    return rows[0].id;
  }

  async record(id: string, enterpriseId?: string): Promise<EmploymentRow | undefined> {
    return (
      await this.manager.query(`${SELECT_RECORD} WHERE r.tenant_id = $1 AND r.id = $2 AND ($3::uuid IS NULL OR r.enterprise_id = $3::uuid)`, [
        this.tenant.requireTenantId(),
        id,
        enterpriseId ?? null,
      ])
    )[0];
  }

  async lockRecord(id: string): Promise<{ id: string; studentId: string; version: number; startedOn: string; endedOn: string | null; enterpriseId: string | null } | undefined> {
    return (
      await this.manager.query(
        `SELECT id, student_id AS "studentId", version, to_char(started_on, 'YYYY-MM-DD') AS "startedOn", to_char(ended_on, 'YYYY-MM-DD') AS "endedOn", enterprise_id AS "enterpriseId"
         FROM employment_records WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [this.tenant.requireTenantId(), id],
      )
    )[0];
  }

  async endRecord(id: string, endedOn: string | null): Promise<void> {
    await this.manager.query(`UPDATE employment_records SET ended_on = $3, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
      this.tenant.requireTenantId(),
      id,
      endedOn,
    ]);
  }

  recordsOf(studentId: string): Promise<EmploymentRow[]> {
    return this.manager.query(`${SELECT_RECORD} WHERE r.tenant_id = $1 AND r.student_id = $2 ORDER BY r.started_on DESC, r.created_at DESC`, [
      this.tenant.requireTenantId(),
      studentId,
    ]);
  }

  /** Keyset on (started_on desc, id); enterprise callers see their own records only. */
  listRecords(filter: { enterpriseId?: string; cohortId?: string; limit: number; cursor?: string }): Promise<EmploymentRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId()];
    const where = ['r.tenant_id = $1'];
    if (filter.enterpriseId) {
      params.push(filter.enterpriseId);
      where.push(`r.enterprise_id = $${params.length}`);
    }
    if (filter.cohortId) {
      params.push(filter.cohortId);
      where.push(`s.cohort_id = $${params.length}`);
    }
    const after = decodeCursor(filter.cursor, 2);
    if (after && (typeof after[0] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(after[0]) || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(r.started_on, r.id) < ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT_RECORD} WHERE ${where.join(' AND ')} ORDER BY r.started_on DESC, r.id DESC LIMIT $${params.length}`, params);
  }

  followUpsOf(studentId: string): Promise<FollowUpRow[]> {
    return this.manager.query(
      `SELECT f.id, f.student_id AS "studentId", f.checkpoint_months AS "checkpointMonths", f.outcome, to_char(f.followed_up_on, 'YYYY-MM-DD') AS "followedUpOn",
              f.employment_record_id AS "employmentRecordId", f.note, f.recorded_by AS "recordedBy", u.display_name AS "recordedByName", f.created_at AS "createdAt"
       FROM graduate_follow_ups f LEFT JOIN users u ON u.id = f.recorded_by
       WHERE f.tenant_id = $1 AND f.student_id = $2 ORDER BY f.checkpoint_months`,
      [this.tenant.requireTenantId(), studentId],
    );
  }

  async followUpExists(studentId: string, months: number): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM graduate_follow_ups WHERE tenant_id = $1 AND student_id = $2 AND checkpoint_months = $3) AS ok`,
      [this.tenant.requireTenantId(), studentId, months],
    );
    return rows[0].ok === true;
  }

  async insertFollowUp(v: { studentId: string; checkpointMonths: number; outcome: FollowUpOutcome; followedUpOn: string; employmentRecordId: string | null; note: string | null; recordedBy: string }): Promise<string> {
    const rows = await this.manager.query(
      `INSERT INTO graduate_follow_ups (tenant_id, student_id, checkpoint_months, outcome, followed_up_on, employment_record_id, note, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [this.tenant.requireTenantId(), v.studentId, v.checkpointMonths, v.outcome, v.followedUpOn, v.employmentRecordId, v.note, v.recordedBy],
    );
    return rows[0].id;
  }

  async recordBelongsTo(recordId: string, studentId: string): Promise<boolean> {
    const rows = await this.manager.query(`SELECT EXISTS (SELECT 1 FROM employment_records WHERE tenant_id = $1 AND id = $2 AND student_id = $3) AS ok`, [
      this.tenant.requireTenantId(),
      recordId,
      studentId,
    ]);
    return rows[0].ok === true;
  }

  /** College settings (tenants.settings): follow-up checkpoints and the stable-employment one. */
  async settings(): Promise<{ followUpMonths: unknown; stableEmploymentMonths: unknown }> {
    const rows = await this.manager.query(
      `SELECT settings -> 'followUpMonths' AS "followUpMonths", settings -> 'stableEmploymentMonths' AS "stableEmploymentMonths" FROM tenants WHERE id = $1`,
      [this.tenant.requireTenantId()],
    );
    return rows[0] ?? { followUpMonths: null, stableEmploymentMonths: null };
  }
}
