import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Visibility, visibilitySql } from '../practice';
import { PanelMember, Project, ProjectMilestone } from './project.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProjectRow {
  id: string;
  studentId: string;
  studentName: string;
  topic: string;
  summary: string;
  collegeApprovedBy: string | null;
  collegeApproverName: string | null;
  collegeApprovedAt: Date | null;
  enterpriseApprovedBy: string | null;
  enterpriseApproverName: string | null;
  enterpriseApprovedAt: Date | null;
  midCheckOn: string | null;
  midCheckResult: string | null;
  midCheckComment: string | null;
  defenceOn: string | null;
  defenceScore: string | null;
  defenceResult: string | null;
  defenceComment: string | null;
  version: number;
}

export interface PanelRow {
  staffMemberId: string;
  name: string;
  role: string;
  score: number;
  comment: string | null;
}

const SELECT_ROW = `
  SELECT pr.id, pr.student_id AS "studentId", st.name AS "studentName", pr.topic, pr.summary,
         pr.college_approved_by AS "collegeApprovedBy", ca.name AS "collegeApproverName", pr.college_approved_at AS "collegeApprovedAt",
         pr.enterprise_approved_by AS "enterpriseApprovedBy", ea.name AS "enterpriseApproverName", pr.enterprise_approved_at AS "enterpriseApprovedAt",
         pr.mid_check_on::text AS "midCheckOn", pr.mid_check_result AS "midCheckResult", pr.mid_check_comment AS "midCheckComment",
         pr.defence_on::text AS "defenceOn", pr.defence_score::text AS "defenceScore", pr.defence_result AS "defenceResult",
         pr.defence_comment AS "defenceComment", pr.version
  FROM projects pr
  JOIN students st ON st.tenant_id = pr.tenant_id AND st.id = pr.student_id
  LEFT JOIN staff_members ca ON ca.tenant_id = pr.tenant_id AND ca.id = pr.college_approved_by
  LEFT JOIN staff_members ea ON ea.tenant_id = pr.tenant_id AND ea.id = pr.enterprise_approved_by`;

/** An enterprise admin sees the projects of students placed at, or mentored by, their enterprise. */
const concernsEnterprise = (param: string) => `(
  EXISTS (SELECT 1 FROM placements vp WHERE vp.tenant_id = pr.tenant_id AND vp.student_id = pr.student_id AND vp.enterprise_id = ${param})
  OR EXISTS (SELECT 1 FROM mentorships vm JOIN staff_members vs ON vs.tenant_id = vm.tenant_id AND vs.id = vm.staff_member_id
             WHERE vm.tenant_id = pr.tenant_id AND vm.student_id = pr.student_id AND vm.side = 'enterprise' AND vm.ended_on IS NULL
               AND vs.enterprise_id = ${param}))`;

/** All SQL on `projects`, `project_milestones` and `project_panel_members`. */
@Injectable()
export class ProjectsRepository extends TenantScopedRepository<Project> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Project);
  }

  private get milestones() {
    return this.manager.getRepository(ProjectMilestone);
  }

  private get panel() {
    return this.manager.getRepository(PanelMember);
  }

  /** Issue 5's derived stage (students_v.lifecycle_status: … senior-worker-stage, technician-stage …). */
  async student(id: string): Promise<{ id: string; name: string; lifecycleStatus: string } | undefined> {
    const rows = await this.manager.query(
      `SELECT id, name, lifecycle_status AS "lifecycleStatus" FROM students_v WHERE tenant_id = $1 AND id = $2`,
      [this.tenant.requireTenantId(), id],
    );
    return rows[0];
  }

  /** The student's active mentors by side (R-TRN-3). */
  async activeMentors(studentId: string): Promise<{ college?: string; enterprise?: string }> {
    const rows: { side: 'college' | 'enterprise'; id: string }[] = await this.manager.query(
      `SELECT side, staff_member_id AS id FROM mentorships WHERE tenant_id = $1 AND student_id = $2 AND ended_on IS NULL`,
      [this.tenant.requireTenantId(), studentId],
    );
    return Object.fromEntries(rows.map((r) => [r.side, r.id]));
  }

  async existsFor(studentId: string): Promise<boolean> {
    return (await this.repo.count({ where: this.where({ studentId }) })) > 0;
  }

  insert(values: Pick<Project, 'studentId' | 'topic' | 'summary' | 'createdBy'>): Promise<Project> {
    return this.repo.save(this.repo.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  findForUpdate(id: string): Promise<Project | null> {
    return this.repo
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.tenantId = :tenantId AND p.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  save(p: Project): Promise<Project> {
    if (p.tenantId !== this.tenant.requireTenantId()) throw new Error('project of another tenant');
    return this.repo.save(p);
  }

  async row(id: string, v: Visibility): Promise<ProjectRow | undefined> {
    const params: unknown[] = [this.tenant.requireTenantId(), id];
    const extra = visibilitySql(v, params, 'pr.student_id', concernsEnterprise);
    return (await this.manager.query(`${SELECT_ROW} WHERE pr.tenant_id = $1 AND pr.id = $2${extra}`, params))[0];
  }

  /** By student name (keyset on name, id). */
  list(filter: { studentId?: string; limit: number; cursor?: string }, v: Visibility): Promise<ProjectRow[]> {
    const params: unknown[] = [this.tenant.requireTenantId()];
    let where = 'pr.tenant_id = $1';
    if (filter.studentId) {
      params.push(filter.studentId);
      where += ` AND pr.student_id = $${params.length}`;
    }
    where += visibilitySql(v, params, 'pr.student_id', concernsEnterprise);
    const after = decodeCursor(filter.cursor, 2);
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) throw new AppException(PaginationErrors.BAD_CURSOR);
    if (after) {
      params.push(after[0], after[1]);
      where += ` AND (st.name, pr.id) > ($${params.length - 1}, $${params.length}::uuid)`;
    }
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT_ROW} WHERE ${where} ORDER BY st.name, pr.id LIMIT $${params.length}`, params);
  }

  milestonesOf(projectId: string): Promise<ProjectMilestone[]> {
    return this.milestones.find({ where: { tenantId: this.tenant.requireTenantId(), projectId }, order: { dueOn: 'ASC', id: 'ASC' } });
  }

  insertMilestone(values: Pick<ProjectMilestone, 'projectId' | 'title' | 'dueOn' | 'doneOn' | 'notes'>): Promise<ProjectMilestone> {
    return this.milestones.save(this.milestones.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  findMilestone(projectId: string, id: string): Promise<ProjectMilestone | null> {
    return this.milestones.findOne({ where: { tenantId: this.tenant.requireTenantId(), projectId, id } });
  }

  saveMilestone(m: ProjectMilestone): Promise<ProjectMilestone> {
    if (m.tenantId !== this.tenant.requireTenantId()) throw new Error('milestone of another tenant');
    return this.milestones.save(m);
  }

  insertPanelMember(values: Pick<PanelMember, 'projectId' | 'staffMemberId' | 'role' | 'score' | 'comment'>): Promise<PanelMember> {
    return this.panel.save(this.panel.create({ ...values, tenantId: this.tenant.requireTenantId() }));
  }

  panelOf(projectId: string): Promise<PanelRow[]> {
    return this.manager.query(
      `SELECT pm.staff_member_id AS "staffMemberId", sm.name, pm.role, pm.score, pm.comment
       FROM project_panel_members pm JOIN staff_members sm ON sm.tenant_id = pm.tenant_id AND sm.id = pm.staff_member_id
       WHERE pm.tenant_id = $1 AND pm.project_id = $2 ORDER BY pm.role, sm.name`,
      [this.tenant.requireTenantId(), projectId],
    );
  }
}
