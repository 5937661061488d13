import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AuditService } from '../audit';
import { ProgrammesService } from '../programmes';
import { ConsultationListQuery, ConsultationView, CreateConsultationDto, CreateFundingDecisionDto, FundingDecisionView, OverviewQuery, OverviewView } from './dto/governance.dto';
import { GovernanceErrors } from './governance.errors';
import { GovernanceRepository } from './governance.repository';

const PILOT_STATES = ['active', 'midterm-passed', 'completed'];

const consultationView = (r: any): ConsultationView => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });

/** Consultations (R-GOV-1), funding decisions (R-GOV-5) and the province overview (R-COL-3). Province-owned rows. */
@Injectable()
export class GovernanceService {
  constructor(
    private readonly repo: GovernanceRepository,
    private readonly programmes: ProgrammesService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async createConsultation(dto: CreateConsultationDto): Promise<ConsultationView> {
    const row = await this.repo.insertConsultation({ ...dto, createdBy: this.context.requireActor().userId });
    await this.audit.record({ entity: 'pilot-consultation', entityId: row.id, action: 'create', after: { heldOn: dto.heldOn, title: dto.title } });
    return consultationView(row);
  }

  @Transactional()
  async consultations(query: ConsultationListQuery): Promise<Page<ConsultationView>> {
    const rows = await this.repo.consultations({ limit: query.limit, cursor: query.cursor });
    return toPage(rows, query.limit, (r) => [r.heldOn, r.id], consultationView);
  }

  /** R-GOV-5: funding support and a per-student coefficient, recorded against a pilot programme. */
  @Transactional()
  async createFunding(dto: CreateFundingDecisionDto): Promise<FundingDecisionView> {
    if (dto.amountYuan === undefined && dto.perStudentCoefficient === undefined) throw new AppException(GovernanceErrors.AMOUNT_OR_COEFFICIENT);
    let programme;
    try {
      programme = await this.programmes.requireVisible(dto.programmeId);
    } catch {
      throw new AppException(GovernanceErrors.PROGRAMME_NOT_FOUND, { programmeId: dto.programmeId });
    }
    if (!PILOT_STATES.includes(programme.pilotStatus)) throw new AppException(GovernanceErrors.NOT_A_PILOT, { status: programme.pilotStatus });
    const row = await this.repo.insertFunding({
      collegeId: programme.tenantId,
      programmeId: programme.id,
      decidedOn: dto.decidedOn,
      amountYuan: dto.amountYuan ?? null,
      coefficient: dto.perStudentCoefficient ?? null,
      basis: dto.basis,
      createdBy: this.context.requireActor().userId,
    });
    await this.audit.record({ entity: 'pilot-funding-decision', entityId: row.id, action: 'create', after: { ...dto, collegeId: programme.tenantId } });
    return {
      ...row,
      amountYuan: row.amountYuan === null ? null : Number(row.amountYuan),
      perStudentCoefficient: row.perStudentCoefficient === null ? null : Number(row.perStudentCoefficient),
    };
  }

  /** The whole process at a glance: counts by status, per year, tier and city (aggregates in SQL). */
  @Transactional()
  async overview(query: OverviewQuery): Promise<OverviewView> {
    return {
      asOf: chinaToday(),
      applicationProgrammes: await this.repo.applicationStages(query.year),
      programmes: await this.repo.pilotStatuses(),
      evaluations: await this.repo.evaluations(),
    };
  }
}
