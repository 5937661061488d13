import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** All SQL of the governance records (province-owned tables) and the province overview (aggregates in SQL). */
@Injectable()
export class GovernanceRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get db(): EntityManager {
    return (this.txHost as Tx).tx;
  }

  async insertConsultation(v: { heldOn: string; title: string; attendees: object; topics: object; decisions: object; actions: object; createdBy: string }): Promise<any> {
    const r = await this.db.query(
      `INSERT INTO pilot_consultations (held_on, title, attendees, topics, decisions, actions, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, held_on::text AS "heldOn", title, attendees, topics, decisions, actions, created_at AS "createdAt"`,
      [v.heldOn, v.title, JSON.stringify(v.attendees), JSON.stringify(v.topics), JSON.stringify(v.decisions), JSON.stringify(v.actions), v.createdBy],
    );
    return r[0];
  }

  consultations(f: { limit: number; cursor?: string }): Promise<any[]> {
    const params: unknown[] = [f.limit + 1];
    let where = '';
    const after = decodeCursor(f.cursor, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where = `WHERE (held_on, id) < ($2::date, $3::uuid)`;
    }
    return this.db.query(
      `SELECT id, held_on::text AS "heldOn", title, attendees, topics, decisions, actions, created_at AS "createdAt"
       FROM pilot_consultations ${where} ORDER BY held_on DESC, id DESC LIMIT $1`,
      params,
    );
  }

  async insertFunding(v: { collegeId: string; programmeId: string; decidedOn: string; amountYuan: number | null; coefficient: number | null; basis: string; createdBy: string }): Promise<any> {
    const r = await this.db.query(
      `INSERT INTO pilot_funding_decisions (college_id, programme_id, decided_on, amount_yuan, per_student_coefficient, basis, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, college_id AS "collegeId", programme_id AS "programmeId", decided_on::text AS "decidedOn", amount_yuan AS "amountYuan",
                 per_student_coefficient AS "perStudentCoefficient", basis`,
      [v.collegeId, v.programmeId, v.decidedOn, v.amountYuan, v.coefficient, v.basis, v.createdBy],
    );
    return r[0];
  }

  /** R-COL-3 progress: application programmes by notice year, tier, city and stage (province read across colleges). */
  applicationStages(year?: number): Promise<{ year: number; tier: string; city: string; stage: string; count: number }[]> {
    return this.db.query(
      `SELECT n.year, t.tier, t.city, ap.stage, count(*)::int AS count
       FROM pilot_application_programmes ap
       JOIN pilot_applications a ON a.tenant_id = ap.tenant_id AND a.id = ap.application_id
       JOIN pilot_notices n ON n.id = a.notice_id
       JOIN tenants t ON t.id = ap.tenant_id
       WHERE ($1::int IS NULL OR n.year = $1) AND a.status <> 'draft'
       GROUP BY n.year, t.tier, t.city, ap.stage ORDER BY n.year, t.tier, t.city, ap.stage`,
      [year ?? null],
    );
  }

  pilotStatuses(): Promise<{ tier: string; city: string; pilotStatus: string; count: number }[]> {
    return this.db.query(
      `SELECT t.tier, t.city, p.pilot_status AS "pilotStatus", count(*)::int AS count
       FROM programmes p JOIN tenants t ON t.id = p.tenant_id
       WHERE p.pilot_status <> 'candidate'
       GROUP BY t.tier, t.city, p.pilot_status ORDER BY t.tier, t.city, p.pilot_status`,
    );
  }

  evaluations(): Promise<{ kind: string; outcome: string; count: number }[]> {
    return this.db.query(
      `SELECT kind, coalesce(conclusion, 'scheduled') AS outcome, count(*)::int AS count FROM pilot_evaluations GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  }

  // ---- R-GOV-4 experience reports (college rows)

  private readonly REPORT = `
    SELECT r.id, r.tenant_id AS "tenantId", t.name AS "collegeName", r.year, r.title, r.summary, r.programme_id AS "programmeId",
           r.attachment_id AS "attachmentId", r.selected, r.case_title AS "caseTitle", r.selection_reason AS "selectionReason", r.created_at AS "createdAt"
    FROM pilot_experience_reports r JOIN tenants t ON t.id = r.tenant_id`;

  async insertReport(tenantId: string, v: { year: number; title: string; summary: string; programmeId: string | null; attachmentId: string | null; submittedBy: string }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_experience_reports (tenant_id, year, title, summary, programme_id, attachment_id, submitted_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [tenantId, v.year, v.title, v.summary, v.programmeId, v.attachmentId, v.submittedBy],
    );
    return r[0].id;
  }

  async report(id: string, tenantId?: string, lock = false): Promise<any | null> {
    const r = await this.db.query(`${this.REPORT} WHERE r.id = $1 AND ($2::uuid IS NULL OR r.tenant_id = $2::uuid)${lock ? ' FOR UPDATE OF r' : ''}`, [id, tenantId ?? null]);
    return r[0] ?? null;
  }

  reports(f: { tenantId?: string; year?: number; selected?: boolean; limit: number; cursor?: string }): Promise<any[]> {
    const params: unknown[] = [f.limit + 1, f.tenantId ?? null, f.year ?? null, f.selected ?? null];
    let where = `($2::uuid IS NULL OR r.tenant_id = $2::uuid) AND ($3::int IS NULL OR r.year = $3::int) AND ($4::boolean IS NULL OR r.selected = $4::boolean)`;
    const after = decodeCursor(f.cursor, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where += ` AND (r.created_at, r.id) < ($5::timestamptz, $6::uuid)`;
    }
    return this.db.query(`${this.REPORT} WHERE ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT $1`, params);
  }

  async select(id: string, tenantId: string, caseTitle: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE pilot_experience_reports SET selected = true, case_title = $3, selection_reason = $4, selected_at = now() WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId, caseTitle, reason],
    );
  }

  async programmeOf(tenantId: string, programmeId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM programmes WHERE tenant_id = $1 AND id = $2`, [tenantId, programmeId])).length > 0;
  }

  async attachmentOf(tenantId: string, attachmentId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM attachments WHERE tenant_id = $1 AND id = $2`, [tenantId, attachmentId])).length > 0;
  }
}
