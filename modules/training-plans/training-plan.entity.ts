import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { PlanArea, PlanContent } from './domain/plan-content';
import type { ChangeKind, PlanStatus } from './dto/plan.dto';

/**
 * One version of a programme's training plan (a tenant table). Only drafts change in
 * place; every later change is a new version, so a version cohorts use never changes.
 */
@Entity('training_plans')
export class TrainingPlan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @Column({ name: 'version_no', type: 'integer' })
  versionNo: number;

  @Column({ type: 'varchar' })
  status: PlanStatus;

  @Column({ name: 'change_kind', type: 'varchar' })
  changeKind: 'initial' | ChangeKind;

  @Column({ name: 'change_summary', type: 'text', nullable: true })
  changeSummary: string | null;

  @Column({ name: 'changed_areas', type: 'text', array: true })
  changedAreas: PlanArea[];

  @Column({ name: 'based_on_version', type: 'integer', nullable: true })
  basedOnVersion: number | null;

  @Column({ name: 'occupation_code', type: 'varchar' })
  occupationCode: string;

  @Column({ name: 'class_size', type: 'integer' })
  classSize: number;

  @Column({ type: 'jsonb' })
  content: PlanContent;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'effective_at', type: 'timestamptz', nullable: true })
  effectiveAt: Date | null;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
