import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const MID_CHECK_RESULTS = ['pass', 'needs-improvement'] as const;
export type MidCheckResult = (typeof MID_CHECK_RESULTS)[number];
export const DEFENCE_RESULTS = ['pass', 'fail'] as const;
export type DefenceResult = (typeof DEFENCE_RESULTS)[number];
export const PANEL_ROLES = ['college-mentor', 'enterprise-mentor', 'expert'] as const;
export type PanelRole = (typeof PANEL_ROLES)[number];

/** 课题选题 / 项目研修 / 答辩评审 of one technician-stage student (R-TRN-3). */
@Entity('projects')
export class Project {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'student_id', type: 'uuid' }) studentId: string;
  @Column({ type: 'varchar' }) topic: string;
  @Column({ type: 'text' }) summary: string;
  @Column({ name: 'college_approved_by', type: 'uuid', nullable: true }) collegeApprovedBy: string | null;
  @Column({ name: 'college_approved_at', type: 'timestamptz', nullable: true }) collegeApprovedAt: Date | null;
  @Column({ name: 'enterprise_approved_by', type: 'uuid', nullable: true }) enterpriseApprovedBy: string | null;
  @Column({ name: 'enterprise_approved_at', type: 'timestamptz', nullable: true }) enterpriseApprovedAt: Date | null;
  @Column({ name: 'mid_check_on', type: 'date', nullable: true }) midCheckOn: string | null;
  @Column({ name: 'mid_check_result', type: 'varchar', nullable: true }) midCheckResult: MidCheckResult | null;
  @Column({ name: 'mid_check_comment', type: 'text', nullable: true }) midCheckComment: string | null;
  @Column({ name: 'defence_on', type: 'date', nullable: true }) defenceOn: string | null;
  @Column({ name: 'defence_score', type: 'numeric', nullable: true }) defenceScore: string | null;
  @Column({ name: 'defence_result', type: 'varchar', nullable: true }) defenceResult: DefenceResult | null;
  @Column({ name: 'defence_comment', type: 'text', nullable: true }) defenceComment: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('project_milestones')
export class ProjectMilestone {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ type: 'varchar' }) title: string;
  @Column({ name: 'due_on', type: 'date' }) dueOn: string;
  @Column({ name: 'done_on', type: 'date', nullable: true }) doneOn: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('project_panel_members')
export class PanelMember {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId: string;
  @Column({ name: 'staff_member_id', type: 'uuid' }) staffMemberId: string;
  @Column({ type: 'varchar' }) role: PanelRole;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text', nullable: true }) comment: string | null;
}
