import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const OFFERING_KINDS = ['post', 'project'] as const;
export type OfferingKind = (typeof OFFERING_KINDS)[number];

/** R-ENT-3: a practice post or technical project an enterprise offers one college (tenant table). */
@Entity('enterprise_offerings')
export class Offering {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'varchar' })
  kind: OfferingKind;

  @Column({ type: 'varchar' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'skill_items', type: 'text', array: true })
  skillItems: string[];

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ name: 'programme_id', type: 'uuid', nullable: true })
  programmeId: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
