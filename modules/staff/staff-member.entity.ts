import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const STAFF_SIDES = ['college', 'enterprise'] as const;
export type StaffSide = (typeof STAFF_SIDES)[number];
export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];
/** theory 讲师系列 / practice 实习指导教师系列 (technician colleges), engineering 工程技术系列 (enterprises) */
export const TITLE_SERIES = ['theory', 'practice', 'engineering', 'other'] as const;
export type TitleSeries = (typeof TITLE_SERIES)[number];
export const STAFF_STATUSES = ['active', 'left'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];
/** An enterprise mentor added by the college waits for the enterprise's admin. */
export const CONFIRMATIONS = ['pending-confirmation', 'confirmed', 'rejected'] as const;
export type Confirmation = (typeof CONFIRMATIONS)[number];

export interface Certificate {
  name: string;
  level: string | null;
  number: string | null;
  issuedOn: string | null;
  attachmentId: string | null;
}

/** A college teacher or an enterprise mentor of one college (tenant table `staff_members`). */
@Entity('staff_members')
export class StaffMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'varchar' })
  side: StaffSide;

  @Column({ name: 'enterprise_id', type: 'uuid', nullable: true })
  enterpriseId: string | null;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'varchar' })
  gender: Gender;

  @Column({ name: 'title_series', type: 'varchar', nullable: true })
  titleSeries: TitleSeries | null;

  @Column({ name: 'title_name', type: 'varchar', nullable: true })
  titleName: string | null;

  @Column({ name: 'title_level_code', type: 'varchar', nullable: true })
  titleLevelCode: string | null;

  @Column({ name: 'skill_level_code', type: 'varchar', nullable: true })
  skillLevelCode: string | null;

  @Column({ type: 'varchar' })
  field: string;

  @Column({ type: 'jsonb' })
  certificates: Certificate[];

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar' })
  status: StaffStatus;

  @Column({ name: 'left_on', type: 'date', nullable: true })
  leftOn: string | null;

  @Column({ name: 'left_reason', type: 'varchar', nullable: true })
  leftReason: string | null;

  @Column({ type: 'varchar' })
  confirmation: Confirmation;

  @Column({ name: 'rejection_reason', type: 'varchar', nullable: true })
  rejectionReason: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
