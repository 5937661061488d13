import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** R-COL-1 tiers. */
export const TENANT_TIERS = ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating', 'other'] as const;
export type TenantTier = (typeof TENANT_TIERS)[number];
export type TenantStatus = 'active' | 'suspended';

/** A technician college: one tenant. Control-plane table (the auth path reads it). */
@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar' })
  code: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'varchar' })
  tier: TenantTier;

  @Column({ type: 'varchar' })
  city: string;

  @Column({ type: 'varchar' })
  status: TenantStatus;

  @Column({ name: 'suspended_reason', type: 'varchar', nullable: true })
  suspendedReason: string | null;

  @Column({ type: 'jsonb' })
  settings: Record<string, unknown>;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
