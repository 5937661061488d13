import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditService } from '../audit';
import { CreateOfferingDto, OfferingListQuery, OfferingView, UpdateOfferingDto } from './dto/offering.dto';
import { EnterpriseErrors } from './enterprises.errors';
import { EnterprisesRepository } from './enterprises.repository';
import { Offering } from './offering.entity';

export function toOfferingView(o: Offering): OfferingView {
  return {
    id: o.id,
    enterpriseId: o.enterpriseId,
    kind: o.kind,
    title: o.title,
    description: o.description,
    skillItems: o.skillItems ?? [],
    capacity: o.capacity,
    programmeId: o.programmeId,
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

const snapshot = (o: Offering) => {
  const { createdAt: _c, updatedAt: _u, ...rest } = toOfferingView(o);
  return rest;
};

/**
 * R-ENT-3: posts and projects. Enterprise admins manage their own enterprise's offerings
 * for the college they are signed into; college users read all of their college's;
 * enterprise users read only their own enterprise's (another enterprise's → 404).
 */
@Injectable()
export class OfferingsService {
  constructor(
    private readonly repository: EnterprisesRepository,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  async list(actor: Actor, query: OfferingListQuery): Promise<Page<OfferingView>> {
    const enterpriseId = actor.scope === 'enterprise' ? actor.enterpriseId! : query.enterpriseId;
    if (actor.scope === 'enterprise' && query.enterpriseId && query.enterpriseId !== actor.enterpriseId) {
      return { items: [], nextCursor: null };
    }
    const rows = await this.repository.listOfferings({ ...query, enterpriseId });
    return toPage(rows, query.limit, (o) => [o.title, o.id], toOfferingView);
  }

  @Transactional()
  async get(actor: Actor, id: string): Promise<OfferingView> {
    return toOfferingView(await this.requireVisible(actor, id));
  }

  /** Issue 9 item 4: an offering names only a programme of this college that the enterprise partners with (else 404). */
  private async requirePartnerProgramme(actor: Actor, programmeId: string | null | undefined): Promise<void> {
    if (!programmeId) return;
    if (!(await this.repository.enterprisePartnersProgramme(programmeId, actor.enterpriseId!))) throw new AppException(EnterpriseErrors.PROGRAMME_NOT_FOUND);
  }

  @Transactional()
  async create(actor: Actor, dto: CreateOfferingDto): Promise<OfferingView> {
    await this.requirePartnerProgramme(actor, dto.programmeId);
    const o = await this.repository.insertOffering({
      enterpriseId: actor.enterpriseId!,
      kind: dto.kind,
      title: dto.title,
      description: dto.description ?? null,
      skillItems: dto.skillItems ?? [],
      capacity: dto.capacity,
      programmeId: dto.programmeId ?? null,
    });
    await this.audit.record({ entity: 'enterprise-offering', entityId: o.id, action: 'create', after: snapshot(o) });
    return toOfferingView(o);
  }

  @Transactional()
  async update(actor: Actor, id: string, dto: UpdateOfferingDto): Promise<OfferingView> {
    const o = await this.requireVisible(actor, id);
    if (o.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: o.version });
    const before = snapshot(o);
    if (dto.title !== undefined) o.title = dto.title;
    if (dto.description !== undefined) o.description = dto.description;
    if (dto.skillItems !== undefined) o.skillItems = dto.skillItems;
    if (dto.capacity !== undefined) o.capacity = dto.capacity;
    if (dto.programmeId !== undefined) {
      await this.requirePartnerProgramme(actor, dto.programmeId);
      o.programmeId = dto.programmeId;
    }
    const saved = await this.repository.saveOffering(o);
    await this.audit.record({ entity: 'enterprise-offering', entityId: id, action: 'update', before, after: snapshot(saved) });
    return toOfferingView(saved);
  }

  @Transactional()
  async remove(actor: Actor, id: string): Promise<void> {
    const o = await this.requireVisible(actor, id);
    await this.repository.deleteOffering(id);
    await this.audit.record({ entity: 'enterprise-offering', entityId: id, action: 'delete', before: snapshot(o) });
  }

  private async requireVisible(actor: Actor, id: string): Promise<Offering> {
    const o = await this.repository.findOffering(id);
    if (!o || (actor.scope === 'enterprise' && o.enterpriseId !== actor.enterpriseId)) {
      throw new AppException(EnterpriseErrors.OFFERING_NOT_FOUND);
    }
    return o;
  }
}
