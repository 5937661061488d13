import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Cohort, CohortStatus, TrackCode } from './cohort.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cohort as read, with its programme, plan version, track and live student count. */
export interface CohortRow {
  id: string;
  tenantId: string;
  programmeId: string;
  programmeName: string;
  planVersionId: string;
  planVersionNo: number;
  name: string;
  intakeYear: number;
  trackCode: TrackCode;
  trackEntryLevelZh: string;
  trackFlexible: boolean;
  startDate: string;
  durationMonths: number;
  seniorWorkerStageMonths: number;
  seniorWorkerStageEnd: string | null;
  expectedGraduation: string;
  flexibleJustification: string | null;
  assistantEngineer: boolean;
  status: CohortStatus;
  startedAt: Date | null;
  studentCount: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_ROW = `
  SELECT c.id, c.tenant_id AS "tenantId", c.programme_id AS "programmeId", p.name AS "programmeName",
         c.plan_version_id AS "planVersionId", tp.version_no AS "planVersionNo", c.name, c.intake_year AS "intakeYear",
         c.track_code AS "trackCode", st.entry_level_zh AS "trackEntryLevelZh", st.flexible AS "trackFlexible",
         c.start_date::text AS "startDate", c.duration_months AS "durationMonths", c.senior_worker_stage_months AS "seniorWorkerStageMonths",
         c.senior_worker_stage_end::text AS "seniorWorkerStageEnd", c.expected_graduation::text AS "expectedGraduation",
         c.flexible_justification AS "flexibleJustification", c.assistant_engineer AS "assistantEngineer", c.status, c.started_at AS "startedAt",
         (SELECT count(*)::int FROM students s WHERE s.tenant_id = c.tenant_id AND s.cohort_id = c.id
            AND s.status IN ('admitted','enrolled','graduated')) AS "studentCount",
         c.version, c.created_at AS "createdAt", c.updated_at AS "updatedAt"
  FROM cohorts c
  JOIN programmes p ON p.tenant_id = c.tenant_id AND p.id = c.programme_id
  JOIN training_plans tp ON tp.tenant_id = c.tenant_id AND tp.id = c.plan_version_id
  JOIN schooling_tracks st ON st.code = c.track_code`;

export interface CohortFilter {
  tenantId?: string;
  programmeId?: string;
  intakeYear?: number;
  status?: CohortStatus;
  /** enterprise scope: only programmes this enterprise partners with */
  partnerEnterpriseId?: string;
  limit: number;
  cursor?: string;
}

export type NewCohort = Pick<
  Cohort,
  | 'programmeId'
  | 'planVersionId'
  | 'name'
  | 'intakeYear'
  | 'trackCode'
  | 'startDate'
  | 'durationMonths'
  | 'seniorWorkerStageMonths'
  | 'flexibleJustification'
  | 'assistantEngineer'
  | 'createdBy'
>;

/** All SQL on `cohorts` (tenant table). */
@Injectable()
export class CohortsRepository extends TenantScopedRepository<Cohort> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Cohort);
  }

  async findRow(id: string): Promise<CohortRow | undefined> {
    if (this.tenant.scope === 'province') return (await this.manager.query(`${SELECT_ROW} WHERE c.id = $1`, [id]))[0];
    return (await this.manager.query(`${SELECT_ROW} WHERE c.tenant_id = $1 AND c.id = $2`, [this.tenant.requireTenantId(), id]))[0];
  }

  /** Locks the cohort: starts, admissions, imports and streaming of one cohort run one after the other. */
  findForUpdate(id: string): Promise<Cohort | null> {
    return this.repo
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.tenantId = :tenantId AND c.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  async insert(values: NewCohort): Promise<Cohort> {
    const saved = await this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId(), status: 'planned' }));
    return (await this.findById(saved.id))!;
  }

  save(cohort: Cohort): Promise<Cohort> {
    if (cohort.tenantId !== this.tenant.requireTenantId()) throw new Error('cohort of another tenant');
    return this.repo.save(cohort);
  }

  async nameTaken(intakeYear: number, name: string): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM cohorts WHERE tenant_id = $1 AND intake_year = $2 AND lower(name) = lower($3)) AS taken`,
      [this.tenant.requireTenantId(), intakeYear, name],
    );
    return rows[0].taken === true;
  }

  /** The pilot status of a programme of the current college (DOMAIN §5), or undefined. */
  async programmePilotStatus(programmeId: string): Promise<string | undefined> {
    const rows = await this.manager.query(`SELECT pilot_status AS "pilotStatus" FROM programmes WHERE tenant_id = $1 AND id = $2`, [this.tenant.requireTenantId(), programmeId]);
    return rows[0]?.pilotStatus;
  }

  async programmeExists(programmeId: string): Promise<boolean> {
    const rows = await this.manager.query(`SELECT EXISTS (SELECT 1 FROM programmes WHERE tenant_id = $1 AND id = $2) AS ok`, [
      this.tenant.requireTenantId(),
      programmeId,
    ]);
    return rows[0].ok === true;
  }

  /** The plan version's programme and status, when it is the college's. */
  async planVersion(planVersionId: string): Promise<{ programmeId: string; status: string } | undefined> {
    const rows = await this.manager.query(`SELECT programme_id AS "programmeId", status FROM training_plans WHERE tenant_id = $1 AND id = $2`, [
      this.tenant.requireTenantId(),
      planVersionId,
    ]);
    return rows[0];
  }

  /** A number from tenants.settings (college settings), or null when unset or not a positive integer. */
  async setting(key: 'classSizeWarning' | 'streamingCheckpointMonths', tenantId: string): Promise<number | null> {
    const rows: { value: unknown }[] = await this.manager.query(`SELECT settings -> $2::text AS value FROM tenants WHERE id = $1`, [tenantId, key]);
    const value = Number(rows[0]?.value);
    return Number.isInteger(value) && value > 0 ? value : null;
  }

  /** Students enrolled when the cohort starts (admitted → enrolled, dated by the start date). */
  async enrolAdmitted(cohortId: string, on: string, userId: string | null): Promise<number> {
    const tenantId = this.tenant.requireTenantId();
    // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    const [rows]: [{ id: string }[], number] = await this.manager.query(
      `UPDATE students SET status = 'enrolled', enrolled_on = GREATEST($3::date, admitted_on), version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND cohort_id = $2 AND status = 'admitted' RETURNING id`,
      [tenantId, cohortId, on],
    );
    if (rows.length) {
      await this.manager.query(
        `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason, recorded_by)
         SELECT $1, s.id, 'admitted', 'enrolled', s.enrolled_on, '班级开班', $3 FROM students s WHERE s.tenant_id = $1 AND s.id = ANY($2::uuid[])`,
        [tenantId, rows.map((r) => r.id), userId],
      );
    }
    return rows.length;
  }

  /**
   * R-EVA-1 technician KPI denominator, in SQL: the cohort's students still on the technician
   * route — not streamed out (senior-worker route or leave), not withdrawn.
   */
  async technicianDenominator(cohortId: string): Promise<number> {
    const province = this.tenant.scope === 'province';
    const rows: { n: number }[] = await this.manager.query(
      `SELECT count(*)::int AS n FROM students s
       WHERE ($1::uuid IS NULL OR s.tenant_id = $1::uuid) AND s.cohort_id = $2
         AND s.status IN ('admitted','enrolled','graduated')
         AND NOT EXISTS (SELECT 1 FROM streaming_decisions d
                         WHERE d.tenant_id = s.tenant_id AND d.student_id = s.id AND d.decision IN ('senior-worker-route','leave'))`,
      [province ? null : this.tenant.requireTenantId(), cohortId],
    );
    return rows[0].n;
  }

  /** Sorted by intake year (newest first), name, id (keyset). */
  list(filter: CohortFilter): Promise<CohortRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.tenantId) add('c.tenant_id = ?', filter.tenantId);
    if (filter.programmeId) add('c.programme_id = ?', filter.programmeId);
    if (filter.intakeYear) add('c.intake_year = ?', filter.intakeYear);
    if (filter.status) add('c.status = ?', filter.status);
    if (filter.partnerEnterpriseId) {
      add(
        `EXISTS (SELECT 1 FROM partnerships pa WHERE pa.tenant_id = c.tenant_id AND pa.programme_id = c.programme_id AND pa.enterprise_id = ? AND pa.status = 'active')`,
        filter.partnerEnterpriseId,
      );
    }
    const after = decodeCursor(filter.cursor, 3);
    if (after && (typeof after[0] !== 'number' || typeof after[1] !== 'string' || typeof after[2] !== 'string' || !UUID.test(after[2]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1], after[2]);
      const [y, n, i] = [params.length - 2, params.length - 1, params.length];
      where.push(`(c.intake_year < $${y} OR (c.intake_year = $${y} AND (c.name, c.id) > ($${n}, $${i}::uuid)))`);
    }
    params.push(filter.limit + 1);
    const sql = `${SELECT_ROW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.intake_year DESC, c.name, c.id LIMIT $${params.length}`;
    return this.manager.query(sql, params);
  }

  /** Enterprise scope: the cohort's programme is one the enterprise partners with. */
  async enterpriseMayRead(cohortId: string, enterpriseId: string): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM cohorts c JOIN partnerships pa ON pa.tenant_id = c.tenant_id AND pa.programme_id = c.programme_id
                      WHERE c.tenant_id = $1 AND c.id = $2 AND pa.enterprise_id = $3 AND pa.status = 'active') AS ok`,
      [this.tenant.requireTenantId(), cohortId, enterpriseId],
    );
    return rows[0].ok === true;
  }
}
