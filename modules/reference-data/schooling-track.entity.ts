import { Column, Entity, PrimaryColumn } from 'typeorm';

/** R-TRK-1 / R-TRK-2: a schooling track by entry level, or the flexible track. */
@Entity('schooling_tracks')
export class SchoolingTrack {
  @PrimaryColumn({ type: 'varchar' })
  code: string;

  @Column({ name: 'entry_level_zh', type: 'varchar' })
  entryLevelZh: string;

  @Column({ name: 'entry_level_en', type: 'varchar' })
  entryLevelEn: string;

  /** null for the flexible track: each cohort sets its own */
  @Column({ type: 'smallint', nullable: true })
  years: number | null;

  /** 0 = no senior-worker stage; null for the flexible track */
  @Column({ name: 'senior_worker_stage_years', type: 'smallint', nullable: true })
  seniorWorkerStageYears: number | null;

  @Column({ type: 'boolean' })
  flexible: boolean;

  @Column({ name: 'sort_order', type: 'smallint' })
  sortOrder: number;
}
