import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { MenteeAccess } from '../practice';
import { StaffService } from '../staff';
import {
  AddMilestoneDto,
  ApproveTopicDto,
  CompleteMilestoneDto,
  CreateProjectDto,
  DefenceDto,
  MidCheckDto,
  ProjectListQuery,
  ProjectView,
  UpdateTopicDto,
} from './dto/project.dto';
import { PanelRole, Project } from './project.entity';
import { ProjectErrors, SIDE_ZH } from './projects.errors';
import { PanelRow, ProjectRow, ProjectsRepository } from './projects.repository';
import { ProjectMilestone } from './project.entity';
import { assertNotFuture } from '../../src/time/not-future';

const LIFECYCLE_ZH: Record<string, string> = {
  admitted: '已录取',
  'senior-worker-stage': '高级工阶段',
  'technician-stage': '技师阶段',
  graduated: '已毕业',
  'streamed-out': '已分流',
  withdrawn: '已退学',
};

function toView(r: ProjectRow, milestones: ProjectMilestone[], panel: PanelRow[]): ProjectView {
  const approval = (by: string | null, name: string | null, at: Date | null) => (by && at ? { by: { id: by, name: name ?? '' }, at: new Date(at).toISOString() } : null);
  return {
    id: r.id,
    student: { id: r.studentId, name: r.studentName },
    topic: r.topic,
    summary: r.summary,
    approvals: {
      college: approval(r.collegeApprovedBy, r.collegeApproverName, r.collegeApprovedAt),
      enterprise: approval(r.enterpriseApprovedBy, r.enterpriseApproverName, r.enterpriseApprovedAt),
    },
    topicApproved: !!r.collegeApprovedBy && !!r.enterpriseApprovedBy,
    milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn, notes: m.notes })),
    midCheck: r.midCheckOn ? { on: r.midCheckOn, result: r.midCheckResult!, comment: r.midCheckComment } : null,
    defence: r.defenceOn
      ? {
          on: r.defenceOn,
          result: r.defenceResult!,
          score: r.defenceScore === null ? null : Number(r.defenceScore),
          comment: r.defenceComment,
          panel: panel.map((p) => ({ member: { id: p.staffMemberId, name: p.name }, role: p.role as PanelRole, score: p.score, comment: p.comment })),
        }
      : null,
    version: r.version,
  };
}

const snapshot = (p: Project) => ({
  topic: p.topic,
  collegeApprovedBy: p.collegeApprovedBy,
  enterpriseApprovedBy: p.enterpriseApprovedBy,
  midCheckResult: p.midCheckResult,
  defenceResult: p.defenceResult,
});

/**
 * R-TRN-3: both mentors guide topic selection, project study and the defence review.
 * Each technician-stage student has one project; its topic needs the approval of BOTH
 * active mentors (two approvals recorded) before study (milestones, mid-check) and the
 * defence; the defence panel holds both mentors and at least one other expert.
 */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectsRepository,
    private readonly access: MenteeAccess,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(dto: CreateProjectDto): Promise<ProjectView> {
    const student = await this.projects.student(dto.studentId);
    const visibility = await this.access.visibility();
    if (!student || (visibility.staffMemberId && !Object.values(await this.projects.activeMentors(student.id)).includes(visibility.staffMemberId))) {
      throw new AppException(ProjectErrors.STUDENT_NOT_FOUND);
    }
    if (student.lifecycleStatus !== 'technician-stage') {
      throw new AppException(ProjectErrors.NOT_TECHNICIAN_STAGE, { status: LIFECYCLE_ZH[student.lifecycleStatus] ?? student.lifecycleStatus });
    }
    if (await this.projects.existsFor(student.id)) throw new AppException(ProjectErrors.ALREADY_EXISTS);
    const p = await this.projects.insert({ studentId: student.id, topic: dto.topic, summary: dto.summary, createdBy: this.context.requireActor().userId });
    await this.audit.record({ entity: 'project', entityId: p.id, action: 'create', after: snapshot(p) });
    return this.view(p.id);
  }

  @Transactional()
  async list(query: ProjectListQuery): Promise<Page<ProjectView>> {
    const rows = await this.projects.list(query, await this.access.visibility());
    const page = toPage(rows, query.limit, (r) => [r.studentName, r.id], (r) => r);
    const items: ProjectView[] = [];
    for (const r of page.items) items.push(toView(r, await this.projects.milestonesOf(r.id), r.defenceOn ? await this.projects.panelOf(r.id) : []));
    return { items, nextCursor: page.nextCursor };
  }

  @Transactional()
  async get(id: string): Promise<ProjectView> {
    await this.requireVisible(id);
    return this.view(id);
  }

  /** A new topic while not yet approved by both; any change clears the approvals given so far. */
  @Transactional()
  async updateTopic(id: string, dto: UpdateTopicDto): Promise<ProjectView> {
    const p = await this.lock(id);
    if (p.version !== dto.version) throw new AppException(CommonErrors.STALE_VERSION, { current: p.version });
    if (p.collegeApprovedBy && p.enterpriseApprovedBy) throw new AppException(ProjectErrors.TOPIC_LOCKED);
    const before = snapshot(p);
    Object.assign(p, { topic: dto.topic, summary: dto.summary, collegeApprovedBy: null, collegeApprovedAt: null, enterpriseApprovedBy: null, enterpriseApprovedAt: null });
    await this.projects.save(p);
    await this.audit.record({ entity: 'project', entityId: id, action: 'update-topic', before, after: snapshot(p) });
    return this.view(id);
  }

  /**
   * R-TRN-3: one approval per side, by the student's ACTIVE mentor of that side. A mentor
   * approves only for themselves; college admins and staff may enter the mentor's written
   * approval on their behalf (the audit entry names who entered it).
   */
  @Transactional()
  async approve(id: string, dto: ApproveTopicDto): Promise<ProjectView> {
    const p = await this.lock(id);
    const side = dto.side;
    const params = { side, sideZh: SIDE_ZH[side] };
    const mentorId = (await this.projects.activeMentors(p.studentId))[side];
    if (!mentorId) throw new AppException(ProjectErrors.NO_MENTOR, params);
    const actor = this.context.requireActor();
    if (actor.role === 'college-mentor' || actor.role === 'enterprise-mentor') {
      const me = await this.access.me();
      if (me?.id !== mentorId) throw new AppException(ProjectErrors.NOT_THE_MENTOR, params);
    }
    if ((side === 'college' ? p.collegeApprovedBy : p.enterpriseApprovedBy) !== null) throw new AppException(ProjectErrors.ALREADY_APPROVED, params);
    const before = snapshot(p);
    if (side === 'college') Object.assign(p, { collegeApprovedBy: mentorId, collegeApprovedAt: new Date() });
    else Object.assign(p, { enterpriseApprovedBy: mentorId, enterpriseApprovedAt: new Date() });
    await this.projects.save(p);
    await this.audit.record({ entity: 'project', entityId: id, action: `approve-${side}`, before, after: snapshot(p) });
    return this.view(id);
  }

  @Transactional()
  async addMilestone(id: string, dto: AddMilestoneDto): Promise<ProjectView> {
    const p = await this.lock(id);
    this.requireApproved(p, '安排项目研修里程碑', 'given milestones');
    assertNotFuture(dto.doneOn, 'doneOn', '里程碑完成日期', 'The completion date');
    const m = await this.projects.insertMilestone({ projectId: id, title: dto.title, dueOn: dto.dueOn, doneOn: dto.doneOn ?? null, notes: dto.notes ?? null });
    await this.audit.record({ entity: 'project-milestone', entityId: m.id, action: 'create', after: { projectId: id, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn } });
    return this.view(id);
  }

  @Transactional()
  async completeMilestone(id: string, milestoneId: string, dto: CompleteMilestoneDto): Promise<ProjectView> {
    await this.lock(id);
    const m = await this.projects.findMilestone(id, milestoneId);
    if (!m) throw new AppException(ProjectErrors.MILESTONE_NOT_FOUND);
    assertNotFuture(dto.doneOn, 'doneOn', '里程碑完成日期', 'The completion date');
    const before = { doneOn: m.doneOn, notes: m.notes };
    Object.assign(m, { doneOn: dto.doneOn, notes: dto.notes ?? m.notes });
    await this.projects.saveMilestone(m);
    await this.audit.record({ entity: 'project-milestone', entityId: m.id, action: 'complete', before, after: { doneOn: m.doneOn, notes: m.notes } });
    return this.view(id);
  }

  @Transactional()
  async midCheck(id: string, dto: MidCheckDto): Promise<ProjectView> {
    const p = await this.lock(id);
    this.requireApproved(p, '中期检查', 'mid-checked');
    assertNotFuture(dto.checkedOn, 'checkedOn', '中期检查日期', 'The mid-check date');
    if (p.defenceResult) throw new AppException(ProjectErrors.ALREADY_DEFENDED);
    const before = snapshot(p);
    Object.assign(p, { midCheckOn: dto.checkedOn, midCheckResult: dto.result, midCheckComment: dto.comment });
    await this.projects.save(p);
    await this.audit.record({ entity: 'project', entityId: id, action: 'mid-check', before, after: snapshot(p) });
    return this.view(id);
  }

  /** R-TRN-3 defence review: both active mentors and at least one other expert on the panel. */
  @Transactional()
  async defence(id: string, dto: DefenceDto): Promise<ProjectView> {
    const p = await this.lock(id);
    this.requireApproved(p, '答辩', 'defended');
    if (!p.midCheckResult) throw new AppException(ProjectErrors.NO_MID_CHECK);
    if (p.defenceResult) throw new AppException(ProjectErrors.ALREADY_DEFENDED);
    assertNotFuture(dto.heldOn, 'heldOn', '答辩日期', 'The defence date');
    const ids = dto.panel.map((m) => m.staffMemberId);
    if (new Set(ids).size !== ids.length) throw new AppException(ProjectErrors.PANEL_DUPLICATE);
    const rows = new Map((await this.staff.rowsOf(ids)).map((r) => [r.id, r]));
    const unknown = ids.find((x) => !rows.has(x));
    if (unknown) throw new AppException(ProjectErrors.PANEL_MEMBER_NOT_FOUND, { id: unknown });
    const mentors = await this.projects.activeMentors(p.studentId);
    const missingZh: string[] = [];
    const missing: string[] = [];
    if (!mentors.college || !ids.includes(mentors.college)) missingZh.push('缺少院校导师') && missing.push('the college mentor');
    if (!mentors.enterprise || !ids.includes(mentors.enterprise)) missingZh.push('缺少企业导师') && missing.push('the enterprise mentor');
    const roleOf = (staffId: string): PanelRole =>
      staffId === mentors.college ? 'college-mentor' : staffId === mentors.enterprise ? 'enterprise-mentor' : 'expert';
    if (!ids.some((x) => roleOf(x) === 'expert' && rows.get(x)!.expert)) missingZh.push('缺少至少一名其他专家（高级职称或技师及以上）') && missing.push('another expert');
    if (missing.length) throw new AppException(ProjectErrors.PANEL_INCOMPLETE, { missingZh: missingZh.join('；'), missing: missing.join(', ') });
    for (const m of dto.panel) {
      await this.projects.insertPanelMember({ projectId: id, staffMemberId: m.staffMemberId, role: roleOf(m.staffMemberId), score: m.score, comment: m.comment ?? null });
    }
    const before = snapshot(p);
    const average = dto.panel.reduce((n, m) => n + m.score, 0) / dto.panel.length;
    Object.assign(p, { defenceOn: dto.heldOn, defenceResult: dto.result, defenceScore: average.toFixed(2), defenceComment: dto.comment ?? null });
    await this.projects.save(p);
    await this.audit.record({ entity: 'project', entityId: id, action: 'defence', before, after: { ...snapshot(p), panel: dto.panel } });
    return this.view(id);
  }

  // ---- internals

  private async requireVisible(id: string): Promise<ProjectRow> {
    const row = await this.projects.row(id, await this.access.visibility());
    if (!row) throw new AppException(ProjectErrors.NOT_FOUND);
    return row;
  }

  private async lock(id: string): Promise<Project> {
    await this.requireVisible(id);
    const p = await this.projects.findForUpdate(id);
    if (!p) throw new AppException(ProjectErrors.NOT_FOUND);
    return p;
  }

  private requireApproved(p: Project, actionZh: string, action: string): void {
    const missingZh = [!p.collegeApprovedBy && '院校导师', !p.enterpriseApprovedBy && '企业导师'].filter(Boolean);
    if (missingZh.length) {
      const missing = [!p.collegeApprovedBy && 'college mentor', !p.enterpriseApprovedBy && 'enterprise mentor'].filter(Boolean);
      throw new AppException(ProjectErrors.TOPIC_NOT_APPROVED, { actionZh, action, missingZh: missingZh.join('、'), missing: missing.join(', ') });
    }
  }

  private async view(id: string): Promise<ProjectView> {
    const row = await this.projects.row(id, {});
    if (!row) throw new AppException(ProjectErrors.NOT_FOUND);
    return toView(row, await this.projects.milestonesOf(id), row.defenceOn ? await this.projects.panelOf(id) : []);
  }
}
