import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const WORK_ORDER_KINDS = ['equipment-operation', 'process-optimisation', 'technical-problem', 'other'] as const;
export type WorkOrderKind = (typeof WORK_ORDER_KINDS)[number];
/** DOMAIN §5: issued → in-progress → submitted → accepted | rejected (→ in-progress at once; the rejection stays in the history) */
export const WORK_ORDER_STATUSES = ['issued', 'in-progress', 'submitted', 'accepted'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export const EVENT_KINDS = ['issued', 'record', 'submitted', 'accepted', 'rejected'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** 任务工单 (R-ENT-3): issued by the student's enterprise mentor in a placement. */
@Entity('work_orders')
export class WorkOrder {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'placement_id', type: 'uuid' }) placementId: string;
  @Column({ name: 'student_id', type: 'uuid' }) studentId: string;
  @Column({ name: 'issued_by', type: 'uuid' }) issuedBy: string;
  @Column({ type: 'varchar' }) title: string;
  @Column({ type: 'varchar' }) kind: WorkOrderKind;
  @Column({ type: 'text' }) description: string;
  @Column({ name: 'skill_standard_items', type: 'text', array: true }) skillStandardItems: string[];
  @Column({ name: 'due_on', type: 'date' }) dueOn: string;
  @Column({ name: 'expected_hours', type: 'numeric' }) expectedHours: string;
  @Column({ type: 'varchar' }) status: WorkOrderStatus;
  @Column({ type: 'integer' }) rejections: number;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) score: number | null;
  @Column({ name: 'acceptance_comment', type: 'text', nullable: true }) acceptanceComment: string | null;
  @Column({ name: 'accepted_by', type: 'uuid', nullable: true }) acceptedBy: string | null;
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** 过程记录 and every step of the life cycle, append-only: the archive R-ENT-3 asks for. */
@Entity('work_order_events')
export class WorkOrderEvent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'work_order_id', type: 'uuid' }) workOrderId: string;
  @Column({ type: 'varchar' }) kind: EventKind;
  @Column({ type: 'text', nullable: true }) text: string | null;
  @Column({ type: 'numeric' }) hours: string;
  @Column({ name: 'attachment_ids', type: 'uuid', array: true }) attachmentIds: string[];
  @Column({ type: 'integer', nullable: true }) score: number | null;
  @Column({ name: 'staff_member_id', type: 'uuid', nullable: true }) staffMemberId: string | null;
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true }) recordedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
