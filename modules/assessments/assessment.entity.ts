import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Scoring, SheetKind } from './domain/items';

export const SHEET_STATUSES = ['draft', 'submitted'] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number];

/** One assessment item of a cohort's plan version (R-EVA-3). Results live in `assessment_results`, versioned. */
@Entity('assessment_sheets')
export class AssessmentSheet {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'cohort_id', type: 'uuid' }) cohortId: string;
  @Column({ name: 'plan_version_id', type: 'uuid' }) planVersionId: string;
  @Column({ name: 'item_key', type: 'varchar' }) itemKey: string;
  @Column({ type: 'varchar' }) kind: SheetKind;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar' }) scoring: Scoring;
  @Column({ name: 'pass_mark', type: 'numeric', nullable: true }) passMark: string | null;
  @Column({ name: 'stage_index', type: 'integer', nullable: true }) stageIndex: number | null;
  @Column({ type: 'varchar' }) status: SheetStatus;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ name: 'reopened_at', type: 'timestamptz', nullable: true }) reopenedAt: Date | null;
  @Column({ name: 'reopened_by', type: 'uuid', nullable: true }) reopenedBy: string | null;
  @Column({ name: 'reopen_reason', type: 'varchar', nullable: true }) reopenReason: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
