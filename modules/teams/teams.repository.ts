import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { TeamCounts } from './domain/compliance';
import { Team, TeamMember, TeamRole } from './team.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * R-EVA-2 counts in SQL: members who count are active and, on the enterprise side,
 * confirmed; the expert flag comes from the view staff_members_v (never stored).
 */
const COUNTS = `
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE s.side = 'enterprise')::int AS enterprise,
         count(*) FILTER (WHERE s.expert)::int AS experts
  FROM team_members m
  JOIN staff_members_v s ON s.tenant_id = m.tenant_id AND s.id = m.staff_member_id
  WHERE m.tenant_id = t.tenant_id AND m.team_id = t.id AND s.status = 'active' AND s.confirmation = 'confirmed'`;

export interface TeamRow {
  id: string;
  tenantId: string;
  programmeId: string;
  programmeName: string;
  cohortId: string | null;
  name: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  total: number;
  enterprise: number;
  experts: number;
}

const SELECT_TEAM = `
  SELECT t.id, t.tenant_id AS "tenantId", t.programme_id AS "programmeId", p.name AS "programmeName", t.cohort_id AS "cohortId",
         t.name, t.version, t.created_at AS "createdAt", t.updated_at AS "updatedAt", c.total, c.enterprise, c.experts
  FROM teams t
  JOIN programmes p ON p.tenant_id = t.tenant_id AND p.id = t.programme_id
  CROSS JOIN LATERAL (${COUNTS}) c`;

export interface TeamMemberRow {
  id: string;
  role: TeamRole;
  staffMemberId: string;
  name: string;
  side: 'college' | 'enterprise';
  enterpriseName: string | null;
  titleName: string | null;
  skillLevelNameZh: string | null;
  expert: boolean;
  status: 'active' | 'left';
  confirmation: string;
  createdAt: Date;
}

export interface TeamFilter {
  tenantId?: string;
  programmeId?: string;
  limit: number;
  cursor?: string;
}

/** All SQL on `teams` and `team_members` (tenant tables). */
@Injectable()
export class TeamsRepository extends TenantScopedRepository<Team> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Team);
  }

  private get members() {
    return this.manager.getRepository(TeamMember);
  }

  /** Issue 9: an enterprise user sees the teams of programmes its enterprise partners with (not ended), nothing else. */
  private partnerSql(params: unknown[]): string {
    const actor = this.tenant.actor;
    if (actor?.scope !== 'enterprise') return '';
    params.push(actor.enterpriseId ?? '00000000-0000-0000-0000-000000000000');
    return ` AND EXISTS (SELECT 1 FROM partnerships tp WHERE tp.tenant_id = t.tenant_id AND tp.programme_id = t.programme_id
                         AND tp.enterprise_id = $${params.length}::uuid AND tp.status <> 'ended')`;
  }

  async findRow(id: string): Promise<TeamRow | undefined> {
    if (this.tenant.scope === 'province') return (await this.manager.query(`${SELECT_TEAM} WHERE t.id = $1`, [id]))[0];
    const params: unknown[] = [this.tenant.requireTenantId(), id];
    const scoped = this.partnerSql(params);
    return (await this.manager.query(`${SELECT_TEAM} WHERE t.tenant_id = $1 AND t.id = $2${scoped}`, params))[0];
  }

  /** Locks the team: member changes of one team are decided one after the other. */
  findForUpdate(id: string): Promise<Team | null> {
    return this.repo
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.tenantId = :tenantId AND t.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  /** The programme in the current college (province scope: in any college). */
  /** The programme exists and is visible: for an enterprise user, only a programme it partners with (issue 9 item 4). */
  async programmeExists(programmeId: string): Promise<boolean> {
    const tenantId = this.tenant.scope === 'province' ? null : this.tenant.requireTenantId();
    const actor = this.tenant.actor;
    const enterpriseId = actor?.scope === 'enterprise' ? (actor.enterpriseId ?? '00000000-0000-0000-0000-000000000000') : null;
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM programmes p WHERE ($1::uuid IS NULL OR p.tenant_id = $1::uuid) AND p.id = $2
         AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM partnerships pa WHERE pa.tenant_id = p.tenant_id AND pa.programme_id = p.id
                                          AND pa.enterprise_id = $3::uuid AND pa.status <> 'ended'))) AS ok`,
      [tenantId, programmeId, enterpriseId],
    );
    return rows[0].ok === true;
  }

  /** The cohort is one of this programme's in the current college (cohorts are issue 5's table; read only). */
  async cohortOfProgramme(programmeId: string, cohortId: string): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM cohorts WHERE tenant_id = $1 AND programme_id = $2 AND id = $3) AS ok`,
      [this.tenant.requireTenantId(), programmeId, cohortId],
    );
    return rows[0].ok === true;
  }

  async teamExists(programmeId: string, cohortId: string | null): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM teams WHERE tenant_id = $1 AND programme_id = $2 AND cohort_id IS NOT DISTINCT FROM $3::uuid) AS ok`,
      [this.tenant.requireTenantId(), programmeId, cohortId],
    );
    return rows[0].ok === true;
  }

  insert(values: Pick<Team, 'programmeId' | 'cohortId' | 'name'>): Promise<Team> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  /** Bumps the team's version (its membership changed). */
  async touch(team: Team): Promise<Team> {
    team.updatedAt = new Date();
    return this.repo.save(team);
  }

  /**
   * The team that governs a programme (R-EVA-2) in the current college: the cohort's own
   * team when `cohortId` is given and it has one, else the programme's team.
   */
  async governingRow(programmeId: string, cohortId?: string): Promise<TeamRow | undefined> {
    // province scope reads any college's team through the RLS province read policy
    const tenantId = this.tenant.scope === 'province' ? null : this.tenant.requireTenantId();
    const rows: TeamRow[] = await this.manager.query(
      `${SELECT_TEAM} WHERE ($1::uuid IS NULL OR t.tenant_id = $1::uuid) AND t.programme_id = $2 AND (t.cohort_id IS NULL OR t.cohort_id = $3::uuid)
       ORDER BY t.cohort_id NULLS LAST LIMIT 1`,
      [tenantId, programmeId, cohortId ?? null],
    );
    return rows[0];
  }

  memberRows(teamId: string, tenantId: string): Promise<TeamMemberRow[]> {
    return this.manager.query(
      `SELECT m.id, m.role, m.staff_member_id AS "staffMemberId", s.name, s.side, e.name AS "enterpriseName",
              COALESCE(s.title_name, CASE s.title_series WHEN 'theory' THEN tl.college_theory_title WHEN 'practice' THEN tl.college_practice_title END, tl.name_zh) AS "titleName",
              sl.name_zh AS "skillLevelNameZh", s.expert, s.status, s.confirmation, m.created_at AS "createdAt"
       FROM team_members m
       JOIN staff_members_v s ON s.tenant_id = m.tenant_id AND s.id = m.staff_member_id
       LEFT JOIN enterprises e ON e.id = s.enterprise_id
       LEFT JOIN professional_title_levels tl ON tl.code = s.title_level_code
       LEFT JOIN skill_levels sl ON sl.code = s.skill_level_code
       WHERE m.tenant_id = $1 AND m.team_id = $2
       ORDER BY s.side, s.name, m.id`,
      [tenantId, teamId],
    );
  }

  findMember(teamId: string, memberId: string): Promise<TeamMember | null> {
    return this.members.findOne({ where: { tenantId: this.tenant.requireTenantId(), teamId, id: memberId } });
  }

  async isMember(teamId: string, staffMemberId: string): Promise<boolean> {
    return (await this.members.count({ where: { tenantId: this.tenant.requireTenantId(), teamId, staffMemberId } })) > 0;
  }

  addMember(values: Pick<TeamMember, 'teamId' | 'staffMemberId' | 'role' | 'addedBy'>): Promise<TeamMember> {
    return this.members.save(this.members.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  async removeMember(member: TeamMember): Promise<void> {
    await this.members.delete({ tenantId: this.tenant.requireTenantId(), id: member.id });
  }

  /** Sorted by name (keyset on name, id). */
  list(filter: TeamFilter): Promise<TeamRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.tenantId) {
      params.push(filter.tenantId);
      where.push(`t.tenant_id = $${params.length}`);
    }
    if (filter.programmeId) {
      params.push(filter.programmeId);
      where.push(`t.programme_id = $${params.length}`);
    }
    const after = decodeCursor(filter.cursor, 2);
    // A forged cursor must not reach the database as a cast error: it is a bad cursor.
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(t.name, t.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    const partner = this.partnerSql(params);
    if (partner) where.push(partner.replace(/^ AND /, ''));
    params.push(filter.limit + 1);
    return this.manager.query(
      `${SELECT_TEAM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.name, t.id LIMIT $${params.length}`,
      params,
    );
  }
}

export function countsOf(row: Pick<TeamRow, 'total' | 'enterprise' | 'experts'> | undefined): TeamCounts {
  return { total: row?.total ?? 0, enterprise: row?.enterprise ?? 0, experts: row?.experts ?? 0 };
}
