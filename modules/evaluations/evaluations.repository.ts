import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EvaluationRow {
  id: string;
  tenantId: string;
  programmeId: string;
  programmeName: string;
  kind: 'mid-term' | 'completion';
  scheduledOn: string;
  expertUserIds: string[];
  status: 'scheduled' | 'concluded';
  kpiSnapshot: Record<string, unknown> | null;
  checklistScores: Record<string, number> | null;
  conclusion: 'pass' | 'rectify' | 'fail' | null;
  rectifyBy: string | null;
  reason: string | null;
  concludedOn: string | null;
  version: number;
  createdAt: Date;
}

const SELECT = `
  SELECT e.id, e.tenant_id AS "tenantId", e.programme_id AS "programmeId", p.name AS "programmeName", e.kind, e.scheduled_on::text AS "scheduledOn",
         e.expert_user_ids AS "expertUserIds", e.status, e.kpi_snapshot AS "kpiSnapshot", e.checklist_scores AS "checklistScores", e.conclusion,
         e.rectify_by::text AS "rectifyBy", e.reason, e.concluded_on::text AS "concludedOn", e.version, e.created_at AS "createdAt"
  FROM pilot_evaluations e JOIN programmes p ON p.tenant_id = e.tenant_id AND p.id = e.programme_id`;

/** All SQL of evaluations and revocations (R-GOV-3); the mid-term KPI figures are aggregates in SQL. */
@Injectable()
export class EvaluationsRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get db(): EntityManager {
    return (this.txHost as Tx).tx;
  }

  async insert(v: { programmeId: string; kind: string; scheduledOn: string; expertUserIds: string[]; createdBy: string | null }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_evaluations (tenant_id, programme_id, kind, scheduled_on, expert_user_ids, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [this.tenant.requireTenantId(), v.programmeId, v.kind, v.scheduledOn, v.expertUserIds, v.createdBy],
    );
    return r[0].id;
  }

  /** College scope: its own; province scope: any (experts: those they evaluate). */
  async find(id: string, opts: { lock?: boolean; expertUserId?: string } = {}): Promise<EvaluationRow | null> {
    const params: unknown[] = [id];
    let where = 'e.id = $1';
    if (this.tenant.scope !== 'province') {
      params.push(this.tenant.requireTenantId());
      where += ` AND e.tenant_id = $${params.length}`;
    }
    if (opts.expertUserId) {
      params.push(opts.expertUserId);
      where += ` AND $${params.length}::uuid = ANY(e.expert_user_ids)`;
    }
    const r = await this.db.query(`${SELECT} WHERE ${where}${opts.lock ? ' FOR UPDATE OF e' : ''}`, params);
    return r[0] ?? null;
  }

  list(f: { tenantId?: string; programmeId?: string; expertUserId?: string; limit: number; cursor?: string }): Promise<EvaluationRow[]> {
    const params: unknown[] = [f.limit + 1];
    const where: string[] = [];
    if (f.tenantId) {
      params.push(f.tenantId);
      where.push(`e.tenant_id = $${params.length}`);
    }
    if (f.programmeId) {
      params.push(f.programmeId);
      where.push(`e.programme_id = $${params.length}`);
    }
    if (f.expertUserId) {
      params.push(f.expertUserId);
      where.push(`$${params.length}::uuid = ANY(e.expert_user_ids)`);
    }
    const after = decodeCursor(f.cursor, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where.push(`(e.scheduled_on, e.id) > ($${params.length - 1}::date, $${params.length}::uuid)`);
    }
    return this.db.query(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.scheduled_on, e.id LIMIT $1`, params);
  }

  async conclude(id: string, v: { kpiSnapshot: object; checklistScores: object; conclusion: string; rectifyBy: string | null; reason: string; concludedOn: string }): Promise<void> {
    await this.db.query(
      `UPDATE pilot_evaluations SET status = 'concluded', kpi_snapshot = $3, checklist_scores = $4, conclusion = $5, rectify_by = $6, reason = $7,
              concluded_on = $8, version = version + 1 WHERE id = $1 AND tenant_id = $2`,
      [id, this.tenant.requireTenantId(), JSON.stringify(v.kpiSnapshot), JSON.stringify(v.checklistScores), v.conclusion, v.rectifyBy, v.reason, v.concludedOn],
    );
  }

  async insertRevocation(v: { programmeId: string; evaluationId: string | null; cause: 'evaluation' | 'violation'; reason: string; revokedOn: string; createdBy: string | null }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_revocations (tenant_id, programme_id, evaluation_id, cause, reason, revoked_on, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [this.tenant.requireTenantId(), v.programmeId, v.evaluationId, v.cause, v.reason, v.revokedOn, v.createdBy],
    );
    return r[0].id;
  }

  membershipsOf(userId: string): Promise<{ tenantId: string | null; role: string; status: string; name: string }[]> {
    return this.db.query(
      `SELECT m.tenant_id AS "tenantId", m.role, m.status, u.display_name AS name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.user_id = $1`,
      [userId],
    );
  }

  /**
   * Mid-term figures of a programme's cohorts, as of a date (R-GOV-3): practice hours
   * confirmed against planned (plan execution), and streaming (streamed out / enrolled).
   */
  async midTermFigures(programmeId: string, asOf: string): Promise<{ plannedHours: number; confirmedHours: number; enrolled: number; streamedOut: number; cohorts: number }> {
    const tenantId = this.tenant.requireTenantId();
    const [practice] = await this.db.query(
      `SELECT coalesce(sum(pl.planned_hours), 0)::int AS planned,
              coalesce((SELECT sum(h.hours) FROM practice_hours_entries h JOIN placements p2 ON p2.tenant_id = h.tenant_id AND p2.id = h.placement_id
                         JOIN students s2 ON s2.tenant_id = p2.tenant_id AND s2.id = p2.student_id JOIN cohorts c2 ON c2.tenant_id = s2.tenant_id AND c2.id = s2.cohort_id
                         WHERE h.tenant_id = $1 AND c2.programme_id = $2 AND h.status = 'confirmed' AND h.work_date <= $3), 0)::float AS confirmed
       FROM placements pl JOIN students s ON s.tenant_id = pl.tenant_id AND s.id = pl.student_id
       JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       WHERE pl.tenant_id = $1 AND c.programme_id = $2 AND pl.starts_on <= $3`,
      [tenantId, programmeId, asOf],
    );
    const [students] = await this.db.query(
      `SELECT count(DISTINCT c.id)::int AS cohorts,
              count(s.id) FILTER (WHERE s.status IN ('enrolled','graduated','streamed-out','withdrawn'))::int AS enrolled,
              count(s.id) FILTER (WHERE s.status = 'streamed-out')::int AS streamed
       FROM cohorts c LEFT JOIN students s ON s.tenant_id = c.tenant_id AND s.cohort_id = c.id
       WHERE c.tenant_id = $1 AND c.programme_id = $2`,
      [tenantId, programmeId],
    );
    return { plannedHours: practice.planned, confirmedHours: practice.confirmed, enrolled: students.enrolled, streamedOut: students.streamed, cohorts: students.cohorts };
  }
}
