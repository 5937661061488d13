import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Certificate, Confirmation, StaffMember, StaffSide, StaffStatus, TitleSeries } from './staff-member.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A staff member as read: the row, its reference names and the derived expert flag (R-EVA-2). */
export interface StaffRow {
  id: string;
  tenantId: string;
  side: StaffSide;
  enterpriseId: string | null;
  enterpriseName: string | null;
  name: string;
  gender: 'male' | 'female';
  titleSeries: TitleSeries | null;
  titleName: string | null;
  titleLevelCode: string | null;
  titleLevelNameZh: string | null;
  titleBandZh: string | null;
  titleSenior: boolean | null;
  theoryTitle: string | null;
  practiceTitle: string | null;
  skillLevelCode: string | null;
  skillLevelNameZh: string | null;
  skillTechnicianOrAbove: boolean | null;
  field: string;
  certificates: Certificate[];
  userId: string | null;
  status: StaffStatus;
  leftOn: string | null;
  leftReason: string | null;
  confirmation: Confirmation;
  rejectionReason: string | null;
  expertByTitle: boolean;
  expertBySkillLevel: boolean;
  expert: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_ROW = `
  SELECT v.id, v.tenant_id AS "tenantId", v.side, v.enterprise_id AS "enterpriseId", e.name AS "enterpriseName",
         v.name, v.gender, v.title_series AS "titleSeries", v.title_name AS "titleName", v.title_level_code AS "titleLevelCode",
         t.name_zh AS "titleLevelNameZh", t.band_zh AS "titleBandZh", t.senior AS "titleSenior",
         t.college_theory_title AS "theoryTitle", t.college_practice_title AS "practiceTitle",
         v.skill_level_code AS "skillLevelCode", l.name_zh AS "skillLevelNameZh", l.technician_or_above AS "skillTechnicianOrAbove",
         v.field, v.certificates, v.user_id AS "userId", v.status, v.left_on::text AS "leftOn", v.left_reason AS "leftReason",
         v.confirmation, v.rejection_reason AS "rejectionReason",
         v.expert_by_title AS "expertByTitle", v.expert_by_skill_level AS "expertBySkillLevel", v.expert,
         v.version, v.created_at AS "createdAt", v.updated_at AS "updatedAt"
  FROM staff_members_v v
  LEFT JOIN enterprises e ON e.id = v.enterprise_id
  LEFT JOIN professional_title_levels t ON t.code = v.title_level_code
  LEFT JOIN skill_levels l ON l.code = v.skill_level_code`;

export interface StaffFilter {
  /** the college to read; undefined = every college (province scope only: RLS decides) */
  tenantId?: string;
  side?: StaffSide;
  enterpriseId?: string;
  status?: StaffStatus;
  confirmation?: Confirmation;
  expert?: boolean;
  q?: string;
  limit: number;
  cursor?: string;
}

export type NewStaffMember = Pick<
  StaffMember,
  | 'side'
  | 'enterpriseId'
  | 'name'
  | 'gender'
  | 'titleSeries'
  | 'titleName'
  | 'titleLevelCode'
  | 'skillLevelCode'
  | 'field'
  | 'certificates'
  | 'userId'
  | 'confirmation'
  | 'createdBy'
>;

/** All SQL on `staff_members` and its view `staff_members_v` (tenant tables). */
@Injectable()
export class StaffRepository extends TenantScopedRepository<StaffMember> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, StaffMember);
  }

  /** The row with names and the expert flag: own college, or any college for province scope (RLS). */
  async findRow(id: string): Promise<StaffRow | undefined> {
    if (this.tenant.scope === 'province') {
      return (await this.manager.query(`${SELECT_ROW} WHERE v.id = $1`, [id]))[0];
    }
    return (await this.manager.query(`${SELECT_ROW} WHERE v.tenant_id = $1 AND v.id = $2`, [this.tenant.requireTenantId(), id]))[0];
  }

  /** Rows of the current college by id (missing ids are left out). */
  async findRows(ids: string[]): Promise<StaffRow[]> {
    if (!ids.length) return [];
    return this.manager.query(`${SELECT_ROW} WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])`, [this.tenant.requireTenantId(), ids]);
  }

  /** Locks the row: confirmations, departures and edits of one person are decided one after the other. */
  findForUpdate(id: string): Promise<StaffMember | null> {
    return this.repo
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.tenantId = :tenantId AND s.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  insert(values: NewStaffMember): Promise<StaffMember> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId(), status: 'active' }));
  }

  save(member: StaffMember): Promise<StaffMember> {
    if (member.tenantId !== this.tenant.requireTenantId()) throw new Error('staff member of another tenant');
    return this.repo.save(member);
  }

  /**
   * The one place that decides whether an enterprise is a partner of the current college:
   * it holds an active partnership (R-PRG-3) for any of the college's programmes.
   */
  async isPartnerEnterprise(enterpriseId: string): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM partnerships WHERE tenant_id = $1 AND enterprise_id = $2 AND status = 'active') AS ok`,
      [this.tenant.requireTenantId(), enterpriseId],
    );
    return rows[0].ok === true;
  }

  /** Is `userId` an active member of this college (or of this enterprise inside it)? */
  async userBelongs(userId: string, enterpriseId: string | null): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.user_id = $1 AND m.tenant_id = $2 AND m.status = 'active' AND u.status = 'active'
           AND (($3::uuid IS NULL AND m.scope = 'college') OR (m.scope = 'enterprise' AND m.enterprise_id = $3::uuid))
       ) AS ok`,
      [userId, this.tenant.requireTenantId(), enterpriseId],
    );
    return rows[0].ok === true;
  }

  async userLinkedElsewhere(userId: string, exceptId?: string): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM staff_members WHERE tenant_id = $1 AND user_id = $2 AND ($3::uuid IS NULL OR id <> $3::uuid)) AS ok`,
      [this.tenant.requireTenantId(), userId, exceptId ?? null],
    );
    return rows[0].ok === true;
  }

  /** The college's attachments among `ids`. */
  async existingAttachments(ids: string[], enterpriseId: string | null): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.manager.query(
      `SELECT id FROM attachments WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND ($3::uuid IS NULL OR enterprise_id = $3)`,
      [this.tenant.requireTenantId(), ids, enterpriseId],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The staff record the signed-in user is linked to in the current college. */
  async findByUser(userId: string): Promise<StaffRow | undefined> {
    return (await this.manager.query(`${SELECT_ROW} WHERE v.tenant_id = $1 AND v.user_id = $2`, [this.tenant.requireTenantId(), userId]))[0];
  }

  /** Sorted by name (keyset on name, id). */
  list(filter: StaffFilter): Promise<StaffRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.tenantId) add('v.tenant_id = ?', filter.tenantId);
    if (filter.side) add('v.side = ?', filter.side);
    if (filter.enterpriseId) add('v.enterprise_id = ?', filter.enterpriseId);
    if (filter.status) add('v.status = ?', filter.status);
    if (filter.confirmation) add('v.confirmation = ?', filter.confirmation);
    if (filter.expert !== undefined) add('v.expert = ?', filter.expert);
    if (filter.q) {
      params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const n = `$${params.length}`;
      where.push(`(v.name ILIKE ${n} ESCAPE '\\' OR v.field ILIKE ${n} ESCAPE '\\')`);
    }
    const after = decodeCursor(filter.cursor, 2);
    // A forged cursor must not reach the database as a cast error: it is a bad cursor.
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(v.name, v.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    const sql = `${SELECT_ROW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY v.name, v.id LIMIT $${params.length}`;
    return this.manager.query(sql, params);
  }
}
