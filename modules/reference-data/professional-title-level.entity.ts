import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A professional title band (员级 … 正高级). */
@Entity('professional_title_levels')
export class ProfessionalTitleLevel {
  @PrimaryColumn({ type: 'varchar' })
  code: string;

  @Column({ type: 'smallint' })
  rank: number;

  @Column({ name: 'name_zh', type: 'varchar' })
  nameZh: string;

  @Column({ name: 'band_zh', type: 'varchar' })
  bandZh: string;

  /** R-EVA-2: 副高级 or 正高级 */
  @Column({ type: 'boolean' })
  senior: boolean;

  @Column({ name: 'college_theory_title', type: 'varchar', nullable: true })
  collegeTheoryTitle: string | null;

  @Column({ name: 'college_practice_title', type: 'varchar', nullable: true })
  collegePracticeTitle: string | null;
}
