import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** Revenue bands (营业收入) with their Chinese labels. */
export const REVENUE_BANDS = ['below-20m', '20m-400m', '400m-2b', '2b-10b', 'over-10b'] as const;
export type RevenueBand = (typeof REVENUE_BANDS)[number];
export const REVENUE_BAND_LABELS: Record<RevenueBand, string> = {
  'below-20m': '2000万元以下',
  '20m-400m': '2000万元至4亿元',
  '400m-2b': '4亿元至20亿元',
  '2b-10b': '20亿元至100亿元',
  'over-10b': '100亿元以上',
};

/** The province-wide registry row (R-ENT-0): one per USCC. Control plane (no tenant RLS). */
@Entity('enterprises')
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar' })
  uscc: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'varchar', nullable: true })
  industry: string | null;

  @Column({ name: 'cluster_codes', type: 'text', array: true })
  clusterCodes: string[];

  @Column({ type: 'integer', nullable: true })
  headcount: number | null;

  @Column({ name: 'revenue_band', type: 'varchar', nullable: true })
  revenueBand: RevenueBand | null;

  @Column({ type: 'text', nullable: true })
  standing: string | null;

  @Column({ type: 'varchar', nullable: true })
  address: string | null;

  @Column({ name: 'contact_name', type: 'varchar', nullable: true })
  contactName: string | null;

  @Column({ name: 'contact_phone', type: 'varchar', nullable: true })
  contactPhone: string | null;

  @Column({ name: 'values_skills_training', type: 'boolean' })
  valuesSkillsTraining: boolean;

  @Column({ name: 'values_skills_training_note', type: 'text', nullable: true })
  valuesSkillsTrainingNote: string | null;

  @Column({ name: 'takes_part_in_assessment', type: 'boolean' })
  takesPartInAssessment: boolean;

  @Column({ name: 'can_place_graduates', type: 'boolean' })
  canPlaceGraduates: boolean;

  @Column({ name: 'can_place_graduates_note', type: 'text', nullable: true })
  canPlaceGraduatesNote: string | null;

  @Column({ name: 'uscc_override_reason', type: 'varchar', nullable: true })
  usccOverrideReason: string | null;

  @Column({ name: 'uscc_override_by', type: 'uuid', nullable: true })
  usccOverrideBy: string | null;

  @Column({ name: 'uscc_override_at', type: 'timestamptz', nullable: true })
  usccOverrideAt: Date | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The profile fields an enterprise admin edits and a college may propose changes to. */
export const PROFILE_FIELDS = [
  'name',
  'industry',
  'clusterCodes',
  'headcount',
  'revenueBand',
  'standing',
  'address',
  'contactName',
  'contactPhone',
  'valuesSkillsTraining',
  'valuesSkillsTrainingNote',
  'takesPartInAssessment',
  'canPlaceGraduates',
  'canPlaceGraduatesNote',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type ProfileChanges = Partial<Pick<Enterprise, ProfileField>>;
