import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const FOLLOW_UP_OUTCOMES = ['employed-same', 'employed-new', 'unemployed', 'further-study', 'military', 'unreachable'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];
export const EMPLOYED_OUTCOMES: readonly FollowUpOutcome[] = ['employed-same', 'employed-new'];

export const OUTCOME_NAMES: Record<FollowUpOutcome, string> = {
  'employed-same': '就业（原单位）',
  'employed-new': '就业（新单位）',
  unemployed: '未就业',
  'further-study': '升学深造',
  military: '参军入伍',
  unreachable: '无法联系',
};

/** A graduate's employment (R-EVA-4); written through SQL in GraduatesRepository. */
@Entity('employment_records')
export class EmploymentRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'student_id', type: 'uuid' })
  studentId: string;
}
