import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** What is recorded; the stage is derived (students_v.lifecycle_status, DOMAIN §5). */
export const RECORDED_STATUSES = ['admitted', 'enrolled', 'graduated', 'streamed-out', 'withdrawn'] as const;
export type RecordedStatus = (typeof RECORDED_STATUSES)[number];
/** DOMAIN §5 as shown: the enrolled state reads as the stage the cohort's dates put the student in. */
export const LIFECYCLE_STATUSES = ['admitted', 'senior-worker-stage', 'technician-stage', 'graduated', 'streamed-out', 'withdrawn'] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];
export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];
export const STREAMING_DECISIONS = ['continue', 'senior-worker-route', 'leave'] as const;
export type StreamingDecision = (typeof STREAMING_DECISIONS)[number];

/** A student of one college (tenant table `students`); ID and mobile numbers only encrypted and masked. */
@Entity('students')
export class Student {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'cohort_id', type: 'uuid' })
  cohortId: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'varchar' })
  status: RecordedStatus;

  @Column({ name: 'enrolled_on', type: 'date', nullable: true })
  enrolledOn: string | null;

  @Column({ name: 'left_on', type: 'date', nullable: true })
  leftOn: string | null;

  @Column({ name: 'left_reason', type: 'varchar', nullable: true })
  leftReason: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
