import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { DEFAULT_CLASS_SIZE_WARNING } from './domain/plan-content';
import type { PlanStatus, ReviewConclusion } from './dto/plan.dto';
import { TrainingPlan } from './training-plan.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isIsoTime = (v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));

export interface ProgrammeRef {
  id: string;
  tenantId: string;
}

export interface ReviewRow {
  id: string;
  planId: string;
  reviewedOn: string;
  experts: { name: string; title: string; organisation: string }[];
  conclusion: ReviewConclusion;
  notes: string | null;
  createdAt: Date;
}

export interface DecisionRow {
  planId: string;
  decidedOn: string;
  minutesAttachmentId: string;
  minutesFilename: string;
  minutesSha256: string;
  notes: string | null;
  createdAt: Date;
}

export interface FilingRow {
  id: string;
  planId: string;
  reference: string;
  filedAt: Date;
}

export interface FilingListRow {
  id: string;
  tenantId: string;
  collegeName: string;
  programmeId: string;
  programmeCode: string;
  programmeName: string;
  planId: string;
  versionNo: number;
  changedAreas: string[];
  changeSummary: string | null;
  decidedOn: string | null;
  reference: string;
  filedAt: Date;
}

export interface FilingFilter {
  tenantId?: string;
  programmeId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export type NewPlan = Pick<
  TrainingPlan,
  'programmeId' | 'versionNo' | 'status' | 'changeKind' | 'changeSummary' | 'changedAreas' | 'basedOnVersion' | 'occupationCode' | 'classSize' | 'content' | 'createdBy' | 'effectiveAt'
>;

/**
 * All SQL of training plans and their reviews, party-committee decisions and filings
 * (tenant tables). College reads and every write name the tenant; province reads go
 * without a tenant filter and rely on the RLS province read policy.
 */
@Injectable()
export class TrainingPlansRepository extends TenantScopedRepository<TrainingPlan> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, TrainingPlan);
  }

  private get province(): boolean {
    return this.tenant.scope === 'province';
  }

  // ---- the parent programme (a foreign-key parent: read here only to answer 404 and to lock)

  async programme(programmeId: string): Promise<ProgrammeRef | undefined> {
    const rows: ProgrammeRef[] = this.province
      ? await this.manager.query('SELECT id, tenant_id AS "tenantId" FROM programmes WHERE id = $1', [programmeId])
      : await this.manager.query('SELECT id, tenant_id AS "tenantId" FROM programmes WHERE tenant_id = $1 AND id = $2', [
          this.tenant.requireTenantId(),
          programmeId,
        ]);
    return rows[0];
  }

  /** Locks the programme row: version changes of one programme happen one after the other. */
  async lockProgramme(programmeId: string): Promise<ProgrammeRef | undefined> {
    const rows: ProgrammeRef[] = await this.manager.query(
      'SELECT id, tenant_id AS "tenantId" FROM programmes WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [this.tenant.requireTenantId(), programmeId],
    );
    return rows[0];
  }

  /** R-TRN-2: the college's class-size warning threshold (tenants.settings.classSizeWarning, default 30). */
  async classSizeThreshold(tenantId: string): Promise<number> {
    const rows: { value: unknown }[] = await this.manager.query(
      `SELECT settings -> 'classSizeWarning' AS value FROM tenants WHERE id = $1`,
      [tenantId],
    );
    const value = Number(rows[0]?.value);
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_CLASS_SIZE_WARNING;
  }

  // ---- versions

  version(programmeId: string, versionNo: number): Promise<TrainingPlan | null> {
    if (this.province) return this.repo.findOne({ where: { programmeId, versionNo } });
    return this.repo.findOne({ where: this.where({ programmeId, versionNo }) });
  }

  withStatus(programmeId: string, statuses: PlanStatus[]): Promise<TrainingPlan[]> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.programmeId = :programmeId AND p.status IN (:...statuses)', { programmeId, statuses })
      .orderBy('p.versionNo', 'ASC');
    if (!this.province) qb.andWhere('p.tenantId = :tenantId', { tenantId: this.tenant.requireTenantId() });
    return qb.getMany();
  }

  async maxVersionNo(programmeId: string): Promise<number> {
    const rows: { n: number | null }[] = await this.manager.query(
      'SELECT max(version_no)::int AS n FROM training_plans WHERE tenant_id = $1 AND programme_id = $2',
      [this.tenant.requireTenantId(), programmeId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Newest version first (keyset on version_no). */
  list(programmeId: string, filter: { status?: PlanStatus; limit: number; cursor?: string }): Promise<TrainingPlan[]> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.programmeId = :programmeId', { programmeId })
      .orderBy('p.versionNo', 'DESC')
      .limit(filter.limit + 1);
    if (!this.province) qb.andWhere('p.tenantId = :tenantId', { tenantId: this.tenant.requireTenantId() });
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    const after = decodeCursor(filter.cursor, 1);
    if (after && (typeof after[0] !== 'number' || !Number.isInteger(after[0]))) throw new AppException(PaginationErrors.BAD_CURSOR);
    if (after) qb.andWhere('p.versionNo < :after', { after: after[0] });
    return qb.getMany();
  }

  insert(values: NewPlan): Promise<TrainingPlan> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  save(plan: TrainingPlan): Promise<TrainingPlan> {
    if (plan.tenantId !== this.tenant.requireTenantId()) throw new Error('plan of another tenant');
    return this.repo.save(plan);
  }

  // ---- steering-committee reviews (R-PRG-2)

  async reviews(planIds: string[]): Promise<ReviewRow[]> {
    if (!planIds.length) return [];
    const params: unknown[] = [planIds];
    let tenantFilter = '';
    if (!this.province) {
      params.push(this.tenant.requireTenantId());
      tenantFilter = 'AND tenant_id = $2';
    }
    return this.manager.query(
      `SELECT id, plan_id AS "planId", reviewed_on::text AS "reviewedOn", experts, conclusion, notes, created_at AS "createdAt"
       FROM training_plan_reviews WHERE plan_id = ANY($1::uuid[]) ${tenantFilter}
       ORDER BY reviewed_on, created_at, id`,
      params,
    );
  }

  async insertReview(planId: string, r: Pick<ReviewRow, 'reviewedOn' | 'experts' | 'conclusion' | 'notes'>, recordedBy: string | null): Promise<ReviewRow> {
    const rows: ReviewRow[] = await this.manager.query(
      `INSERT INTO training_plan_reviews (tenant_id, plan_id, reviewed_on, experts, conclusion, notes, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, plan_id AS "planId", reviewed_on::text AS "reviewedOn", experts, conclusion, notes, created_at AS "createdAt"`,
      [this.tenant.requireTenantId(), planId, r.reviewedOn, JSON.stringify(r.experts), r.conclusion, r.notes, recordedBy],
    );
    return rows[0];
  }

  // ---- party-committee decisions and filings (R-GOV-2)

  async decision(planId: string): Promise<DecisionRow | undefined> {
    const params: unknown[] = [planId];
    if (!this.province) params.push(this.tenant.requireTenantId());
    const rows: DecisionRow[] = await this.manager.query(
      `SELECT plan_id AS "planId", decided_on::text AS "decidedOn", minutes_attachment_id AS "minutesAttachmentId",
              minutes_filename AS "minutesFilename", minutes_sha256 AS "minutesSha256", notes, created_at AS "createdAt"
       FROM training_plan_decisions WHERE plan_id = $1 ${this.province ? '' : 'AND tenant_id = $2'}`,
      params,
    );
    return rows[0];
  }

  async insertDecision(d: Omit<DecisionRow, 'createdAt'>, recordedBy: string | null): Promise<DecisionRow> {
    const rows: DecisionRow[] = await this.manager.query(
      `INSERT INTO training_plan_decisions (tenant_id, plan_id, decided_on, minutes_attachment_id, minutes_filename, minutes_sha256, notes, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING plan_id AS "planId", decided_on::text AS "decidedOn", minutes_attachment_id AS "minutesAttachmentId",
                 minutes_filename AS "minutesFilename", minutes_sha256 AS "minutesSha256", notes, created_at AS "createdAt"`,
      [this.tenant.requireTenantId(), d.planId, d.decidedOn, d.minutesAttachmentId, d.minutesFilename, d.minutesSha256, d.notes, recordedBy],
    );
    return rows[0];
  }

  async filing(planId: string): Promise<FilingRow | undefined> {
    const params: unknown[] = [planId];
    if (!this.province) params.push(this.tenant.requireTenantId());
    const rows: FilingRow[] = await this.manager.query(
      `SELECT id, plan_id AS "planId", reference, filed_at AS "filedAt"
       FROM training_plan_filings WHERE plan_id = $1 ${this.province ? '' : 'AND tenant_id = $2'}`,
      params,
    );
    return rows[0];
  }

  async insertFiling(planId: string, programmeId: string, reference: string, filedBy: string | null): Promise<FilingRow> {
    const rows: FilingRow[] = await this.manager.query(
      `INSERT INTO training_plan_filings (tenant_id, plan_id, programme_id, reference, filed_by, filed_at)
       VALUES ($1, $2, $3, $4, $5, date_trunc('milliseconds', now()))
       RETURNING id, plan_id AS "planId", reference, filed_at AS "filedAt"`,
      [this.tenant.requireTenantId(), planId, programmeId, reference, filedBy],
    );
    return rows[0];
  }

  /**
   * Province only: every college's filings, newest first (keyset on filed_at, id). No
   * tenant filter here: the RLS province read policy is what lets these rows through.
   */
  async listFilingsAcrossColleges(filter: FilingFilter): Promise<FilingListRow[]> {
    if (!this.province) throw new Error('listFilingsAcrossColleges is for province scope only');
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.tenantId) add('f.tenant_id = ?', filter.tenantId);
    if (filter.programmeId) add('f.programme_id = ?', filter.programmeId);
    // Date-only bounds are China days.
    if (filter.from) add(`f.filed_at >= (?::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`, filter.from);
    if (filter.to) add(`f.filed_at < ((?::date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`, filter.to);
    const after = decodeCursor(filter.cursor, 2);
    if (after) {
      if (!isIsoTime(after[0]) || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where.push(`(f.filed_at, f.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    return this.manager.query(
      `SELECT f.id, f.tenant_id AS "tenantId", t.name AS "collegeName", f.programme_id AS "programmeId",
              p.code AS "programmeCode", p.name AS "programmeName", f.plan_id AS "planId", tp.version_no AS "versionNo",
              tp.changed_areas AS "changedAreas", tp.change_summary AS "changeSummary", d.decided_on::text AS "decidedOn",
              f.reference, f.filed_at AS "filedAt"
       FROM training_plan_filings f
       JOIN training_plans tp ON tp.tenant_id = f.tenant_id AND tp.id = f.plan_id
       JOIN programmes p ON p.tenant_id = f.tenant_id AND p.id = f.programme_id
       JOIN tenants t ON t.id = f.tenant_id
       LEFT JOIN training_plan_decisions d ON d.tenant_id = f.tenant_id AND d.plan_id = f.plan_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY f.filed_at DESC, f.id DESC LIMIT $${params.length}`,
      params,
    );
  }
}
