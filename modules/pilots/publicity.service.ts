import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, PageQuery, toPage } from '../../src/http/pagination';
import { OutboxService } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AuditService } from '../audit';
import { ProgrammesService } from '../programmes';
import { ReferenceDataService } from '../reference-data';
import { PUBLICITY_WORKING_DAYS, STATUS_ZH } from './domain/process';
import { AdjustEndDto, BatchSummaryView, BatchView, CreateBatchDto, CreateObjectionDto, FilingDto, ObjectionView, ResolveObjectionDto } from './dto/pilots.dto';
import { PilotErrors } from './pilots.errors';
import { ApplicationProgrammeRow, BatchRow, PilotsRepository } from './pilots.repository';

/** 24:00 Asia/Shanghai of a China date, as a UTC instant (the end of a public notice, R-APP-5). */
export function endOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000).toISOString();
}

function byCollege<T extends { tenantId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.tenantId, [...(out.get(r.tenantId) ?? []), r]);
  return out;
}

/**
 * The public notice (R-APP-5), objections, announcement and the ministry filing (R-APP-6).
 * The batch is a province row; its items are the colleges' application programmes, each
 * written in a transaction pinned to its college. Steps that touch several colleges are
 * written so that a retry finishes what an interrupted call began (the batch status moves
 * last).
 */
@Injectable()
export class PublicityService {
  constructor(
    private readonly repo: PilotsRepository,
    private readonly referenceData: ReferenceDataService,
    private readonly programmes: ProgrammesService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * R-APP-5: the end date is the 5th working day after the publication day (which does not
   * count), from the statutory calendar with its adjusted working weekends; a window that
   * runs through a provisional year is flagged.
   */
  async create(dto: CreateBatchDto): Promise<BatchView> {
    const { id, colleges } = await this.createBatchRow(dto);
    for (const [tenantId, items] of colleges) await this.context.runAsTenant(tenantId, () => this.enterPublicity(id, items.map((i) => i.id)));
    return this.get(id);
  }

  @Transactional()
  private async createBatchRow(dto: CreateBatchDto): Promise<{ id: string; colleges: Map<string, ApplicationProgrammeRow[]> }> {
    const items = await this.repo.applicationProgrammesById(dto.applicationProgrammeIds);
    for (const id of dto.applicationProgrammeIds) {
      const item = items.find((i) => i.id === id);
      if (!item) throw new AppException(PilotErrors.APPLICATION_PROGRAMME_NOT_FOUND, { id });
      if (item.stage !== 'approved' || item.batchId) throw new AppException(PilotErrors.NOT_APPROVED, { name: item.programmeName });
    }
    const publishedOn = dto.publishedOn ?? chinaToday();
    const window = await this.referenceData.workingDays(publishedOn, PUBLICITY_WORKING_DAYS);
    const id = await this.repo.insertBatch({
      title: dto.title,
      publishedOn,
      endsOn: window.endDate,
      provisional: window.provisional,
      provisionalYears: window.provisionalYears,
      createdBy: this.context.requireActor().userId,
    });
    await this.audit.record({
      entity: 'pilot-publicity-batch',
      entityId: id,
      action: 'create',
      after: { publishedOn, endsOn: window.endDate, provisional: window.provisional, items: dto.applicationProgrammeIds },
    });
    return { id, colleges: byCollege(items) };
  }

  @Transactional()
  private async enterPublicity(batchId: string, ids: string[]): Promise<void> {
    const tenantId = this.context.requireTenantId();
    for (const item of await this.repo.applicationProgrammesById(ids)) {
      if (item.stage !== 'approved' || item.batchId) continue;
      await this.repo.setProgrammeStage(item.id, tenantId, { stage: 'in-publicity', batchId });
      await this.audit.record({ entity: 'pilot-application-programme', entityId: item.id, action: 'in-publicity', after: { batchId } });
    }
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId, event: 'publicity-started', subjectId: batchId });
  }

  @Transactional()
  async list(query: PageQuery): Promise<Page<BatchSummaryView>> {
    const rows = await this.repo.listBatches({ limit: query.limit, cursor: query.cursor });
    return toPage(rows, query.limit, (b) => [b.publishedOn, b.id], (b) => ({
      id: b.id,
      title: b.title,
      publishedOn: b.publishedOn,
      endsOn: b.endsOn,
      provisional: b.provisional,
      status: b.status,
    }));
  }

  @Transactional()
  async get(id: string): Promise<BatchView> {
    const batch = await this.repo.batch(id);
    if (!batch) throw new AppException(PilotErrors.BATCH_NOT_FOUND);
    return this.viewOf(batch);
  }

  /** R-APP-5: a province admin adjusts the stored end date, with a reason (audited); this also confirms a provisional one. */
  @Transactional()
  async adjustEnd(id: string, dto: AdjustEndDto): Promise<BatchView> {
    const batch = await this.requireBatch(id, true);
    if (batch.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: batch.version });
    if (batch.status !== 'open') throw new AppException(PilotErrors.BATCH_STATUS, { status: STATUS_ZH[batch.status], action: '调整截止日期', actionEn: 'adjust the end date' });
    if (dto.endsOn <= batch.publishedOn) throw new AppException(PilotErrors.END_BEFORE_PUBLICATION);
    await this.repo.updateBatch(id, { endsOn: dto.endsOn, endAdjustReason: dto.reason, provisional: false });
    await this.audit.record({
      entity: 'pilot-publicity-batch',
      entityId: id,
      action: 'adjust-end',
      before: { endsOn: batch.endsOn, provisional: batch.provisional },
      after: { endsOn: dto.endsOn, reason: dto.reason, provisional: false },
    });
    return this.viewOf((await this.repo.batch(id))!);
  }

  /** Objections are recorded during the window (publication day to the end date, not in the future). */
  async addObjection(batchId: string, dto: CreateObjectionDto): Promise<ObjectionView> {
    const { item } = await this.checkObjection(batchId, dto);
    return this.context.runAsTenant(item.tenantId, () => this.addObjectionTx(batchId, dto));
  }

  @Transactional()
  private async checkObjection(batchId: string, dto: CreateObjectionDto): Promise<{ batch: BatchRow; item: ApplicationProgrammeRow }> {
    const batch = await this.requireBatch(batchId);
    if (batch.status !== 'open') throw new AppException(PilotErrors.BATCH_STATUS, { status: STATUS_ZH[batch.status], action: '登记异议', actionEn: 'record objections' });
    const [item] = await this.repo.applicationProgrammesById([dto.applicationProgrammeId]);
    if (!item || item.batchId !== batchId) throw new AppException(PilotErrors.APPLICATION_PROGRAMME_NOT_FOUND, { id: dto.applicationProgrammeId });
    if (dto.receivedOn < batch.publishedOn || dto.receivedOn > batch.endsOn || dto.receivedOn > chinaToday()) {
      throw new AppException(PilotErrors.OUTSIDE_WINDOW, { from: batch.publishedOn, to: batch.endsOn });
    }
    return { batch, item };
  }

  @Transactional()
  private async addObjectionTx(batchId: string, dto: CreateObjectionDto): Promise<ObjectionView> {
    const id = await this.repo.insertObjection({ applicationProgrammeId: dto.applicationProgrammeId, batchId, receivedOn: dto.receivedOn, content: dto.content });
    await this.audit.record({ entity: 'pilot-objection', entityId: id, action: 'create', after: { batchId, applicationProgrammeId: dto.applicationProgrammeId, receivedOn: dto.receivedOn } });
    const o = (await this.repo.objection(id))!;
    return { id: o.id, applicationProgrammeId: o.applicationProgrammeId, receivedOn: o.receivedOn, content: o.content, status: o.status, resolution: o.resolution };
  }

  /** Upheld: the programme is rejected (back to candidate). Dismissed: it stays in the notice. */
  async resolveObjection(id: string, dto: ResolveObjectionDto): Promise<ObjectionView> {
    const objection = await this.findObjection(id);
    return this.context.runAsTenant(objection.tenantId, () => this.resolveTx(id, dto));
  }

  @Transactional()
  private async findObjection(id: string) {
    const o = await this.repo.objection(id);
    if (!o) throw new AppException(PilotErrors.OBJECTION_NOT_FOUND);
    return o;
  }

  @Transactional()
  private async resolveTx(id: string, dto: ResolveObjectionDto): Promise<ObjectionView> {
    const o = (await this.repo.objection(id, true))!;
    if (o.status !== 'open') throw new AppException(PilotErrors.OBJECTION_RESOLVED);
    await this.repo.resolveObjection(id, dto.outcome, dto.resolution);
    if (dto.outcome === 'upheld') {
      const [item] = await this.repo.applicationProgrammesById([o.applicationProgrammeId]);
      if (item.stage === 'in-publicity') {
        await this.repo.setProgrammeStage(item.id, o.tenantId, { stage: 'rejected', reason: `异议成立：${dto.resolution}`.slice(0, 1000), decided: true });
        await this.programmes.moveByProcess(item.programmeId, 'candidate', { cause: 'objection-upheld', objectionId: id, reason: dto.resolution });
        await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: o.tenantId, event: 'objection-upheld', subjectId: item.id });
      }
    }
    await this.audit.record({ entity: 'pilot-objection', entityId: id, action: 'resolve', before: { status: 'open' }, after: { status: dto.outcome, resolution: dto.resolution } });
    const r = (await this.repo.objection(id))!;
    return { id: r.id, applicationProgrammeId: r.applicationProgrammeId, receivedOn: r.receivedOn, content: r.content, status: r.status, resolution: r.resolution };
  }

  /**
   * After the window (24:00 of the end date) with no objection open, the province announces:
   * each programme still in the notice becomes an active pilot. An end date that still rests
   * on a provisional calendar year must first be confirmed by a province admin (R-APP-5).
   */
  async announce(id: string): Promise<BatchView> {
    const colleges = await this.checkAnnounce(id);
    for (const [tenantId, items] of colleges) await this.context.runAsTenant(tenantId, () => this.announceCollege(id, items.map((i) => i.id)));
    await this.finishAnnounce(id);
    return this.get(id);
  }

  @Transactional()
  private async checkAnnounce(id: string): Promise<Map<string, ApplicationProgrammeRow[]>> {
    const batch = await this.requireBatch(id, true);
    if (batch.status !== 'open') throw new AppException(PilotErrors.BATCH_STATUS, { status: STATUS_ZH[batch.status], action: '公布', actionEn: 'announce' });
    let endsOn = batch.endsOn;
    if (!batch.endAdjustReason) {
      // recomputed with today's calendar: a year entered since publication settles the date
      const window = await this.referenceData.workingDays(batch.publishedOn, PUBLICITY_WORKING_DAYS);
      if (window.provisional) throw new AppException(PilotErrors.WINDOW_PROVISIONAL, { years: window.provisionalYears.join('、') });
      if (window.endDate !== batch.endsOn || batch.provisional) {
        await this.repo.updateBatch(id, { endsOn: window.endDate, provisional: false });
        endsOn = window.endDate;
      }
    }
    if (chinaToday() <= endsOn) throw new AppException(PilotErrors.WINDOW_NOT_OVER, { endsOn });
    const open = await this.repo.openObjectionCount(id);
    if (open) throw new AppException(PilotErrors.OPEN_OBJECTIONS, { count: open });
    return byCollege((await this.repo.batchItems(id)).filter((i) => i.stage === 'in-publicity'));
  }

  @Transactional()
  private async announceCollege(batchId: string, ids: string[]): Promise<void> {
    const tenantId = this.context.requireTenantId();
    for (const item of await this.repo.applicationProgrammesById(ids)) {
      if (item.stage !== 'in-publicity') continue;
      await this.repo.setProgrammeStage(item.id, tenantId, { stage: 'announced' });
      // the process drives the pilot status: applied → active; the college may open cohorts
      await this.programmes.moveByProcess(item.programmeId, 'active', { cause: 'announced', batchId });
      await this.audit.record({ entity: 'pilot-application-programme', entityId: item.id, action: 'announced', after: { batchId } });
    }
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId, event: 'announced', subjectId: batchId });
  }

  @Transactional()
  private async finishAnnounce(id: string): Promise<void> {
    const today = chinaToday();
    await this.repo.updateBatch(id, { status: 'announced', announcedOn: today });
    await this.audit.record({ entity: 'pilot-publicity-batch', entityId: id, action: 'announce', before: { status: 'open' }, after: { status: 'announced', announcedOn: today } });
  }

  /** R-APP-6: the ministry filing of an announced batch (date, reference). */
  async file(id: string, dto: FilingDto): Promise<BatchView> {
    const colleges = await this.checkFiling(id, dto);
    for (const [tenantId, items] of colleges) await this.context.runAsTenant(tenantId, () => this.fileCollege(id, items.map((i) => i.id)));
    await this.finishFiling(id, dto);
    return this.get(id);
  }

  @Transactional()
  private async checkFiling(id: string, dto: FilingDto): Promise<Map<string, ApplicationProgrammeRow[]>> {
    const batch = await this.requireBatch(id, true);
    if (batch.status !== 'announced') throw new AppException(PilotErrors.BATCH_STATUS, { status: STATUS_ZH[batch.status], action: '备案', actionEn: 'file' });
    if (dto.filedOn < batch.announcedOn! || dto.filedOn > chinaToday()) throw new AppException(PilotErrors.BAD_FILING_DATE, { announcedOn: batch.announcedOn }, [
      { field: 'filedOn', constraint: 'filing-date', zh: `备案日期须在公布日期（${batch.announcedOn}）与今天之间`, en: `The filing date must lie between the announcement (${batch.announcedOn}) and today` },
    ]);
    return byCollege((await this.repo.batchItems(id)).filter((i) => i.stage === 'announced'));
  }

  @Transactional()
  private async fileCollege(batchId: string, ids: string[]): Promise<void> {
    const tenantId = this.context.requireTenantId();
    for (const item of await this.repo.applicationProgrammesById(ids)) {
      if (item.stage !== 'announced') continue;
      await this.repo.setProgrammeStage(item.id, tenantId, { stage: 'filed' });
      await this.audit.record({ entity: 'pilot-application-programme', entityId: item.id, action: 'filed', after: { batchId } });
    }
  }

  @Transactional()
  private async finishFiling(id: string, dto: FilingDto): Promise<void> {
    await this.repo.updateBatch(id, { status: 'filed', filedOn: dto.filedOn, filingReference: dto.reference });
    await this.audit.record({ entity: 'pilot-publicity-batch', entityId: id, action: 'file', before: { status: 'announced' }, after: { status: 'filed', ...dto } });
  }

  private async requireBatch(id: string, lock = false): Promise<BatchRow> {
    const batch = await this.repo.batch(id, lock);
    if (!batch) throw new AppException(PilotErrors.BATCH_NOT_FOUND);
    return batch;
  }

  private async viewOf(b: BatchRow): Promise<BatchView> {
    const items = await this.repo.batchItems(b.id);
    const objections = await this.repo.objectionsOfBatch(b.id);
    return {
      id: b.id,
      title: b.title,
      publishedOn: b.publishedOn,
      computedEndsOn: b.computedEndsOn,
      endsOn: b.endsOn,
      endsAt: endOfChinaDay(b.endsOn),
      provisional: b.provisional,
      provisionalYears: b.provisionalYears,
      endAdjustReason: b.endAdjustReason,
      status: b.status,
      announcedOn: b.announcedOn,
      filedOn: b.filedOn,
      filingReference: b.filingReference,
      items: items.map((i) => ({
        applicationProgrammeId: i.id,
        tenantId: i.tenantId,
        collegeName: i.collegeName,
        programmeId: i.programmeId,
        programmeName: i.programmeName,
        stage: i.stage,
        objections: objections
          .filter((o) => o.applicationProgrammeId === i.id)
          .map((o) => ({ id: o.id, applicationProgrammeId: o.applicationProgrammeId, receivedOn: o.receivedOn, content: o.content, status: o.status, resolution: o.resolution })),
      })),
      version: b.version,
    };
  }
}
