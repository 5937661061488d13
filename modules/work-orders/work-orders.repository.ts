import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Visibility, visibilitySql } from '../practice';
import { EventKind, WorkOrder, WorkOrderEvent, WorkOrderKind, WorkOrderStatus } from './work-order.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WorkOrderRow {
  id: string;
  placementId: string;
  studentId: string;
  studentName: string;
  issuedBy: string;
  issuedByName: string;
  title: string;
  kind: WorkOrderKind;
  description: string;
  skillStandardItems: string[];
  dueOn: string;
  expectedHours: string;
  recordedHours: string;
  status: WorkOrderStatus;
  rejections: number;
  lastRejectionReason: string | null;
  score: number | null;
  acceptanceComment: string | null;
  acceptedAt: Date | null;
  version: number;
  createdAt: Date;
}

export interface EventRow {
  id: string;
  kind: EventKind;
  text: string | null;
  hours: string;
  attachmentIds: string[];
  score: number | null;
  staffMemberId: string | null;
  staffName: string | null;
  createdAt: Date;
}

const SELECT_ROW = `
  SELECT o.id, o.placement_id AS "placementId", o.student_id AS "studentId", st.name AS "studentName", o.issued_by AS "issuedBy",
         sm.name AS "issuedByName", o.title, o.kind, o.description, o.skill_standard_items AS "skillStandardItems", o.due_on::text AS "dueOn",
         o.expected_hours::text AS "expectedHours",
         (SELECT COALESCE(sum(ev.hours), 0)::text FROM work_order_events ev WHERE ev.tenant_id = o.tenant_id AND ev.work_order_id = o.id AND ev.kind = 'record') AS "recordedHours",
         o.status, o.rejections,
         (SELECT ev.text FROM work_order_events ev WHERE ev.tenant_id = o.tenant_id AND ev.work_order_id = o.id AND ev.kind = 'rejected'
          ORDER BY ev.created_at DESC, ev.id DESC LIMIT 1) AS "lastRejectionReason",
         o.score, o.acceptance_comment AS "acceptanceComment", o.accepted_at AS "acceptedAt", o.version, o.created_at AS "createdAt"
  FROM work_orders o
  JOIN placements p ON p.tenant_id = o.tenant_id AND p.id = o.placement_id
  JOIN students st ON st.tenant_id = o.tenant_id AND st.id = o.student_id
  JOIN staff_members sm ON sm.tenant_id = o.tenant_id AND sm.id = o.issued_by`;

const placementEnterprise = (param: string) => `p.enterprise_id = ${param}`;

/** All SQL on `work_orders` and `work_order_events` (no delete: the history is the archive, R-ENT-3). */
@Injectable()
export class WorkOrdersRepository extends TenantScopedRepository<WorkOrder> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, WorkOrder);
  }

  private get events() {
    return this.manager.getRepository(WorkOrderEvent);
  }

  insert(values: Pick<WorkOrder, 'placementId' | 'studentId' | 'issuedBy' | 'title' | 'kind' | 'description' | 'skillStandardItems' | 'dueOn' | 'expectedHours'>): Promise<WorkOrder> {
    return this.repo.save(this.repo.create({ ...values, status: 'issued', rejections: 0, tenantId: this.tenant.requireTenantId() }));
  }

  findForUpdate(id: string): Promise<WorkOrder | null> {
    return this.repo
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.tenantId = :tenantId AND o.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  save(o: WorkOrder): Promise<WorkOrder> {
    if (o.tenantId !== this.tenant.requireTenantId()) throw new Error('work order of another tenant');
    return this.repo.save(o);
  }

  appendEvent(values: Pick<WorkOrderEvent, 'workOrderId' | 'kind' | 'text' | 'staffMemberId' | 'recordedBy'> & Partial<Pick<WorkOrderEvent, 'hours' | 'attachmentIds' | 'score'>>) {
    return this.events.save(
      this.events.create({ hours: '0', attachmentIds: [], score: null, ...values, tenantId: this.tenant.requireTenantId() }),
    );
  }

  async countRecords(id: string): Promise<number> {
    const rows = await this.manager.query(
      `SELECT count(*)::int AS n FROM work_order_events WHERE tenant_id = $1 AND work_order_id = $2 AND kind = 'record'`,
      [this.tenant.requireTenantId(), id],
    );
    return rows[0].n;
  }

  async row(id: string, v: Visibility): Promise<WorkOrderRow | undefined> {
    const params: unknown[] = [this.tenant.requireTenantId(), id];
    const extra = visibilitySql(v, params, 'o.student_id', placementEnterprise);
    return (await this.manager.query(`${SELECT_ROW} WHERE o.tenant_id = $1 AND o.id = $2${extra}`, params))[0];
  }

  /** Newest first (keyset on created_at desc, id desc). */
  list(filter: { placementId?: string; studentId?: string; status?: WorkOrderStatus; limit: number; cursor?: string }, v: Visibility): Promise<WorkOrderRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId()];
    let where = 'o.tenant_id = $1';
    for (const [col, value] of [
      ['o.placement_id', filter.placementId],
      ['o.student_id', filter.studentId],
      ['o.status', filter.status],
    ] as const) {
      if (value) {
        params.push(value);
        where += ` AND ${col} = $${params.length}`;
      }
    }
    where += visibilitySql(v, params, 'o.student_id', placementEnterprise);
    const after = decodeCursor(filter.cursor, 2);
    if (after && (typeof after[0] !== 'string' || Number.isNaN(Date.parse(after[0])) || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where += ` AND (o.created_at, o.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT_ROW} WHERE ${where} ORDER BY o.created_at DESC, o.id DESC LIMIT $${params.length}`, params);
  }

  history(id: string): Promise<EventRow[]> {
    return this.manager.query(
      `SELECT ev.id, ev.kind, ev.text, ev.hours::text AS hours, ev.attachment_ids AS "attachmentIds", ev.score,
              ev.staff_member_id AS "staffMemberId", sm.name AS "staffName", ev.created_at AS "createdAt"
       FROM work_order_events ev LEFT JOIN staff_members sm ON sm.tenant_id = ev.tenant_id AND sm.id = ev.staff_member_id
       WHERE ev.tenant_id = $1 AND ev.work_order_id = $2 ORDER BY ev.created_at, ev.id`,
      [this.tenant.requireTenantId(), id],
    );
  }
}
