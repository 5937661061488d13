import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const SITES = ['enterprise', 'learning-factory'] as const;
export type Site = (typeof SITES)[number];
export const HOURS_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export type HoursStatus = (typeof HOURS_STATUSES)[number];

/** A student at a partner enterprise's site or the learning factory for one practice stage of the plan (R-TRN-4). */
@Entity('placements')
export class Placement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'student_id', type: 'uuid' }) studentId: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId: string;
  @Column({ name: 'enterprise_id', type: 'uuid' }) enterpriseId: string;
  @Column({ type: 'varchar' }) site: Site;
  @Column({ type: 'varchar' }) post: string;
  @Column({ name: 'offering_id', type: 'uuid', nullable: true }) offeringId: string | null;
  @Column({ name: 'training_plan_id', type: 'uuid' }) trainingPlanId: string;
  @Column({ name: 'stage_index', type: 'integer' }) stageIndex: number;
  @Column({ name: 'stage_name', type: 'varchar' }) stageName: string;
  @Column({ name: 'planned_hours', type: 'integer' }) plannedHours: number;
  @Column({ name: 'starts_on', type: 'date' }) startsOn: string;
  @Column({ name: 'ends_on', type: 'date' }) endsOn: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One span of practice work on one China date: [startsAt, endsAt), ending by 24:00. */
@Entity('practice_hours_entries')
export class HoursEntry {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'placement_id', type: 'uuid' }) placementId: string;
  @Column({ name: 'student_id', type: 'uuid' }) studentId: string;
  @Column({ name: 'work_date', type: 'date' }) workDate: string;
  @Column({ name: 'starts_at', type: 'time' }) startsAt: string;
  @Column({ name: 'ends_at', type: 'time' }) endsAt: string;
  @Column({ type: 'numeric', insert: false, update: false }) hours: string;
  @Column({ type: 'text' }) activity: string;
  @Column({ type: 'varchar' }) status: HoursStatus;
  @Column({ name: 'rejection_reason', type: 'varchar', nullable: true }) rejectionReason: string | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'logged_by', type: 'uuid', nullable: true }) loggedBy: string | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
