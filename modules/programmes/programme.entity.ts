import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { PilotStatus } from './domain/pilot-status';

/** R-PRG-4: what makes a programme a priority candidate. */
export const PRIORITY_EXPERIENCE_KINDS = ['technician-class', 'preparatory-technician-class', 'worldskills-conversion'] as const;
export type PriorityExperienceKind = (typeof PRIORITY_EXPERIENCE_KINDS)[number];

export interface PriorityExperience {
  kind: PriorityExperienceKind;
  description: string;
  /** the evidence (documents, cohorts, results); an entry without evidence does not count */
  evidence: string;
  year: number | null;
}

/** A programme (专业) of one college: a tenant table (RLS on tenant_id). */
@Entity('programmes')
export class Programme {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'varchar' })
  code: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ name: 'occupation_code', type: 'varchar' })
  occupationCode: string;

  @Column({ name: 'occupation_name', type: 'varchar' })
  occupationName: string;

  /** R-PRG-1: 双十 industry clusters (reference-data codes) */
  @Column({ name: 'cluster_codes', type: 'text', array: true })
  clusterCodes: string[];

  @Column({ name: 'talent_gap_evidence', type: 'text', nullable: true })
  talentGapEvidence: string | null;

  @Column({ name: 'talent_gap_number', type: 'integer', nullable: true })
  talentGapNumber: number | null;

  @Column({ name: 'priority_experience', type: 'jsonb' })
  priorityExperience: PriorityExperience[];

  @Column({ name: 'pilot_status', type: 'varchar' })
  pilotStatus: PilotStatus;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
