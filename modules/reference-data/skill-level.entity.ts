import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rung of the national vocational skill ladder (学徒工 … 首席技师). */
@Entity('skill_levels')
export class SkillLevel {
  @PrimaryColumn({ type: 'varchar' })
  code: string;

  @Column({ type: 'smallint' })
  rank: number;

  /** 5…1 for 五级…一级; null off the five-level scale */
  @Column({ name: 'national_level', type: 'smallint', nullable: true })
  nationalLevel: number | null;

  @Column({ name: 'name_zh', type: 'varchar' })
  nameZh: string;

  /** R-EVA-2 / R-EVA-3: 技师 (level 2) or higher */
  @Column({ name: 'technician_or_above', type: 'boolean' })
  technicianOrAbove: boolean;
}
