import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AuditService } from '../audit';
import { ProgrammesService } from '../programmes';
import {
  ConsultationListQuery,
  ConsultationView,
  CreateConsultationDto,
  CreateExperienceReportDto,
  CreateFundingDecisionDto,
  ExperienceReportQuery,
  ExperienceReportView,
  FundingDecisionView,
  OverviewQuery,
  OverviewView,
  SelectCaseDto,
} from './dto/governance.dto';
import { GovernanceErrors } from './governance.errors';
import { GovernanceRepository } from './governance.repository';

const PILOT_STATES = ['active', 'midterm-passed', 'completed'];

const consultationView = (r: any): ConsultationView => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });
const reportView = (r: any): ExperienceReportView => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });

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

  // ---- R-GOV-4: annual experience reports and the outstanding-case library

  /** A college admin submits the college's report (a college row). */
  @Transactional()
  async submitReport(dto: CreateExperienceReportDto): Promise<ExperienceReportView> {
    const tenantId = this.context.requireTenantId();
    if (dto.programmeId && !(await this.repo.programmeOf(tenantId, dto.programmeId))) {
      throw new AppException(GovernanceErrors.REPORT_REFERENCE, { what: '专业', whatEn: 'Programme', id: dto.programmeId });
    }
    if (dto.attachmentId && !(await this.repo.attachmentOf(tenantId, dto.attachmentId))) {
      throw new AppException(GovernanceErrors.REPORT_REFERENCE, { what: '附件', whatEn: 'Attachment', id: dto.attachmentId });
    }
    const id = await this.repo.insertReport(tenantId, {
      year: dto.year,
      title: dto.title,
      summary: dto.summary,
      programmeId: dto.programmeId ?? null,
      attachmentId: dto.attachmentId ?? null,
      submittedBy: this.context.requireActor().userId,
    });
    await this.audit.record({ entity: 'pilot-experience-report', entityId: id, action: 'create', after: { year: dto.year, title: dto.title } });
    return reportView(await this.repo.report(id, tenantId));
  }

  /** Colleges read their own reports; the province every college's; `selected=true` is the case library. */
  @Transactional()
  async reports(query: ExperienceReportQuery): Promise<{ items: ExperienceReportView[]; nextCursor: string | null }> {
    const actor = this.context.requireActor();
    const rows = await this.repo.reports({
      tenantId: actor.scope === 'province' ? undefined : this.context.requireTenantId(),
      year: query.year,
      selected: query.selected === undefined ? undefined : query.selected === 'true',
      limit: query.limit,
      cursor: query.cursor,
    });
    return toPage(rows, query.limit, (r) => [new Date(r.createdAt).toISOString(), r.id], reportView);
  }

  /** R-GOV-4: the province selects a report into the case library (pinned to the college, audited there). */
  async selectCase(id: string, dto: SelectCaseDto): Promise<ExperienceReportView> {
    const found = await this.findReport(id);
    return this.context.runAsTenant(found.tenantId, () => this.selectTx(id, dto));
  }

  @Transactional()
  private async findReport(id: string): Promise<{ tenantId: string }> {
    const r = await this.repo.report(id);
    if (!r) throw new AppException(GovernanceErrors.REPORT_NOT_FOUND);
    return r;
  }

  @Transactional()
  private async selectTx(id: string, dto: SelectCaseDto): Promise<ExperienceReportView> {
    const tenantId = this.context.requireTenantId();
    const r = await this.repo.report(id, tenantId, true);
    if (!r) throw new AppException(GovernanceErrors.REPORT_NOT_FOUND);
    if (r.selected) throw new AppException(GovernanceErrors.ALREADY_SELECTED);
    await this.repo.select(id, tenantId, dto.caseTitle, dto.reason);
    await this.audit.record({ entity: 'pilot-experience-report', entityId: id, action: 'select-case', before: { selected: false }, after: { selected: true, ...dto } });
    return reportView(await this.repo.report(id, tenantId));
  }
}
