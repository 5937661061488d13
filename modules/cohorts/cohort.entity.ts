import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const COHORT_STATUSES = ['planned', 'started', 'completed'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];
export const TRACK_CODES = ['junior-high', 'senior-high', 'secondary-vocational', 'higher-vocational', 'bachelor-plus', 'flexible'] as const;
export type TrackCode = (typeof TRACK_CODES)[number];
/** Entry levels are named after the fixed track they lead to (R-TRK-1). */
export const ENTRY_LEVELS = ['junior-high', 'senior-high', 'secondary-vocational', 'higher-vocational', 'bachelor-plus'] as const;
export type EntryLevel = (typeof ENTRY_LEVELS)[number];

/** A technician class (学制技师班, tenant table `cohorts`). Stage end and graduation are generated columns. */
@Entity('cohorts')
export class Cohort {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @Column({ name: 'plan_version_id', type: 'uuid' })
  planVersionId: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ name: 'intake_year', type: 'smallint' })
  intakeYear: number;

  @Column({ name: 'track_code', type: 'varchar' })
  trackCode: TrackCode;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'duration_months', type: 'smallint' })
  durationMonths: number;

  @Column({ name: 'senior_worker_stage_months', type: 'smallint' })
  seniorWorkerStageMonths: number;

  @Column({ name: 'flexible_justification', type: 'text', nullable: true })
  flexibleJustification: string | null;

  @Column({ name: 'assistant_engineer', type: 'boolean' })
  assistantEngineer: boolean;

  @Column({ name: 'senior_worker_stage_end', type: 'date', nullable: true, insert: false, update: false })
  seniorWorkerStageEnd: string | null;

  @Column({ name: 'expected_graduation', type: 'date', insert: false, update: false })
  expectedGraduation: string;

  @Column({ type: 'varchar' })
  status: CohortStatus;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'started_by', type: 'uuid', nullable: true })
  startedBy: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
