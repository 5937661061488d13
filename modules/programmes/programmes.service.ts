import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { ReferenceDataService } from '../reference-data';

import { canTransition, isCollegeTransition, PilotStatus } from './domain/pilot-status';
import {
  ClusterRefView,
  CreateProgrammeDto,
  PriorityExperienceDto,
  ProgrammeListQuery,
  SetPilotStatusDto,
  ProgrammeView,
  UpdateProgrammeDto,
} from './dto/programme.dto';
import { PriorityExperience, Programme } from './programme.entity';
import { ProgrammeErrors } from './programmes.errors';
import { ProgrammesRepository } from './programmes.repository';
import { chinaToday } from '../../src/time/china-date';

type ClusterNames = Map<string, ClusterRefView>;

export function toProgrammeView(p: Programme, clusters: ClusterNames): ProgrammeView {
  return {
    id: p.id,
    tenantId: p.tenantId,
    code: p.code,
    name: p.name,
    occupation: { code: p.occupationCode, name: p.occupationName },
    clusters: p.clusterCodes.map((code) => clusters.get(code) ?? { code, nameZh: code, nameEn: code }),
    talentGap: p.talentGapEvidence ? { evidence: p.talentGapEvidence, number: p.talentGapNumber } : null,
    priorityExperience: p.priorityExperience,
    pilotStatus: p.pilotStatus,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function snapshot(p: Programme) {
  return {
    code: p.code,
    name: p.name,
    occupationCode: p.occupationCode,
    occupationName: p.occupationName,
    clusterCodes: p.clusterCodes,
    talentGapEvidence: p.talentGapEvidence,
    talentGapNumber: p.talentGapNumber,
    priorityExperience: p.priorityExperience,
    pilotStatus: p.pilotStatus,
  };
}

function priority(entries: PriorityExperienceDto[] | undefined): PriorityExperience[] {
  return (entries ?? []).map((e) => ({ kind: e.kind, description: e.description, evidence: e.evidence, year: e.year ?? null }));
}

/** College staff manage their programmes (专业); province and college users read them (issue 3). */
@Injectable()
export class ProgrammesService {
  constructor(
    private readonly programmes: ProgrammesRepository,
    private readonly referenceData: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(dto: CreateProgrammeDto): Promise<ProgrammeView> {
    const clusters = await this.clusterNames();
    const clusterCodes = this.validClusters(dto.clusterCodes, clusters);
    if (await this.programmes.codeExists(dto.code)) throw new AppException(ProgrammeErrors.CODE_TAKEN, { code: dto.code });
    const programme = await this.programmes.insert({
      code: dto.code,
      name: dto.name,
      occupationCode: dto.occupation.code,
      occupationName: dto.occupation.name,
      clusterCodes,
      talentGapEvidence: dto.talentGap?.evidence ?? null,
      talentGapNumber: dto.talentGap?.number ?? null,
      priorityExperience: priority(dto.priorityExperience),
    });
    await this.audit.record({ entity: 'programme', entityId: programme.id, action: 'create', after: snapshot(programme) });
    return toProgrammeView(programme, clusters.all);
  }

  @Transactional()
  async get(id: string): Promise<ProgrammeView> {
    return toProgrammeView(await this.requireVisible(id), (await this.clusterNames()).all);
  }

  /** College users see their own college; province users every college (optionally one). */
  @Transactional()
  async list(query: ProgrammeListQuery): Promise<Page<ProgrammeView>> {
    const actor = this.context.requireActor();
    const tenantId = actor.scope === 'province' ? query.tenantId : this.context.requireTenantId();
    const rows = await this.programmes.list({ ...query, tenantId });
    const clusters = (await this.clusterNames()).all;
    return toPage(rows, query.limit, (p) => [p.code.toLowerCase(), p.id], (p) => toProgrammeView(p, clusters));
  }

  /** Version-checked update; a pilot status move follows the life cycle (DOMAIN §5). */
  @Transactional()
  async update(id: string, dto: UpdateProgrammeDto): Promise<ProgrammeView> {
    const programme = await this.requireOwnForUpdate(id);
    if (programme.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: programme.version });
    const clusters = await this.clusterNames();
    const before = snapshot(programme);
    if (dto.code !== undefined && dto.code.toLowerCase() !== programme.code.toLowerCase()) {
      if (await this.programmes.codeExists(dto.code, id)) throw new AppException(ProgrammeErrors.CODE_TAKEN, { code: dto.code });
    }
    if (dto.code !== undefined) programme.code = dto.code;
    if (dto.name !== undefined) programme.name = dto.name;
    if (dto.occupation !== undefined) {
      programme.occupationCode = dto.occupation.code;
      programme.occupationName = dto.occupation.name;
    }
    if (dto.clusterCodes !== undefined) programme.clusterCodes = this.validClusters(dto.clusterCodes, clusters);
    if (dto.talentGap !== undefined) {
      programme.talentGapEvidence = dto.talentGap?.evidence ?? null;
      programme.talentGapNumber = dto.talentGap?.number ?? null;
    }
    if (dto.priorityExperience !== undefined) programme.priorityExperience = priority(dto.priorityExperience);
    const action = 'update';
    if (dto.pilotStatus !== undefined && dto.pilotStatus !== programme.pilotStatus) {
      this.assertCollegeMove(programme, dto.pilotStatus);
    }
    const saved = await this.programmes.save(programme);
    await this.audit.record({ entity: 'programme', entityId: id, action, before, after: snapshot(saved) });
    return toProgrammeView(saved, clusters.all);
  }

  /** The programme if the caller may see it; another college's id answers 404. */
  @Transactional()
  async requireVisible(id: string): Promise<Programme> {
    const programme = await this.programmes.findVisible(id);
    if (!programme) throw new AppException(ProgrammeErrors.NOT_FOUND);
    return programme;
  }

  /**
   * DOMAIN §5, issue 12: the process drives the pilot status. The college's one move,
   * candidate → applied, happens only by submitting a pilot application (which checks
   * R-PRG-5 and R-EVA-2); moves beyond `applied` belong to the province. A PATCH never
   * changes the status.
   */
  private assertCollegeMove(programme: Programme, to: PilotStatus): never {
    const from = programme.pilotStatus;
    if (isCollegeTransition(from, to)) throw new AppException(ProgrammeErrors.PILOT_STATUS_BY_APPLICATION);
    if (to === 'candidate' || to === 'applied') throw new AppException(ProgrammeErrors.PILOT_STATUS_TRANSITION, { from, to });
    throw new AppException(ProgrammeErrors.PILOT_STATUS_PROVINCE_ONLY, { to });
  }

  /**
   * The province moves a pilot beyond `applied` (approve, mid-term, complete, suspend,
   * revoke; R-GOV-3). The row belongs to a college, so the write runs pinned to that
   * college while the actor stays the province admin, and the audit entry lands in the
   * college's log as well as the province's view.
   */
  async setPilotStatusByProvince(id: string, dto: SetPilotStatusDto): Promise<ProgrammeView> {
    const { tenantId } = await this.requireVisible(id);
    return this.context.runAsTenant(tenantId, () => this.applyProvinceStatus(id, dto));
  }

  @Transactional()
  private async applyProvinceStatus(id: string, dto: SetPilotStatusDto): Promise<ProgrammeView> {
    const programme = await this.requireOwnForUpdate(id);
    if (programme.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: programme.version });
    const from = programme.pilotStatus;
    if (!canTransition(from, dto.status) || isCollegeTransition(from, dto.status)) {
      throw new AppException(ProgrammeErrors.PILOT_STATUS_TRANSITION, { from, to: dto.status });
    }
    const before = snapshot(programme);
    programme.pilotStatus = dto.status;
    const saved = await this.programmes.save(programme);
    await this.audit.record({ entity: 'programme', entityId: id, action: 'pilot-status', before, after: { ...snapshot(saved), reason: dto.reason } });
    return toProgrammeView(saved, (await this.clusterNames()).all);
  }

  /**
   * The pilot process moves a programme's status (issue 12): submitted → applied, rejected →
   * candidate, announced → active, evaluations → midterm-passed / completed / revoked. Runs in
   * the caller's transaction, pinned to the programme's college; audited with the cause.
   * Returns the status before the move.
   */
  @Transactional()
  async moveByProcess(id: string, to: PilotStatus, cause: Record<string, unknown>): Promise<PilotStatus> {
    const programme = await this.requireOwnForUpdate(id);
    const from = programme.pilotStatus;
    if (from === to) return from;
    if (!canTransition(from, to)) throw new AppException(ProgrammeErrors.PILOT_STATUS_TRANSITION, { from, to });
    const before = snapshot(programme);
    programme.pilotStatus = to;
    const saved = await this.programmes.save(programme);
    await this.audit.record({ entity: 'programme', entityId: id, action: 'pilot-status', before, after: { ...snapshot(saved), ...cause } });
    return from;
  }

  private async requireOwnForUpdate(id: string): Promise<Programme> {
    const programme = await this.programmes.findForUpdate(id);
    if (!programme) throw new AppException(ProgrammeErrors.NOT_FOUND);
    return programme;
  }

  private async clusterNames(): Promise<{ all: ClusterNames; valid: Set<string> }> {
    const today = chinaToday();
    const rows = await this.referenceData.industryClusters();
    return {
      all: new Map(rows.map((c) => [c.code, { code: c.code, nameZh: c.nameZh, nameEn: c.nameEn }])),
      valid: new Set(rows.filter((c) => (!c.validFrom || c.validFrom <= today) && (!c.validTo || c.validTo >= today)).map((c) => c.code)),
    };
  }

  /** R-PRG-1: every linked cluster is one of the current 双十 clusters; duplicates collapse. */
  private validClusters(codes: string[], clusters: { valid: Set<string> }): string[] {
    const unique = [...new Set(codes)];
    const unknown = unique.filter((c) => !clusters.valid.has(c));
    if (unknown.length) throw new AppException(ProgrammeErrors.UNKNOWN_CLUSTER, { codes: unknown.join('、') });
    return unique;
  }
}
