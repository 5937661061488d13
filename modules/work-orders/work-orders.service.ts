import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AttachmentOwners, AttachmentsService } from '../attachments';
import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { AuditService } from '../audit';
import { MenteeAccess, PracticeService } from '../practice';

import {
  AcceptWorkOrderDto,
  AppendRecordDto,
  IssueWorkOrderDto,
  WorkOrderEventView,
  WorkOrderListQuery,
  WorkOrderView,
} from './dto/work-order.dto';
import { WorkOrder, WorkOrderStatus } from './work-order.entity';
import { ACTION_EN, ACTION_ZH, STATUS_ZH, WorkOrderErrors } from './work-orders.errors';
import { EventRow, WorkOrderRow, WorkOrdersRepository } from './work-orders.repository';
import { chinaToday } from '../../src/time/china-date';

type Action = keyof typeof ACTION_ZH;

function toView(r: WorkOrderRow, history?: EventRow[]): WorkOrderView {
  return {
    id: r.id,
    placementId: r.placementId,
    student: { id: r.studentId, name: r.studentName },
    issuedBy: { id: r.issuedBy, name: r.issuedByName },
    title: r.title,
    kind: r.kind,
    description: r.description,
    skillStandardItems: r.skillStandardItems,
    dueOn: r.dueOn,
    expectedHours: Number(r.expectedHours),
    recordedHours: Number(r.recordedHours),
    status: r.status,
    rejections: r.rejections,
    lastRejectionReason: r.lastRejectionReason,
    score: r.score,
    acceptanceComment: r.acceptanceComment,
    acceptedAt: r.acceptedAt ? new Date(r.acceptedAt).toISOString() : null,
    ...(history ? { history: history.map(toEventView) } : {}),
    version: r.version,
  };
}

function toEventView(e: EventRow): WorkOrderEventView {
  return {
    id: e.id,
    kind: e.kind,
    text: e.text,
    hours: Number(e.hours),
    attachmentIds: e.attachmentIds,
    score: e.score,
    by: e.staffMemberId ? { id: e.staffMemberId, name: e.staffName ?? '' } : null,
    at: new Date(e.createdAt).toISOString(),
  };
}

const snapshot = (o: WorkOrder) => ({ status: o.status, rejections: o.rejections, score: o.score });

/**
 * R-ENT-3 work orders: 任务工单 → 过程记录 → 成果验收. Life cycle (DOMAIN §5):
 * issued → in-progress (first process record) → submitted → accepted, or rejected with a
 * reason, which sends it back to in-progress at once (the rejection stays in the history).
 * Only the student's active enterprise mentor issues, accepts and rejects. Nothing is ever
 * deleted: orders have no delete route or grant, and events are append-only. Hours of
 * accepted orders count as confirmed practice hours (R-TRN-4 progress).
 */
@Injectable()
export class WorkOrdersService {
  constructor(
    private readonly orders: WorkOrdersRepository,
    private readonly practice: PracticeService,
    private readonly access: MenteeAccess,
    private readonly attachments: AttachmentsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    owners: AttachmentOwners,
  ) {
    // POST /attachments may name a work order the uploader may record on (issue 9 item 2).
    owners.register('work-order', async (actor, workOrderId) => {
      if (!isAllowed(actor.role as Role, 'work-orders.record')) return null;
      const row = await this.requireVisible(workOrderId);
      return { enterpriseId: (await this.practice.visiblePlacement(row.placementId)).enterpriseId };
    });
  }

  @Transactional()
  async issue(dto: IssueWorkOrderDto): Promise<WorkOrderView> {
    const placement = await this.practice.visiblePlacement(dto.placementId);
    const mentorId = await this.requireEnterpriseMentor(placement.studentId);
    const today = chinaToday();
    if (dto.dueOn < today) throw new AppException(WorkOrderErrors.DUE_IN_PAST, { today });
    const o = await this.orders.insert({
      placementId: placement.id,
      studentId: placement.studentId,
      issuedBy: mentorId,
      title: dto.title,
      kind: dto.kind,
      description: dto.description,
      skillStandardItems: dto.skillStandardItems,
      dueOn: dto.dueOn,
      expectedHours: String(dto.expectedHours),
    });
    await this.orders.appendEvent({ workOrderId: o.id, kind: 'issued', text: null, staffMemberId: mentorId, recordedBy: this.context.requireActor().userId });
    await this.audit.record({ entity: 'work-order', entityId: o.id, action: 'issue', after: { ...snapshot(o), placementId: o.placementId, title: o.title, kind: o.kind, dueOn: o.dueOn } });
    return this.view(o.id, true);
  }

  /** 过程记录: while issued or in progress; the first one starts the order. */
  @Transactional()
  async appendRecord(id: string, dto: AppendRecordDto): Promise<WorkOrderView> {
    const row = await this.requireVisible(id);
    const o = await this.lock(id, ['issued', 'in-progress'], 'record');
    const placement = await this.practice.visiblePlacement(row.placementId);
    const attachmentIds = [...new Set(dto.attachmentIds ?? [])];
    // Issue 9 item 2: each file is the recorder's own upload, linked once (ADR 0008).
    for (const a of attachmentIds) {
      if (!(await this.attachments.claim(a, 'work-order', id, placement.enterpriseId))) throw new AppException(WorkOrderErrors.ATTACHMENT_NOT_FOUND, { id: a });
    }
    const me = await this.access.me();
    await this.orders.appendEvent({
      workOrderId: id,
      kind: 'record',
      text: dto.text,
      hours: String(dto.hours),
      attachmentIds,
      staffMemberId: me?.id ?? null,
      recordedBy: this.context.requireActor().userId,
    });
    if (o.status === 'issued') await this.transition(o, 'in-progress', 'start');
    else await this.audit.record({ entity: 'work-order', entityId: id, action: 'record', after: { hours: dto.hours, attachments: attachmentIds.length } });
    return this.view(id, true);
  }

  @Transactional()
  async submit(id: string): Promise<WorkOrderView> {
    await this.requireVisible(id);
    const o = await this.lock(id, ['in-progress', 'issued'], 'submit');
    if (o.status === 'issued' || (await this.orders.countRecords(id)) === 0) throw new AppException(WorkOrderErrors.NO_RECORDS);
    o.submittedAt = new Date();
    await this.orders.appendEvent({ workOrderId: id, kind: 'submitted', text: null, staffMemberId: (await this.access.me())?.id ?? null, recordedBy: this.context.requireActor().userId });
    await this.transition(o, 'submitted', 'submit');
    return this.view(id, true);
  }

  /** 成果验收 by the student's enterprise mentor: score 0–100 and a comment. */
  @Transactional()
  async accept(id: string, dto: AcceptWorkOrderDto): Promise<WorkOrderView> {
    const row = await this.requireVisible(id);
    const mentorId = await this.requireEnterpriseMentor(row.studentId);
    const o = await this.lock(id, ['submitted'], 'accept');
    Object.assign(o, { score: dto.score, acceptanceComment: dto.comment, acceptedBy: mentorId, acceptedAt: new Date() });
    await this.orders.appendEvent({ workOrderId: id, kind: 'accepted', text: dto.comment, score: dto.score, staffMemberId: mentorId, recordedBy: this.context.requireActor().userId });
    await this.transition(o, 'accepted', 'accept');
    return this.view(id, true);
  }

  /** Rejected with a reason: back to in-progress at once (DOMAIN §5); the reason stays in the history. */
  @Transactional()
  async reject(id: string, reason: string): Promise<WorkOrderView> {
    const row = await this.requireVisible(id);
    const mentorId = await this.requireEnterpriseMentor(row.studentId);
    const o = await this.lock(id, ['submitted'], 'reject');
    o.rejections += 1;
    o.submittedAt = null;
    await this.orders.appendEvent({ workOrderId: id, kind: 'rejected', text: reason, staffMemberId: mentorId, recordedBy: this.context.requireActor().userId });
    await this.transition(o, 'in-progress', 'reject');
    return this.view(id, true);
  }

  @Transactional()
  async list(query: WorkOrderListQuery): Promise<Page<WorkOrderView>> {
    const rows = await this.orders.list(query, await this.access.visibility());
    return toPage(rows, query.limit, (r) => [new Date(r.createdAt).toISOString(), r.id], (r) => toView(r));
  }

  /** The order with its full history (the archive). */
  @Transactional()
  async get(id: string): Promise<WorkOrderView> {
    await this.requireVisible(id);
    return this.view(id, true);
  }

  // ---- internals

  private async requireVisible(id: string): Promise<WorkOrderRow> {
    const row = await this.orders.row(id, await this.access.visibility());
    if (!row) throw new AppException(WorkOrderErrors.NOT_FOUND);
    return row;
  }

  /** The signed-in user's staff record must be the student's ACTIVE enterprise mentor (R-TRN-3). */
  private async requireEnterpriseMentor(studentId: string): Promise<string> {
    const me = await this.access.me();
    const mentor = await this.practice.activeEnterpriseMentor(studentId);
    if (!me || !mentor || me.id !== mentor) throw new AppException(WorkOrderErrors.NOT_ENTERPRISE_MENTOR);
    return me.id;
  }

  private async lock(id: string, allowed: WorkOrderStatus[], action: Action): Promise<WorkOrder> {
    const o = await this.orders.findForUpdate(id);
    if (!o) throw new AppException(WorkOrderErrors.NOT_FOUND);
    if (!allowed.includes(o.status)) {
      throw new AppException(WorkOrderErrors.BAD_STATUS, { status: o.status, statusZh: STATUS_ZH[o.status], action: ACTION_EN[action], actionZh: ACTION_ZH[action] });
    }
    return o;
  }

  private async transition(o: WorkOrder, to: WorkOrderStatus, action: string): Promise<void> {
    const before = snapshot(o);
    o.status = to;
    const saved = await this.orders.save(o);
    await this.audit.record({ entity: 'work-order', entityId: o.id, action, before, after: snapshot(saved) });
  }

  private async view(id: string, withHistory: boolean): Promise<WorkOrderView> {
    const row = await this.orders.row(id, {});
    if (!row) throw new AppException(WorkOrderErrors.NOT_FOUND);
    return toView(row, withHistory ? await this.orders.history(id) : undefined);
  }
}
