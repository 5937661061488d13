import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { StaffService } from '../staff';
import { assessTeam, TeamCompliance } from './domain/compliance';
import { AddTeamMemberDto, CreateTeamDto, ProgrammeComplianceView, TeamListQuery, TeamMemberView, TeamView } from './dto/team.dto';
import { TeamErrors } from './teams.errors';
import { countsOf, TeamMemberRow, TeamRow, TeamsRepository } from './teams.repository';

function toMemberView(m: TeamMemberRow): TeamMemberView {
  return {
    id: m.id,
    role: m.role,
    staffMemberId: m.staffMemberId,
    name: m.name,
    side: m.side,
    enterpriseName: m.enterpriseName,
    titleName: m.titleName,
    skillLevelNameZh: m.skillLevelNameZh,
    expert: m.expert,
    counted: m.status === 'active' && m.confirmation === 'confirmed',
  };
}

export function toTeamView(t: TeamRow, members?: TeamMemberRow[]): TeamView {
  return {
    id: t.id,
    tenantId: t.tenantId,
    programme: { id: t.programmeId, name: t.programmeName },
    cohortId: t.cohortId,
    name: t.name,
    compliance: assessTeam(countsOf(t)),
    ...(members ? { members: members.map(toMemberView) } : {}),
    version: t.version,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}

/**
 * R-EVA-2 as a gate: the application (a later issue) and cohort start (issue 5) call
 * `assertCompliant`. Computed live in SQL on every call; never stored.
 */
@Injectable()
export class TeamComplianceService {
  constructor(private readonly teams: TeamsRepository) {}

  /** The programme's team (the cohort's own, when it has one) against R-EVA-2. No team: not compliant, share null. */
  @Transactional()
  async check(programmeId: string, cohortId?: string): Promise<TeamCompliance> {
    return assessTeam(countsOf(await this.teams.governingRow(programmeId, cohortId)));
  }

  /** 422 TEAMS.NOT_COMPLIANT with every missing item, in Chinese and English. */
  @Transactional()
  async assertCompliant(programmeId: string, cohortId?: string): Promise<void> {
    const result = await this.check(programmeId, cohortId);
    if (result.compliant) return;
    throw new AppException(
      TeamErrors.NOT_COMPLIANT,
      { reasons: result.missing.map((m) => m.zh).join('；'), reasonsEn: result.missing.map((m) => m.en).join('; ') },
      result.missing.map((m, i) => ({ field: `team.missing.${i}`, constraint: 'R-EVA-2', zh: m.zh, en: m.en })),
    );
  }

  /** For the HTTP read: the result and the team it was judged on. */
  @Transactional()
  async report(programmeId: string, cohortId?: string): Promise<ProgrammeComplianceView> {
    if (!(await this.teams.programmeExists(programmeId))) throw new AppException(TeamErrors.NOT_FOUND);
    const row = await this.teams.governingRow(programmeId, cohortId);
    return { teamId: row?.id ?? null, ...assessTeam(countsOf(row)) };
  }
}

/** Teaching and assessment teams formed by college and enterprise together (R-EVA-2, issue 4). */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(dto: CreateTeamDto): Promise<TeamView> {
    if (!(await this.teams.programmeExists(dto.programmeId))) throw new AppException(TeamErrors.PROGRAMME_NOT_FOUND);
    const cohortId = dto.cohortId ?? null;
    // A cohort's own team governs that cohort only if the cohort is the programme's (R-EVA-2 gate at cohort start).
    if (cohortId && !(await this.teams.cohortOfProgramme(dto.programmeId, cohortId))) throw new AppException(TeamErrors.COHORT_NOT_FOUND);
    if (await this.teams.teamExists(dto.programmeId, cohortId)) throw new AppException(TeamErrors.DUPLICATE);
    const team = await this.teams.insert({ programmeId: dto.programmeId, cohortId, name: dto.name });
    await this.audit.record({ entity: 'team', entityId: team.id, action: 'create', after: { programmeId: team.programmeId, cohortId, name: team.name } });
    return this.view(team.id, true);
  }

  /** College and enterprise users: their college; province: every college (optionally one). */
  @Transactional()
  async list(query: TeamListQuery): Promise<Page<TeamView>> {
    const actor = this.context.requireActor();
    const rows = await this.teams.list({ ...query, tenantId: actor.scope === 'province' ? query.tenantId : this.context.requireTenantId() });
    return toPage(rows, query.limit, (t) => [t.name, t.id], (t) => toTeamView(t));
  }

  @Transactional()
  async get(id: string): Promise<TeamView> {
    return this.view(id, true);
  }

  @Transactional()
  async addMember(teamId: string, dto: AddTeamMemberDto): Promise<TeamView> {
    const team = await this.teams.findForUpdate(teamId);
    if (!team) throw new AppException(TeamErrors.NOT_FOUND);
    const [person] = await this.staff.rowsOf([dto.staffMemberId]);
    if (!person) throw new AppException(TeamErrors.STAFF_NOT_FOUND);
    if (person.status !== 'active') throw new AppException(TeamErrors.STAFF_NOT_ACTIVE, { name: person.name });
    if (person.confirmation === 'rejected') throw new AppException(TeamErrors.STAFF_REJECTED, { name: person.name });
    if (await this.teams.isMember(teamId, person.id)) throw new AppException(TeamErrors.ALREADY_MEMBER, { name: person.name });
    const member = await this.teams.addMember({ teamId, staffMemberId: person.id, role: dto.role, addedBy: this.context.requireActor().userId });
    await this.teams.touch(team);
    await this.audit.record({ entity: 'team', entityId: teamId, action: 'add-member', after: { memberId: member.id, staffMemberId: person.id, role: dto.role } });
    return this.view(teamId, true);
  }

  @Transactional()
  async removeMember(teamId: string, memberId: string): Promise<TeamView> {
    const team = await this.teams.findForUpdate(teamId);
    if (!team) throw new AppException(TeamErrors.NOT_FOUND);
    const member = await this.teams.findMember(teamId, memberId);
    if (!member) throw new AppException(TeamErrors.MEMBER_NOT_FOUND);
    await this.teams.removeMember(member);
    await this.teams.touch(team);
    await this.audit.record({
      entity: 'team',
      entityId: teamId,
      action: 'remove-member',
      before: { memberId, staffMemberId: member.staffMemberId, role: member.role },
    });
    return this.view(teamId, true);
  }

  private async view(id: string, withMembers: boolean): Promise<TeamView> {
    const row = await this.teams.findRow(id);
    if (!row) throw new AppException(TeamErrors.NOT_FOUND);
    return toTeamView(row, withMembers ? await this.teams.memberRows(row.id, row.tenantId) : undefined);
  }
}
