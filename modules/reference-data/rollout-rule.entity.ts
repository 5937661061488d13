import { Column, Entity, PrimaryColumn } from 'typeorm';

/** R-COL-2: from `fromYear` until the next rule, these tiers may be candidates. */
@Entity('rollout_rules')
export class RolloutRuleRow {
  @PrimaryColumn({ name: 'from_year', type: 'smallint' })
  fromYear: number;

  @Column({ type: 'varchar', array: true })
  tiers: string[];

  @Column({ name: 'note_zh', type: 'varchar', nullable: true })
  noteZh: string | null;
}
