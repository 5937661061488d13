import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { queryLiveKpis } from '../kpis';
import type { EvaluationKind, ReportFormat, ReportKind, ReportLevel, ReportStatus } from './domain/report';

export interface ReportRow {
  id: string;
  tenantId: string | null;
  kind: ReportKind;
  level: ReportLevel;
  collegeId: string | null;
  subjectId: string | null;
  evaluationKind: EvaluationKind | null;
  format: ReportFormat;
  title: string;
  status: ReportStatus;
  progress: number;
  attempts: number;
  storageKey: string | null;
  sizeBytes: string | null;
  error: string | null;
  scheduleKey: string | null;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const COLUMNS = `id, tenant_id AS "tenantId", kind, level, college_id AS "collegeId", subject_id AS "subjectId", evaluation_kind AS "evaluationKind",
  format, title, status, progress, attempts, storage_key AS "storageKey", size_bytes AS "sizeBytes", error, schedule_key AS "scheduleKey",
  requested_by AS "requestedBy", created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

export interface NewReport {
  tenantId: string | null;
  kind: ReportKind;
  level: ReportLevel;
  collegeId: string | null;
  subjectId: string | null;
  evaluationKind: EvaluationKind | null;
  format: ReportFormat;
  title: string;
  requestedBy: string | null;
  scheduleKey?: string | null;
}

export interface SubjectRef {
  tenantId: string;
  name: string;
  collegeName: string;
  pilotStatus?: string;
}

/** KPI_SQL's row (modules/kpis): counts come back as float8, names as text. */
export interface KpiSqlRow {
  level: ReportLevel;
  tenantId: string | null;
  programmeId: string | null;
  cohortId: string | null;
  collegeName: string | null;
  programmeName: string | null;
  cohortName: string | null;
  intakeYear: number | null;
  asOf: Date;
  [count: string]: unknown;
}

/**
 * The owner condition on $1 (a college's id, or null for the province's own reports), in a
 * form the (tenant_id, created_at, id) index serves: `IS NOT DISTINCT FROM` would not be.
 */
const ownedBy = (owner: string | null) => (owner === null ? 'tenant_id IS NULL AND $1::uuid IS NULL' : 'tenant_id = $1::uuid');

/**
 * All SQL of the reports module. Rows of `reports` are read through RLS alone: a college sees
 * its own reports, province scope its province-owned ones (`tenant_id IS NULL`, asked for
 * explicitly so the province read policy on college rows does not widen a province list).
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get manager() {
    return (this.txHost as Tx).tx;
  }

  async insert(r: NewReport): Promise<ReportRow> {
    const rows = await this.manager.query(
      `INSERT INTO reports (tenant_id, kind, level, college_id, subject_id, evaluation_kind, format, title, requested_by, schedule_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [r.tenantId, r.kind, r.level, r.collegeId, r.subjectId, r.evaluationKind, r.format, r.title, r.requestedBy, r.scheduleKey ?? null],
    );
    return rows[0];
  }

  /** A scheduled report's row, created once per schedule key (a second run finds the first). */
  async insertScheduled(r: NewReport & { scheduleKey: string }): Promise<{ row: ReportRow; created: boolean }> {
    const inserted = await this.manager.query(
      `INSERT INTO reports (tenant_id, kind, level, college_id, subject_id, evaluation_kind, format, title, requested_by, schedule_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant_id, schedule_key) WHERE schedule_key IS NOT NULL DO NOTHING RETURNING ${COLUMNS}`,
      [r.tenantId, r.kind, r.level, r.collegeId, r.subjectId, r.evaluationKind, r.format, r.title, r.requestedBy, r.scheduleKey],
    );
    if (inserted[0]) return { row: inserted[0], created: true };
    const existing = await this.manager.query(`SELECT ${COLUMNS} FROM reports WHERE ${ownedBy(r.tenantId)} AND schedule_key = $2`, [r.tenantId, r.scheduleKey]);
    return { row: existing[0], created: false };
  }

  /** `owner` is the caller's college, or null for province-owned reports. */
  async find(owner: string | null, id: string): Promise<ReportRow | undefined> {
    return (await this.manager.query(`SELECT ${COLUMNS} FROM reports WHERE ${ownedBy(owner)} AND id = $2`, [owner, id]))[0];
  }

  /** Keyset on (created_at DESC, id DESC), served by reports_list_idx. */
  async list(owner: string | null, q: { limit: number; after?: [string, string]; requestedBy?: string; status?: ReportStatus }): Promise<ReportRow[]> {
    const params: unknown[] = [owner, q.limit + 1];
    const where = [ownedBy(owner)];
    if (q.after) {
      params.push(q.after[0], q.after[1]);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    if (q.requestedBy) {
      params.push(q.requestedBy);
      where.push(`requested_by = $${params.length}`);
    }
    if (q.status) {
      params.push(q.status);
      where.push(`status = $${params.length}`);
    }
    return this.manager.query(`SELECT ${COLUMNS} FROM reports WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $2`, params);
  }

  /**
   * Claims a report for a job attempt: queued or running (a retry after a crash) becomes
   * running; a report already done or failed is not claimed again, so it is finished once.
   */
  async claim(owner: string | null, id: string): Promise<ReportRow | undefined> {
    const [rows] = await this.manager.query(
      `UPDATE reports SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()), progress = 0
       WHERE ${ownedBy(owner)} AND id = $2 AND status IN ('queued','running') RETURNING ${COLUMNS}`,
      [owner, id],
    );
    return rows[0];
  }

  async progress(owner: string | null, id: string, progress: number): Promise<void> {
    await this.manager.query(`UPDATE reports SET progress = $3 WHERE ${ownedBy(owner)} AND id = $2 AND status = 'running'`, [owner, id, progress]);
  }

  /** Marks the report done once: a second finisher (a duplicate attempt) changes nothing. */
  async finish(owner: string | null, id: string, f: { storageKey: string; sizeBytes: number; sha256: string }): Promise<boolean> {
    const [, affected] = await this.manager.query(
      `UPDATE reports SET status = 'done', progress = 100, storage_key = $3, size_bytes = $4, sha256 = $5, error = NULL, finished_at = now()
       WHERE ${ownedBy(owner)} AND id = $2 AND status = 'running'`,
      [owner, id, f.storageKey, f.sizeBytes, f.sha256],
    );
    return affected === 1;
  }

  async fail(owner: string | null, id: string, error: string): Promise<boolean> {
    const [, affected] = await this.manager.query(
      `UPDATE reports SET status = 'failed', error = $3, finished_at = now() WHERE ${ownedBy(owner)} AND id = $2 AND status IN ('queued','running')`,
      [owner, id, error.slice(0, 500)],
    );
    return affected === 1;
  }

  // ---- subjects (read through RLS: a college sees its own, province scope every college) ----

  async college(id: string): Promise<SubjectRef | undefined> {
    return (await this.manager.query(`SELECT id AS "tenantId", name, name AS "collegeName" FROM tenants WHERE id = $1`, [id]))[0];
  }

  async programme(id: string): Promise<SubjectRef | undefined> {
    return (
      await this.manager.query(
        `SELECT p.tenant_id AS "tenantId", p.name, t.name AS "collegeName", p.pilot_status AS "pilotStatus"
         FROM programmes p JOIN tenants t ON t.id = p.tenant_id WHERE p.id = $1`,
        [id],
      )
    )[0];
  }

  async cohort(id: string): Promise<SubjectRef | undefined> {
    return (
      await this.manager.query(
        `SELECT c.tenant_id AS "tenantId", p.name || ' ' || c.name AS name, t.name AS "collegeName"
         FROM cohorts c JOIN programmes p ON p.tenant_id = c.tenant_id AND p.id = c.programme_id JOIN tenants t ON t.id = c.tenant_id WHERE c.id = $1`,
        [id],
      )
    )[0];
  }

  /** The KPI statement of modules/kpis, run as that module runs it: the report shows exactly the dashboard's figures. */
  async kpiRows(filter: { tenantId?: string; programmeId?: string; cohortId?: string }): Promise<KpiSqlRow[]> {
    return queryLiveKpis<KpiSqlRow>(this.manager, filter);
  }

  // ---- evaluation dossier (R-GOV-3) ----

  async dossierProgramme(programmeId: string) {
    return (
      await this.manager.query(
        `SELECT p.id, p.tenant_id AS "tenantId", p.code, p.name, p.occupation_code AS "occupationCode", p.occupation_name AS "occupationName",
                p.pilot_status AS "pilotStatus", t.name AS "collegeName",
                tp.version_no AS "planVersion", tp.status AS "planStatus", tp.effective_at AS "planEffectiveAt", tp.class_size AS "classSize",
                (SELECT count(*)::int FROM training_plans x WHERE x.tenant_id = p.tenant_id AND x.programme_id = p.id) AS "planVersions",
                (SELECT count(*)::int FROM training_plans x WHERE x.tenant_id = p.tenant_id AND x.programme_id = p.id AND x.change_kind = 'major') AS "majorChanges"
         FROM programmes p JOIN tenants t ON t.id = p.tenant_id
         LEFT JOIN training_plans tp ON tp.tenant_id = p.tenant_id AND tp.programme_id = p.id AND tp.status = 'current'
         WHERE p.id = $1`,
        [programmeId],
      )
    )[0] as
      | {
          id: string;
          tenantId: string;
          code: string;
          name: string;
          occupationCode: string;
          occupationName: string;
          pilotStatus: string;
          collegeName: string;
          planVersion: number | null;
          planStatus: string | null;
          planEffectiveAt: Date | null;
          classSize: number | null;
          planVersions: number;
          majorChanges: number;
        }
      | undefined;
  }

  /** The programme team (cohort teams included), one line per member and team. */
  dossierTeam(tenantId: string, programmeId: string): Promise<{ team: string; name: string; side: string; title: string | null; skill: string | null; role: string; field: string }[]> {
    return this.manager.query(
      `SELECT tm.name AS team, s.name, s.side, s.title_name AS title, sl.name_zh AS skill, m.role, s.field
       FROM teams tm JOIN team_members m ON m.tenant_id = tm.tenant_id AND m.team_id = tm.id
       JOIN staff_members s ON s.tenant_id = m.tenant_id AND s.id = m.staff_member_id
       LEFT JOIN skill_levels sl ON sl.code = s.skill_level_code
       WHERE tm.tenant_id = $1 AND tm.programme_id = $2
       ORDER BY tm.cohort_id NULLS FIRST, tm.name, m.role, s.side, s.name`,
      [tenantId, programmeId],
    );
  }

  dossierPartners(tenantId: string, programmeId: string): Promise<{ name: string; status: string; startedOn: string | null; endedOn: string | null }[]> {
    return this.manager.query(
      `SELECT e.name, pa.status, to_char(pa.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(pa.ended_on, 'YYYY-MM-DD') AS "endedOn"
       FROM partnerships pa JOIN enterprises e ON e.id = pa.enterprise_id
       WHERE pa.tenant_id = $1 AND pa.programme_id = $2 ORDER BY pa.status, e.name`,
      [tenantId, programmeId],
    );
  }

  dossierCohorts(tenantId: string, programmeId: string): Promise<{ name: string; intakeYear: number; status: string; startDate: string; students: number; enrolled: number }[]> {
    return this.manager.query(
      `SELECT c.name, c.intake_year AS "intakeYear", c.status, to_char(c.start_date, 'YYYY-MM-DD') AS "startDate",
              count(s.id)::int AS students, count(s.id) FILTER (WHERE s.status NOT IN ('streamed-out','withdrawn','graduated'))::int AS enrolled
       FROM cohorts c LEFT JOIN students s ON s.tenant_id = c.tenant_id AND s.cohort_id = c.id
       WHERE c.tenant_id = $1 AND c.programme_id = $2
       GROUP BY c.id ORDER BY c.intake_year DESC, c.name`,
      [tenantId, programmeId],
    );
  }

  /** Per assessment kind: sheets, submitted sheets, current submitted results and passes. */
  dossierAssessments(tenantId: string, programmeId: string): Promise<{ kind: string; sheets: number; submitted: number; results: number; passed: number }[]> {
    return this.manager.query(
      `SELECT sh.kind, count(DISTINCT sh.id)::int AS sheets, count(DISTINCT sh.id) FILTER (WHERE sh.status = 'submitted')::int AS submitted,
              count(r.id)::int AS results, count(r.id) FILTER (WHERE r.passed)::int AS passed
       FROM assessment_sheets sh JOIN cohorts c ON c.tenant_id = sh.tenant_id AND c.id = sh.cohort_id
       LEFT JOIN assessment_results r ON r.tenant_id = sh.tenant_id AND r.sheet_id = sh.id AND r.is_current AND r.status = 'submitted'
       WHERE sh.tenant_id = $1 AND c.programme_id = $2
       GROUP BY sh.kind ORDER BY sh.kind`,
      [tenantId, programmeId],
    );
  }

  dossierEvaluations(tenantId: string, programmeId: string, kind: EvaluationKind): Promise<{ scheduledOn: string; status: string; conclusion: string | null; concludedOn: string | null; reason: string | null }[]> {
    return this.manager.query(
      `SELECT to_char(scheduled_on, 'YYYY-MM-DD') AS "scheduledOn", status, conclusion, to_char(concluded_on, 'YYYY-MM-DD') AS "concludedOn", reason
       FROM pilot_evaluations WHERE tenant_id = $1 AND programme_id = $2 AND kind = $3 ORDER BY scheduled_on DESC`,
      [tenantId, programmeId, kind],
    );
  }
}
