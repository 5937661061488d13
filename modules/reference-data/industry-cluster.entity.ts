import { Column, Entity, PrimaryColumn } from 'typeorm';

/** R-PRG-1: one of Guangdong's twenty 双十 strategic industry clusters. */
@Entity('industry_clusters')
export class IndustryCluster {
  @PrimaryColumn({ type: 'varchar' })
  code: string;

  @Column({ type: 'varchar' })
  kind: 'pillar' | 'emerging';

  @Column({ name: 'name_zh', type: 'varchar' })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar' })
  nameEn: string;

  @Column({ name: 'sort_order', type: 'smallint' })
  sortOrder: number;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom: string | null;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;
}
