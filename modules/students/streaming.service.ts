import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { CohortKpiService, CohortsService } from '../cohorts';
import { KpiRefreshRequests } from '../kpis';

import { proposeStreaming } from './domain/streaming-proposal';
import { StreamingDto, StreamingProposalView, StreamingSummaryView } from './dto/student.dto';
import { StudentErrors } from './students.errors';
import { StudentsRepository } from './students.repository';
import { toStudentView } from './students.service';
import { chinaToday } from '../../src/time/china-date';

/**
 * R-EVA-1 staged streaming: at the cohort's checkpoint (default the end of the senior-worker
 * stage; the college setting streamingCheckpointMonths moves it) each enrolled student gets
 * one decision with a reason. senior-worker-route and leave stream the student out (dated
 * at the checkpoint), which takes them out of the technician KPIs' denominators.
 */
@Injectable()
export class StreamingService {
  constructor(
    private readonly students: StudentsRepository,
    private readonly cohorts: CohortsService,
    private readonly kpi: CohortKpiService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly kpiRefresh: KpiRefreshRequests,
  ) {}

  @Transactional()
  async record(cohortId: string, dto: StreamingDto): Promise<StreamingSummaryView> {
    const actor = this.context.requireActor();
    const cohort = await this.cohorts.requireRow(cohortId);
    if (cohort.status === 'planned') throw new AppException(StudentErrors.NOT_STARTED);
    const checkpoint = this.cohorts.checkpointOf(cohort, await this.cohorts.settings(cohort.tenantId));
    if (chinaToday() < checkpoint) throw new AppException(StudentErrors.CHECKPOINT_NOT_REACHED, { checkpoint });

    const ids = dto.decisions.map((d) => d.studentId);
    const rows = new Map((await this.students.findRows(ids)).map((r) => [r.id, r]));
    const decided = await this.students.decisionsOf(ids);
    const problems: { field: string; zh: string; en: string }[] = [];
    const seen = new Set<string>();
    dto.decisions.forEach((d, i) => {
      const s = rows.get(d.studentId);
      const field = `decisions.${i}.studentId`;
      if (!s || s.cohortId !== cohortId) problems.push({ field, zh: `第 ${i + 1} 项：学生不在本班`, en: `Item ${i + 1}: not a student of the cohort` });
      else if (seen.has(d.studentId)) problems.push({ field, zh: `第 ${i + 1} 项：${s.name} 重复`, en: `Item ${i + 1}: duplicate student` });
      else if (decided.has(d.studentId)) problems.push({ field, zh: `第 ${i + 1} 项：${s.name} 已有分流决定`, en: `Item ${i + 1}: already decided` });
      else if (s.recordedStatus !== 'enrolled') problems.push({ field, zh: `第 ${i + 1} 项：${s.name} 不是在读学生`, en: `Item ${i + 1}: not enrolled` });
      seen.add(d.studentId);
    });
    if (problems.length) {
      throw new AppException(StudentErrors.STREAMING_INVALID, { reasons: problems.map((p) => p.zh).join('；') }, problems.map((p) => ({ ...p, constraint: 'R-EVA-1' })));
    }
    for (const d of dto.decisions) {
      await this.students.insertDecision(cohortId, d.studentId, checkpoint, d.decision, d.reason, actor.userId);
      if (d.decision !== 'continue') {
        const student = (await this.students.findForUpdate(d.studentId))!;
        student.status = 'streamed-out';
        student.leftOn = checkpoint;
        student.leftReason = d.reason;
        await this.students.save(student);
        await this.students.recordChange(d.studentId, 'enrolled', 'streamed-out', checkpoint, `${d.decision === 'leave' ? '分流：离开' : '分流：转高级工方向'}；${d.reason}`, actor.userId);
      }
      await this.audit.record({ entity: 'student', entityId: d.studentId, action: 'stream', after: { decision: d.decision, checkpoint } });
    }
    await this.kpiRefresh.cohorts([cohortId]);
    return this.summary(cohortId);
  }

  @Transactional()
  async summary(cohortId: string): Promise<StreamingSummaryView> {
    const cohort = await this.cohorts.requireRow(cohortId);
    const checkpoint = this.cohorts.checkpointOf(cohort, await this.cohorts.settings(cohort.tenantId));
    const roster = await this.students.roster(cohortId);
    const counts: Record<string, number> = { continue: 0, 'senior-worker-route': 0, leave: 0, undecided: 0 };
    for (const s of roster) {
      if (s.streamingDecision) counts[s.streamingDecision]++;
      else if (s.recordedStatus === 'enrolled') counts.undecided++;
    }
    // R-EVA-1: the undecided students' proposals come from their mid-term results
    const midTerm = new Map((await this.students.midTermResults(cohortId)).map((r) => [r.studentId, r]));
    const proposals: StreamingProposalView[] = roster
      .filter((s) => !s.streamingDecision && s.recordedStatus === 'enrolled')
      .map((s) => {
        const r = midTerm.get(s.id);
        const result = r && { score: r.score === null ? null : Number(r.score), passed: r.passed, passMark: r.passMark === null ? null : Number(r.passMark), assessedOn: r.assessedOn };
        return { studentId: s.id, name: s.name, midTerm: result ?? null, ...proposeStreaming(result) };
      });
    return { cohortId, checkpoint, technicianDenominator: await this.kpi.technicianDenominator(cohortId), counts, proposals, students: roster.map(toStudentView) };
  }
}
