import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { PlanContent } from '../training-plans';
import { AssessmentSheet } from './assessment.entity';
import type { PlanItem, SheetKind } from './domain/items';

/**
 * Whose students a caller sees on a sheet (issue 11): college admins and staff the whole
 * cohort; a college mentor their active mentees; an enterprise admin the students of the
 * enterprise (placed there — for a practice sheet, at that stage — or, without such a
 * placement, with an active enterprise mentor of it); an enterprise mentor, of those, their
 * active mentees. Anything else is invisible (404).
 */
export interface StudentScope {
  collegeMentorStaffId?: string;
  enterpriseId?: string;
  enterpriseMentorStaffId?: string;
}

export function scopeSql(scope: StudentScope, params: unknown[], stageIndex: number | null, s = 's'): string {
  let sql = '';
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (scope.collegeMentorStaffId) {
    sql += ` AND EXISTS (SELECT 1 FROM mentorships vm WHERE vm.tenant_id = ${s}.tenant_id AND vm.student_id = ${s}.id AND vm.side = 'college'
                         AND vm.staff_member_id = ${p(scope.collegeMentorStaffId)} AND vm.ended_on IS NULL)`;
  }
  if (scope.enterpriseMentorStaffId) {
    sql += ` AND EXISTS (SELECT 1 FROM mentorships vm WHERE vm.tenant_id = ${s}.tenant_id AND vm.student_id = ${s}.id AND vm.side = 'enterprise'
                         AND vm.staff_member_id = ${p(scope.enterpriseMentorStaffId)} AND vm.ended_on IS NULL)`;
  }
  if (scope.enterpriseId) {
    const e = p(scope.enterpriseId);
    const stage = stageIndex === null ? '' : ` AND vp.stage_index = ${p(stageIndex)}`;
    sql += ` AND (EXISTS (SELECT 1 FROM placements vp WHERE vp.tenant_id = ${s}.tenant_id AND vp.student_id = ${s}.id AND vp.enterprise_id = ${e}${stage})
                  OR (NOT EXISTS (SELECT 1 FROM placements vp WHERE vp.tenant_id = ${s}.tenant_id AND vp.student_id = ${s}.id${stage})
                      AND EXISTS (SELECT 1 FROM mentorships vm JOIN staff_members vs ON vs.tenant_id = vm.tenant_id AND vs.id = vm.staff_member_id
                                  WHERE vm.tenant_id = ${s}.tenant_id AND vm.student_id = ${s}.id AND vm.side = 'enterprise' AND vm.ended_on IS NULL
                                    AND vs.enterprise_id = ${e})))`;
  }
  return sql;
}

export interface CohortPlanRow {
  id: string;
  name: string;
  planVersionId: string;
  content: PlanContent;
}

export interface SheetRow {
  id: string;
  cohortId: string;
  cohortName: string;
  planVersionId: string;
  itemKey: string;
  kind: SheetKind;
  name: string;
  scoring: 'score' | 'pass-fail';
  passMark: string | null;
  stageIndex: number | null;
  status: 'draft' | 'submitted';
  submittedAt: Date | null;
  reopenedAt: Date | null;
  reopenReason: string | null;
  version: number;
  createdAt: Date;
}

export interface ResultRow {
  id: string;
  studentId: string;
  studentName: string;
  studentStatus: string;
  versionNo: number;
  isCurrent: boolean;
  status: 'draft' | 'submitted';
  score: string | null;
  passed: boolean;
  judgedTechnician: boolean | null;
  assessedOn: string;
  assessor: string;
  remarks: string | null;
  correctionReason: string | null;
  enteredBy: string | null;
  enteredByName: string | null;
  enteredSide: 'college' | 'enterprise';
  submittedAt: Date | null;
  createdAt: Date;
}

/** A student on the sheet with the current result (null when none yet). */
export interface SheetStudentRow {
  studentId: string;
  studentName: string;
  studentStatus: string;
  result: ResultRow | null;
}

export interface NewResult {
  studentId: string;
  versionNo: number;
  status: 'draft' | 'submitted';
  score: number | null;
  passed: boolean;
  judgedTechnician: boolean | null;
  assessedOn: string;
  assessor: string;
  remarks: string | null;
  correctionReason: string | null;
}

const SELECT_SHEET = `
  SELECT sh.id, sh.cohort_id AS "cohortId", c.name AS "cohortName", sh.plan_version_id AS "planVersionId", sh.item_key AS "itemKey", sh.kind, sh.name,
         sh.scoring, sh.pass_mark::text AS "passMark", sh.stage_index AS "stageIndex", sh.status, sh.submitted_at AS "submittedAt",
         sh.reopened_at AS "reopenedAt", sh.reopen_reason AS "reopenReason", sh.version, sh.created_at AS "createdAt"
  FROM assessment_sheets sh JOIN cohorts c ON c.tenant_id = sh.tenant_id AND c.id = sh.cohort_id`;

const RESULT_COLUMNS = `
  r.id, r.student_id AS "studentId", st.name AS "studentName", st.status AS "studentStatus", r.version_no AS "versionNo", r.is_current AS "isCurrent",
  r.status, r.score::text AS score, r.passed, r.judged_technician AS "judgedTechnician", r.assessed_on::text AS "assessedOn", r.assessor,
  r.remarks, r.correction_reason AS "correctionReason", r.entered_by AS "enteredBy", u.display_name AS "enteredByName",
  r.entered_side AS "enteredSide", r.submitted_at AS "submittedAt", r.created_at AS "createdAt"`;

/** All SQL on `assessment_sheets` and `assessment_results`. */
@Injectable()
export class AssessmentsRepository extends TenantScopedRepository<AssessmentSheet> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, AssessmentSheet);
  }

  private get t(): string {
    return this.tenant.requireTenantId();
  }

  async cohortPlan(cohortId: string): Promise<CohortPlanRow | undefined> {
    const rows = await this.manager.query(
      `SELECT c.id, c.name, c.plan_version_id AS "planVersionId", tp.content
       FROM cohorts c JOIN training_plans tp ON tp.tenant_id = c.tenant_id AND tp.id = c.plan_version_id
       WHERE c.tenant_id = $1 AND c.id = $2`,
      [this.t, cohortId],
    );
    return rows[0];
  }

  /** Whether the scope sees any student of the cohort (an enterprise user may see a cohort only through its students). */
  async seesCohort(cohortId: string, scope: StudentScope): Promise<boolean> {
    const params: unknown[] = [this.t, cohortId];
    const rows = await this.manager.query(`SELECT 1 FROM students s WHERE s.tenant_id = $1 AND s.cohort_id = $2 ${scopeSql(scope, params, null)} LIMIT 1`, params);
    return rows.length > 0;
  }

  /** The cohort's opened sheets with counts of the students in scope (one query). */
  async sheetsOfCohort(cohortId: string, scope: StudentScope): Promise<(SheetRow & { students: number; entered: number; submitted: number })[]> {
    const params: unknown[] = [this.t, cohortId];
    const cond = scopeSql(scope, params, null);
    return this.manager.query(
      `${SELECT_SHEET.replace('FROM assessment_sheets sh', `, n.students, n.entered, n.submitted FROM assessment_sheets sh`)}
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS students, count(r.id)::int AS entered, count(r.id) FILTER (WHERE r.status = 'submitted')::int AS submitted
         FROM students s
         LEFT JOIN assessment_results r ON r.tenant_id = s.tenant_id AND r.sheet_id = sh.id AND r.student_id = s.id AND r.is_current
         WHERE s.tenant_id = sh.tenant_id AND s.cohort_id = sh.cohort_id ${cond}) n
       WHERE sh.tenant_id = $1 AND sh.cohort_id = $2
       ORDER BY sh.created_at, sh.id`,
      params,
    );
  }

  async sheet(id: string, lock = false): Promise<SheetRow | undefined> {
    const rows = await this.manager.query(`${SELECT_SHEET} WHERE sh.tenant_id = $1 AND sh.id = $2${lock ? ' FOR UPDATE OF sh' : ''}`, [this.t, id]);
    return rows[0];
  }

  async insertSheet(cohort: CohortPlanRow, item: PlanItem, userId: string | null): Promise<string | null> {
    const rows = await this.manager.query(
      `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, stage_index, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, cohort_id, item_key) DO NOTHING RETURNING id`,
      [this.t, cohort.id, cohort.planVersionId, item.itemKey, item.kind, item.name.slice(0, 200), item.scoring, item.passMark, item.stageIndex, userId],
    );
    return rows[0]?.id ?? null;
  }

  /** Students of the sheet's cohort in scope, each with the current result; one query, by name. */
  async sheetStudents(sheet: SheetRow, scope: StudentScope): Promise<SheetStudentRow[]> {
    const params: unknown[] = [this.t, sheet.cohortId, sheet.id];
    const cond = scopeSql(scope, params, sheet.kind === 'practice' ? sheet.stageIndex : null);
    const rows: (ResultRow & { rid: string | null })[] = await this.manager.query(
      `SELECT s.id AS "sid", s.name AS "sname", s.status AS "sstatus", ${RESULT_COLUMNS}
       FROM students s
       LEFT JOIN assessment_results r ON r.tenant_id = s.tenant_id AND r.sheet_id = $3 AND r.student_id = s.id AND r.is_current
       LEFT JOIN students st ON st.tenant_id = s.tenant_id AND st.id = r.student_id
       LEFT JOIN users u ON u.id = r.entered_by
       WHERE s.tenant_id = $1 AND s.cohort_id = $2 ${cond}
       ORDER BY s.name, s.id`,
      params,
    );
    return rows.map((x: any) => ({ studentId: x.sid, studentName: x.sname, studentStatus: x.sstatus, result: x.id ? (x as ResultRow) : null }));
  }

  /** Every version of the results of the sheet in scope (optionally one student), oldest first per student. */
  async history(sheet: SheetRow, scope: StudentScope, studentId?: string): Promise<ResultRow[]> {
    const params: unknown[] = [this.t, sheet.id];
    let cond = scopeSql(scope, params, sheet.kind === 'practice' ? sheet.stageIndex : null, 'st');
    if (studentId) {
      params.push(studentId);
      cond += ` AND r.student_id = $${params.length}`;
    }
    return this.manager.query(
      `SELECT ${RESULT_COLUMNS}
       FROM assessment_results r
       JOIN students st ON st.tenant_id = r.tenant_id AND st.id = r.student_id
       LEFT JOIN users u ON u.id = r.entered_by
       WHERE r.tenant_id = $1 AND r.sheet_id = $2 ${cond}
       ORDER BY st.name, r.student_id, r.version_no`,
      params,
    );
  }

  /** Updates draft rows in place (version 1, still current and draft). */
  async updateDrafts(sheetId: string, rows: NewResult[], userId: string | null): Promise<number> {
    if (!rows.length) return 0;
    const res = await this.manager.query(
      `UPDATE assessment_results r SET score = x.score, passed = x.passed, judged_technician = x.judged_technician, assessed_on = x.assessed_on,
              assessor = x.assessor, remarks = x.remarks, status = x.status, entered_by = $3,
              submitted_at = CASE WHEN x.status = 'submitted' THEN now() END, submitted_by = CASE WHEN x.status = 'submitted' THEN $3::uuid END, updated_at = now()
       FROM jsonb_to_recordset($4::jsonb) AS x(student_id uuid, score numeric, passed boolean, judged_technician boolean, assessed_on date,
                                               assessor varchar, remarks varchar, status varchar)
       WHERE r.tenant_id = $1 AND r.sheet_id = $2 AND r.student_id = x.student_id AND r.is_current AND r.status = 'draft'`,
      [this.t, sheetId, userId, JSON.stringify(rows.map(toJson))],
    );
    return Array.isArray(res) ? (res[1] as number) : 0;
  }

  /** Marks the current submitted rows of these students superseded (a correction follows in the same transaction). */
  async supersede(sheetId: string, studentIds: string[]): Promise<void> {
    if (!studentIds.length) return;
    await this.manager.query(
      `UPDATE assessment_results SET is_current = false, updated_at = now()
       WHERE tenant_id = $1 AND sheet_id = $2 AND student_id = ANY($3::uuid[]) AND is_current AND status = 'submitted'`,
      [this.t, sheetId, studentIds],
    );
  }

  async insertResults(sheet: SheetRow, rows: NewResult[], userId: string | null, side: 'college' | 'enterprise', enterpriseId: string | null): Promise<void> {
    if (!rows.length) return;
    await this.manager.query(
      `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, version_no, status, score, passed, judged_technician,
                                       assessed_on, assessor, remarks, correction_reason, entered_by, entered_side, enterprise_id, submitted_at, submitted_by)
       SELECT $1, $2, $3, $4, x.student_id, x.version_no, x.status, x.score, x.passed, x.judged_technician, x.assessed_on, x.assessor, x.remarks,
              x.correction_reason, $5, $6, $7, CASE WHEN x.status = 'submitted' THEN now() END, CASE WHEN x.status = 'submitted' THEN $5::uuid END
       FROM jsonb_to_recordset($8::jsonb) AS x(student_id uuid, version_no int, status varchar, score numeric, passed boolean, judged_technician boolean,
                                               assessed_on date, assessor varchar, remarks varchar, correction_reason varchar)`,
      [this.t, sheet.id, sheet.cohortId, sheet.kind, userId, side, enterpriseId, JSON.stringify(rows.map(toJson))],
    );
  }

  /** Submits the draft rows of these students (the caller's scope, resolved by the service). */
  async submitDrafts(sheetId: string, studentIds: string[], userId: string | null): Promise<number> {
    if (!studentIds.length) return 0;
    const res = await this.manager.query(
      `UPDATE assessment_results SET status = 'submitted', submitted_at = now(), submitted_by = $4, updated_at = now()
       WHERE tenant_id = $1 AND sheet_id = $2 AND student_id = ANY($3::uuid[]) AND is_current AND status = 'draft'`,
      [this.t, sheetId, studentIds, userId],
    );
    return Array.isArray(res) ? (res[1] as number) : 0;
  }

  /** A draft sheet becomes submitted once every active student of the cohort has a submitted current result. */
  async closeIfComplete(sheetId: string): Promise<boolean> {
    const rows = await this.manager.query(
      `UPDATE assessment_sheets sh SET status = 'submitted', submitted_at = now(), updated_at = now(), version = version + 1
       WHERE sh.tenant_id = $1 AND sh.id = $2 AND sh.status = 'draft'
         AND EXISTS (SELECT 1 FROM students s WHERE s.tenant_id = sh.tenant_id AND s.cohort_id = sh.cohort_id AND s.status IN ('admitted','enrolled','graduated'))
         AND NOT EXISTS (
           SELECT 1 FROM students s
           WHERE s.tenant_id = sh.tenant_id AND s.cohort_id = sh.cohort_id AND s.status IN ('admitted','enrolled','graduated')
             AND NOT EXISTS (SELECT 1 FROM assessment_results r WHERE r.tenant_id = s.tenant_id AND r.sheet_id = sh.id AND r.student_id = s.id
                             AND r.is_current AND r.status = 'submitted'))
       RETURNING id`,
      [this.t, sheetId],
    );
    return rows.length > 0;
  }

  async reopen(sheetId: string, userId: string, reason: string): Promise<void> {
    await this.manager.query(
      `UPDATE assessment_sheets SET status = 'draft', submitted_at = NULL, reopened_at = now(), reopened_by = $3, reopen_reason = $4,
              updated_at = now(), version = version + 1
       WHERE tenant_id = $1 AND id = $2`,
      [this.t, sheetId, userId, reason],
    );
  }

  /** For each student: the plan content of the cohort and the item keys whose current submitted result passes (one query). */
  async passedItems(studentIds: string[]): Promise<{ studentId: string; content: PlanContent; passed: string[] }[]> {
    if (!studentIds.length) return [];
    return this.manager.query(
      `SELECT s.id AS "studentId", tp.content,
              COALESCE(array_agg(sh.item_key) FILTER (WHERE sh.item_key IS NOT NULL), '{}') AS passed
       FROM students s
       JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       JOIN training_plans tp ON tp.tenant_id = c.tenant_id AND tp.id = c.plan_version_id
       LEFT JOIN assessment_results r ON r.tenant_id = s.tenant_id AND r.student_id = s.id AND r.is_current AND r.status = 'submitted' AND r.passed
       LEFT JOIN assessment_sheets sh ON sh.tenant_id = r.tenant_id AND sh.id = r.sheet_id
       WHERE s.tenant_id = $1 AND s.id = ANY($2::uuid[])
       GROUP BY s.id, tp.content`,
      [this.t, studentIds],
    );
  }

  /** Projects with a defence review of the cohort's students (pre-fill of the defence sheet). */
  async defences(cohortId: string): Promise<{ studentId: string; score: string | null; result: 'pass' | 'fail'; on: string; comment: string | null }[]> {
    return this.manager.query(
      `SELECT p.student_id AS "studentId", p.defence_score::text AS score, p.defence_result AS result, p.defence_on::text AS "on", p.defence_comment AS comment
       FROM projects p JOIN students s ON s.tenant_id = p.tenant_id AND s.id = p.student_id
       WHERE p.tenant_id = $1 AND s.cohort_id = $2 AND p.defence_on IS NOT NULL`,
      [this.t, cohortId],
    );
  }
}

function toJson(r: NewResult) {
  return {
    student_id: r.studentId,
    version_no: r.versionNo,
    status: r.status,
    score: r.score,
    passed: r.passed,
    judged_technician: r.judgedTechnician,
    assessed_on: r.assessedOn,
    assessor: r.assessor,
    remarks: r.remarks,
    correction_reason: r.correctionReason,
  };
}
