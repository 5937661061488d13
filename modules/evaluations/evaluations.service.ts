import { Inject, Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { OutboxService } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AuditService } from '../audit';
import { PartnershipsService } from '../partnerships';
import { ProgrammesService } from '../programmes';
import { TeamComplianceService } from '../teams';
import { COMPLETION_KPI_READER, CompletionKpiReader } from './domain/completion-kpi.port';
import { ConcludeEvaluationDto, EvaluationListQuery, EvaluationView, RevocationView, RevokeDto, ScheduleEvaluationDto } from './dto/evaluation.dto';
import { EvaluationErrors } from './evaluations.errors';
import { EvaluationRow, EvaluationsRepository } from './evaluations.repository';

const KIND_ZH = { 'mid-term': '中期评估', completion: '结业质量评估' } as const;

function view(e: EvaluationRow): EvaluationView {
  return {
    id: e.id,
    tenantId: e.tenantId,
    programmeId: e.programmeId,
    programmeName: e.programmeName,
    kind: e.kind,
    scheduledOn: e.scheduledOn,
    expertUserIds: e.expertUserIds,
    status: e.status,
    kpiSnapshot: e.kpiSnapshot,
    checklistScores: e.checklistScores,
    conclusion: e.conclusion,
    rectifyBy: e.rectifyBy,
    reason: e.reason,
    concludedOn: e.concludedOn,
    version: e.version,
  };
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * Mid-term and completion evaluations of pilot programmes and revocation (R-GOV-3). Rows
 * belong to the programme's college; the province writes them pinned to that college.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    private readonly repo: EvaluationsRepository,
    private readonly programmes: ProgrammesService,
    private readonly teams: TeamComplianceService,
    private readonly partnerships: PartnershipsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly outbox: OutboxService,
    @Inject(COMPLETION_KPI_READER) private readonly completionKpis: CompletionKpiReader,
  ) {}

  async schedule(dto: ScheduleEvaluationDto): Promise<EvaluationView> {
    const tenantId = await this.tenantOfProgramme(dto.programmeId);
    return this.context.runAsTenant(tenantId, () => this.scheduleTx(dto));
  }

  @Transactional()
  private async scheduleTx(dto: ScheduleEvaluationDto): Promise<EvaluationView> {
    const programme = await this.programmes.requireVisible(dto.programmeId);
    const allowed = dto.kind === 'mid-term' ? ['active'] : ['midterm-passed'];
    if (!allowed.includes(programme.pilotStatus)) {
      throw new AppException(EvaluationErrors.NOT_A_PILOT, { status: programme.pilotStatus, kind: KIND_ZH[dto.kind], kindEn: dto.kind });
    }
    for (const userId of dto.expertUserIds) {
      const memberships = await this.repo.membershipsOf(userId);
      if (!memberships.some((m) => m.role === 'province-expert' && m.status === 'active')) throw new AppException(EvaluationErrors.EXPERT_NOT_FOUND, { userId });
      // the same rule as in the application review: no membership in the evaluated college
      if (memberships.some((m) => m.tenantId === programme.tenantId)) throw new AppException(EvaluationErrors.EXPERT_CONFLICT, { name: memberships[0].name });
    }
    const id = await this.repo.insert({ ...dto, createdBy: this.context.requireActor().userId });
    await this.audit.record({ entity: 'pilot-evaluation', entityId: id, action: 'schedule', after: { ...dto } });
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: programme.tenantId, event: 'evaluation-scheduled', subjectId: id });
    return view((await this.repo.find(id))!);
  }

  @Transactional()
  async list(query: EvaluationListQuery): Promise<Page<EvaluationView>> {
    const actor = this.context.requireActor();
    const rows = await this.repo.list({
      tenantId: actor.scope === 'province' ? undefined : this.context.requireTenantId(),
      programmeId: query.programmeId,
      expertUserId: actor.role === 'province-expert' ? actor.userId : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return toPage(rows, query.limit, (e) => [e.scheduledOn, e.id], view);
  }

  @Transactional()
  async get(id: string): Promise<EvaluationView> {
    return view(await this.requireVisible(id));
  }

  /**
   * The conclusion with a KPI snapshot frozen at the evaluation date. Mid-term: plan
   * execution, collaboration, staffing compliance (R-EVA-2), streaming. Completion:
   * attainment and matched employment (KPI port) and the partner-enterprise satisfaction
   * score. pass → midterm-passed / completed; rectify → a deadline; fail → revoked.
   */
  async conclude(id: string, dto: ConcludeEvaluationDto): Promise<EvaluationView> {
    const e = await this.requireVisibleTx(id);
    return this.context.runAsTenant(e.tenantId, () => this.concludeTx(id, dto));
  }

  @Transactional()
  private async concludeTx(id: string, dto: ConcludeEvaluationDto): Promise<EvaluationView> {
    const e = (await this.repo.find(id, { lock: true }))!;
    if (e.status === 'concluded') throw new AppException(EvaluationErrors.ALREADY_CONCLUDED);
    const today = chinaToday();
    if (dto.conclusion === 'rectify' && !(dto.rectifyBy && dto.rectifyBy > today)) throw new AppException(EvaluationErrors.RECTIFY_NEEDS_DEADLINE);
    if (e.kind === 'completion' && dto.enterpriseSatisfaction === undefined) throw new AppException(EvaluationErrors.SATISFACTION_REQUIRED);
    const scores = Object.entries(dto.checklistScores ?? {});
    if (!scores.length || scores.some(([k, v]) => !k.trim() || k.length > 100 || !Number.isInteger(v) || v < 0 || v > 100) || scores.length > 50) {
      throw new AppException(EvaluationErrors.BAD_SCORES);
    }
    const kpiSnapshot = e.kind === 'mid-term' ? await this.midTermSnapshot(e) : await this.completionSnapshot(e, dto.enterpriseSatisfaction!);
    await this.repo.conclude(id, { kpiSnapshot, checklistScores: dto.checklistScores, conclusion: dto.conclusion, rectifyBy: dto.conclusion === 'rectify' ? dto.rectifyBy! : null, reason: dto.reason, concludedOn: today });
    if (dto.conclusion === 'pass') {
      await this.programmes.moveByProcess(e.programmeId, e.kind === 'mid-term' ? 'midterm-passed' : 'completed', { cause: `${e.kind}-evaluation-passed`, evaluationId: id });
    } else if (dto.conclusion === 'fail') {
      await this.revokeIn(e.programmeId, 'evaluation', dto.reason, id);
    }
    await this.audit.record({ entity: 'pilot-evaluation', entityId: id, action: 'conclude', before: { status: e.status }, after: { conclusion: dto.conclusion, rectifyBy: dto.rectifyBy ?? null, reason: dto.reason } });
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: e.tenantId, event: `evaluation-${dto.conclusion}`, subjectId: id });
    return view((await this.repo.find(id))!);
  }

  /** A recorded violation revokes the pilot (no new admissions; current students continue), with the reason, notified to the college. */
  async revoke(dto: RevokeDto): Promise<RevocationView> {
    const tenantId = await this.tenantOfProgramme(dto.programmeId);
    return this.context.runAsTenant(tenantId, () => this.revokeTx(dto));
  }

  @Transactional()
  private async revokeTx(dto: RevokeDto): Promise<RevocationView> {
    const revocationId = await this.revokeIn(dto.programmeId, 'violation', dto.reason, null);
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: this.context.requireTenantId(), event: 'pilot-revoked', subjectId: revocationId });
    return { id: revocationId, programmeId: dto.programmeId, cause: 'violation', reason: dto.reason, revokedOn: chinaToday(), pilotStatus: 'revoked' };
  }

  private async revokeIn(programmeId: string, cause: 'evaluation' | 'violation', reason: string, evaluationId: string | null): Promise<string> {
    const programme = await this.programmes.requireVisible(programmeId);
    if (!['active', 'midterm-passed', 'suspended'].includes(programme.pilotStatus)) throw new AppException(EvaluationErrors.ALREADY_REVOKED, { status: programme.pilotStatus });
    const id = await this.repo.insertRevocation({ programmeId, evaluationId, cause, reason, revokedOn: chinaToday(), createdBy: this.context.requireActor().userId });
    await this.programmes.moveByProcess(programmeId, 'revoked', { cause: `revoked-${cause}`, revocationId: id, reason });
    await this.audit.record({ entity: 'pilot-revocation', entityId: id, action: 'create', after: { programmeId, cause, reason, evaluationId } });
    return id;
  }

  private async midTermSnapshot(e: EvaluationRow): Promise<Record<string, unknown>> {
    const f = await this.repo.midTermFigures(e.programmeId, e.scheduledOn);
    const partners = await this.partnerships.activePartnersOf(e.programmeId, e.scheduledOn);
    const team = await this.teams.check(e.programmeId);
    return {
      asOf: e.scheduledOn,
      planExecution: { plannedHours: f.plannedHours, confirmedHours: f.confirmedHours, ratio: ratio(f.confirmedHours, f.plannedHours) },
      collaboration: { activePartners: partners.length, agreementsInForce: partners.filter((p) => p.agreementInForce).length, partners },
      staffing: team,
      streaming: { cohorts: f.cohorts, enrolled: f.enrolled, streamedOut: f.streamedOut, ratio: ratio(f.streamedOut, f.enrolled) },
    };
  }

  private async completionSnapshot(e: EvaluationRow, satisfaction: number): Promise<Record<string, unknown>> {
    const k = await this.completionKpis.completionKpis(e.programmeId, e.scheduledOn);
    return { asOf: e.scheduledOn, attainment: k.attainment, matchedEmployment: k.matchedEmployment, kpiSource: k.source, enterpriseSatisfaction: { score: satisfaction, source: 'partner-enterprise-survey' } };
  }

  @Transactional()
  private async tenantOfProgramme(programmeId: string): Promise<string> {
    try {
      return (await this.programmes.requireVisible(programmeId)).tenantId;
    } catch {
      throw new AppException(EvaluationErrors.PROGRAMME_NOT_FOUND, { programmeId });
    }
  }

  @Transactional()
  private async requireVisibleTx(id: string): Promise<EvaluationRow> {
    return this.requireVisible(id);
  }

  private async requireVisible(id: string): Promise<EvaluationRow> {
    const actor = this.context.requireActor();
    const e = await this.repo.find(id, { expertUserId: actor.role === 'province-expert' ? actor.userId : undefined });
    if (!e) throw new AppException(EvaluationErrors.NOT_FOUND);
    return e;
  }
}
