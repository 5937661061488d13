import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { IsNull } from 'typeorm';
import { GuidanceKind, GuidanceRecord, Mentorship, MentorSide } from './mentorship.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_MENTOR_LOAD_WARNING = 8;

export interface StudentFacts {
  id: string;
  name: string;
  programmeId: string;
}

export interface MentorshipRow {
  id: string;
  studentId: string;
  studentName: string;
  side: MentorSide;
  staffMemberId: string;
  mentorName: string;
  enterpriseId: string | null;
  enterpriseName: string | null;
  startedOn: string;
  endedOn: string | null;
  endReason: string | null;
  replacedBy: string | null;
  version: number;
}

export interface GuidanceRow {
  id: string;
  studentId: string;
  mentorshipId: string;
  staffMemberId: string;
  mentorName: string;
  side: MentorSide;
  occurredOn: string;
  kind: GuidanceKind;
  notes: string;
  createdAt: Date;
}

/** Who may see which mentorships (R-TRN-3 visibility). */
export interface Visibility {
  /** only this mentor's (a mentor's own account) */
  staffMemberId?: string;
  /** only this enterprise's mentors (an enterprise admin) */
  enterpriseId?: string;
}

const SELECT_ROW = `
  SELECT ms.id, ms.student_id AS "studentId", st.name AS "studentName", ms.side, ms.staff_member_id AS "staffMemberId",
         sm.name AS "mentorName", sm.enterprise_id AS "enterpriseId", e.name AS "enterpriseName",
         ms.started_on::text AS "startedOn", ms.ended_on::text AS "endedOn", ms.end_reason AS "endReason",
         ms.replaced_by AS "replacedBy", ms.version
  FROM mentorships ms
  JOIN students st ON st.tenant_id = ms.tenant_id AND st.id = ms.student_id
  JOIN staff_members sm ON sm.tenant_id = ms.tenant_id AND sm.id = ms.staff_member_id
  LEFT JOIN enterprises e ON e.id = sm.enterprise_id`;

const SELECT_GUIDANCE = `
  SELECT g.id, g.student_id AS "studentId", g.mentorship_id AS "mentorshipId", g.staff_member_id AS "staffMemberId",
         sm.name AS "mentorName", sm.side, g.occurred_on::text AS "occurredOn", g.kind, g.notes, g.created_at AS "createdAt"
  FROM guidance_records g JOIN staff_members sm ON sm.tenant_id = g.tenant_id AND sm.id = g.staff_member_id`;

/** All SQL on `mentorships` and `guidance_records` (tenant tables), and the student facts they need. */
@Injectable()
export class MentorshipsRepository extends TenantScopedRepository<Mentorship> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Mentorship);
  }

  private get guidance() {
    return this.manager.getRepository(GuidanceRecord);
  }

  /**
   * The students the mentorships need (issue 5 owns `students`; this reads only id, name
   * and programme_id). Missing ids are left out.
   */
  async students(ids: string[]): Promise<StudentFacts[]> {
    if (!ids.length) return [];
    return this.manager.query(
      `SELECT id, name, programme_id AS "programmeId" FROM students WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
      [this.tenant.requireTenantId(), ids],
    );
  }

  /** The college's mentor-load warning (tenants.settings.mentorLoadWarning, default 8). */
  async mentorLoadWarning(): Promise<number> {
    const rows = await this.manager.query(`SELECT settings -> 'mentorLoadWarning' AS value FROM tenants WHERE id = $1`, [this.tenant.requireTenantId()]);
    const value = rows[0]?.value;
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_MENTOR_LOAD_WARNING;
  }

  /** Active mentees per mentor. */
  async activeLoad(staffIds: string[]): Promise<Map<string, number>> {
    if (!staffIds.length) return new Map();
    const rows: { id: string; n: number }[] = await this.manager.query(
      `SELECT staff_member_id AS id, count(*)::int AS n FROM mentorships
       WHERE tenant_id = $1 AND staff_member_id = ANY($2::uuid[]) AND ended_on IS NULL GROUP BY staff_member_id`,
      [this.tenant.requireTenantId(), staffIds],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** Locks the active mentorships of these students (assignments of one student are serialised). */
  activeOfStudents(studentIds: string[]): Promise<Mentorship[]> {
    if (!studentIds.length) return Promise.resolve([]);
    return this.repo
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.tenantId = :tenantId AND m.studentId IN (:...ids) AND m.endedOn IS NULL', { tenantId: this.tenant.requireTenantId(), ids: studentIds })
      .getMany();
  }

  activeOfStaff(staffId: string): Promise<Mentorship[]> {
    return this.repo
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.tenantId = :tenantId AND m.staffMemberId = :staffId AND m.endedOn IS NULL', { tenantId: this.tenant.requireTenantId(), staffId })
      .orderBy('m.startedOn')
      .addOrderBy('m.id')
      .getMany();
  }

  findForUpdate(id: string): Promise<Mentorship | null> {
    return this.repo
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.tenantId = :tenantId AND m.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  insert(values: Pick<Mentorship, 'studentId' | 'side' | 'staffMemberId' | 'startedOn' | 'createdBy'>): Promise<Mentorship> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  save(m: Mentorship): Promise<Mentorship> {
    if (m.tenantId !== this.tenant.requireTenantId()) throw new Error('mentorship of another tenant');
    return this.repo.save(m);
  }

  async findRow(id: string, visibility: Visibility): Promise<MentorshipRow | undefined> {
    const params: unknown[] = [this.tenant.requireTenantId(), id];
    const extra = this.visibilitySql(visibility, params);
    return (await this.manager.query(`${SELECT_ROW} WHERE ms.tenant_id = $1 AND ms.id = $2${extra}`, params))[0];
  }

  /** Sorted by student name, side, start (keyset on student name, id of the mentorship). */
  list(filter: { studentId?: string; staffMemberId?: string; active?: boolean; limit: number; cursor?: string }, visibility: Visibility): Promise<MentorshipRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId()];
    let where = 'ms.tenant_id = $1';
    if (filter.studentId) {
      params.push(filter.studentId);
      where += ` AND ms.student_id = $${params.length}`;
    }
    if (filter.staffMemberId) {
      params.push(filter.staffMemberId);
      where += ` AND ms.staff_member_id = $${params.length}`;
    }
    if (filter.active !== undefined) where += filter.active ? ' AND ms.ended_on IS NULL' : ' AND ms.ended_on IS NOT NULL';
    where += this.visibilitySql(visibility, params);
    const after = decodeCursor(filter.cursor, 2);
    // A forged cursor must not reach the database as a cast error: it is a bad cursor.
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where += ` AND (st.name, ms.id) > ($${params.length - 1}, $${params.length}::uuid)`;
    }
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT_ROW} WHERE ${where} ORDER BY st.name, ms.id LIMIT $${params.length}`, params);
  }

  rowsByIds(ids: string[]): Promise<MentorshipRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.manager.query(`${SELECT_ROW} WHERE ms.tenant_id = $1 AND ms.id = ANY($2::uuid[]) ORDER BY st.name, ms.side`, [
      this.tenant.requireTenantId(),
      ids,
    ]);
  }

  /** The active mentorship of `staffId` for `studentId`, if any. */
  async activeMentorshipOf(studentId: string, staffId: string): Promise<Mentorship | null> {
    return this.repo.findOne({ where: this.where({ studentId, staffMemberId: staffId, endedOn: IsNull() }) });
  }

  insertGuidance(values: Pick<GuidanceRecord, 'mentorshipId' | 'studentId' | 'staffMemberId' | 'occurredOn' | 'kind' | 'notes' | 'recordedBy'>) {
    return this.guidance.save(this.guidance.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  /** One guidance entry of the current college, as read. */
  async guidanceRow(id: string): Promise<GuidanceRow | undefined> {
    return (await this.manager.query(`${SELECT_GUIDANCE} WHERE g.tenant_id = $1 AND g.id = $2`, [this.tenant.requireTenantId(), id]))[0];
  }

  /** Newest first (keyset on occurred_on desc, id desc). */
  guidanceOf(studentId: string, limit: number, cursor: string | undefined): Promise<GuidanceRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId(), studentId];
    let where = 'g.tenant_id = $1 AND g.student_id = $2';
    const after = decodeCursor(cursor, 2);
    if (after && (typeof after[0] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(after[0]) || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where += ` AND (g.occurred_on, g.id) < ($${params.length - 1}::date, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    return this.manager.query(`${SELECT_GUIDANCE} WHERE ${where} ORDER BY g.occurred_on DESC, g.id DESC LIMIT $${params.length}`, params);
  }

  private visibilitySql(v: Visibility, params: unknown[]): string {
    let sql = '';
    if (v.staffMemberId) {
      params.push(v.staffMemberId);
      sql += ` AND ms.staff_member_id = $${params.length}`;
    }
    if (v.enterpriseId) {
      params.push(v.enterpriseId);
      sql += ` AND sm.enterprise_id = $${params.length}`;
    }
    return sql;
  }
}
