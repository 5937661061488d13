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
}
