import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** R-EVA-3 ①: national 技师 / level-2 vocational skill certificate; ②: industry- or enterprise-recognised technician-level certificate. */
export const CERTIFICATE_KINDS = ['national-technician', 'vocational-level-2', 'industry-technician', 'enterprise-technician'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
export const CERTIFICATE_STATUSES = ['unverified', 'verified', 'rejected'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const KIND_ZH: Record<CertificateKind, string> = {
  'national-technician': '技师职业资格证书',
  'vocational-level-2': '二级职业技能等级证书',
  'industry-technician': '行业认可技师级证书',
  'enterprise-technician': '企业认可技师级证书',
};
export const ROUTE_OF: Record<CertificateKind, '①' | '②'> = {
  'national-technician': '①',
  'vocational-level-2': '①',
  'industry-technician': '②',
  'enterprise-technician': '②',
};

@Entity('certificates')
export class Certificate {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'student_id', type: 'uuid' }) studentId: string;
  @Column({ type: 'varchar' }) kind: CertificateKind;
  @Column({ type: 'varchar' }) occupation: string;
  @Column({ type: 'varchar' }) level: string;
  @Column({ type: 'varchar' }) number: string;
  @Column({ type: 'varchar' }) issuer: string;
  @Column({ name: 'issued_on', type: 'date' }) issuedOn: string;
  @Column({ name: 'attachment_id', type: 'uuid', nullable: true }) attachmentId: string | null;
  @Column({ type: 'varchar' }) status: CertificateStatus;
  @Column({ name: 'reject_reason', type: 'varchar', nullable: true }) rejectReason: string | null;
  @Column({ name: 'verified_by', type: 'uuid', nullable: true }) verifiedBy: string | null;
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
