import { Injectable, OnModuleInit } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException, FieldError } from '../../src/errors/app.exception';
import { ErrorDefinition, interpolate } from '../../src/errors/error-catalog';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';

import { PartnershipsService } from '../partnerships';
import type { ActivePartner } from '../partnerships';
import { StaffDepartureHandler, StaffErrors, StaffRow, StaffService } from '../staff';
import {
  AssignMentorDto,
  AssignResultView,
  BulkResultView,
  GuidanceListQuery,
  GuidanceView,
  MentorshipListQuery,
  MentorshipView,
  ReassignMentorDto,
  RecordGuidanceDto,
  WarningView,
} from './dto/mentorship.dto';
import { Mentorship, MentorSide } from './mentorship.entity';
import { MentorshipErrors, SIDE_ZH } from './mentorships.errors';
import { GuidanceRow, MentorshipRow, MentorshipsRepository, StudentFacts, Visibility } from './mentorships.repository';
import { chinaToday } from '../../src/time/china-date';
import { assertNotFuture } from '../../src/time/not-future';

const NOBODY = '00000000-0000-0000-0000-000000000000';

interface RowProblem {
  definition: ErrorDefinition;
  params: Record<string, unknown>;
}

export function toMentorshipView(r: MentorshipRow): MentorshipView {
  return {
    id: r.id,
    student: { id: r.studentId, name: r.studentName },
    side: r.side,
    mentor: { id: r.staffMemberId, name: r.mentorName, enterpriseName: r.enterpriseName },
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    endReason: r.endReason,
    replacedBy: r.replacedBy,
    active: r.endedOn === null,
    version: r.version,
  };
}

function toGuidanceView(g: GuidanceRow): GuidanceView {
  return {
    id: g.id,
    studentId: g.studentId,
    mentorshipId: g.mentorshipId,
    mentor: { id: g.staffMemberId, name: g.mentorName, side: g.side },
    occurredOn: g.occurredOn,
    kind: g.kind,
    notes: g.notes,
    createdAt: new Date(g.createdAt).toISOString(),
  };
}

function snapshot(m: Mentorship) {
  return {
    studentId: m.studentId,
    side: m.side,
    staffMemberId: m.staffMemberId,
    startedOn: m.startedOn,
    endedOn: m.endedOn,
    endReason: m.endReason,
    replacedBy: m.replacedBy,
  };
}

/**
 * R-TRN-3 1+1 dual mentors: exactly one active college and one active enterprise mentor
 * per student (the partial unique index is the last word); the enterprise mentor belongs
 * to a partner enterprise of the student's programme with an agreement in force; changes
 * keep history; a departing mentor's mentees move to the successor.
 */
@Injectable()
export class MentorshipsService implements OnModuleInit {
  constructor(
    private readonly mentorships: MentorshipsRepository,
    private readonly staff: StaffService,
    private readonly partnerships: PartnershipsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  onModuleInit(): void {
    this.staff.registerDepartureHandler(this.departureHandler());
  }

  @Transactional()
  async assign(dto: AssignMentorDto): Promise<AssignResultView> {
    assertNotFuture(dto.startedOn, 'startedOn', '导师关系起始日期', 'The start date');
    const [problem] = (await this.check([dto])).problems;
    if (problem) throw new AppException(problem.problem.definition, problem.problem.params);
    const [m] = await this.insertAll([dto]);
    return { mentorship: await this.view(m.id), warnings: await this.loadWarnings([m.staffMemberId]) };
  }

  /** All-or-nothing: every row is checked first; any error → 422 listing each bad row, nothing saved. */
  @Transactional()
  async bulkAssign(rows: AssignMentorDto[]): Promise<BulkResultView> {
    rows.forEach((r, i) => assertNotFuture(r.startedOn, `rows.${i}.startedOn`, `第${i + 1}行的导师关系起始日期`, `Row ${i + 1}'s start date`));
    const { problems, students } = await this.check(rows);
    if (problems.length) {
      const fieldErrors: FieldError[] = problems.map(({ index, problem }) => {
        const student = students.get(rows[index].studentId)?.name ?? rows[index].studentId;
        return {
          field: `rows.${index}`,
          constraint: problem.definition.code,
          zh: `第${index + 1}行（学生：${student}）：${interpolate(problem.definition.zh, problem.params)}`,
          en: `Row ${index + 1} (student ${student}): ${interpolate(problem.definition.en, problem.params)}`,
        };
      });
      throw new AppException(MentorshipErrors.BULK_INVALID, { count: new Set(problems.map((p) => p.index)).size }, fieldErrors);
    }
    const created = await this.insertAll(rows);
    const views = (await this.mentorships.rowsByIds(created.map((m) => m.id))).map(toMentorshipView);
    return { items: views, warnings: await this.loadWarnings([...new Set(created.map((m) => m.staffMemberId))]) };
  }

  /** Closes the active pair with a date and reason and opens the new one the same day; the old row stays as history. */
  @Transactional()
  async reassign(id: string, dto: ReassignMentorDto): Promise<AssignResultView> {
    const old = await this.mentorships.findForUpdate(id);
    if (!old) throw new AppException(MentorshipErrors.NOT_FOUND);
    if (old.endedOn) throw new AppException(MentorshipErrors.ALREADY_ENDED);
    if (old.staffMemberId === dto.staffMemberId) throw new AppException(MentorshipErrors.SAME_MENTOR);
    if (dto.on < old.startedOn) throw new AppException(MentorshipErrors.ENDS_BEFORE_START, { startedOn: old.startedOn });
    // issue 8: a reassignment dated in the future would make the new mentor active today
    assertNotFuture(dto.on, 'on', '更换日期', 'The reassignment date');
    const [student] = await this.mentorships.students([old.studentId]);
    const [mentor] = await this.staff.rowsOf([dto.staffMemberId]);
    const problem = await this.mentorProblem(student, old.side, mentor, new Map());
    if (problem) throw new AppException(problem.definition, problem.params);
    const next = await this.replace(old, dto.staffMemberId, dto.on, dto.reason);
    return { mentorship: await this.view(next.id), warnings: await this.loadWarnings([next.staffMemberId]) };
  }

  @Transactional()
  async list(query: MentorshipListQuery): Promise<Page<MentorshipView>> {
    const rows = await this.mentorships.list(query, await this.visibility());
    return toPage(rows, query.limit, (r) => [r.studentName, r.id], toMentorshipView);
  }

  @Transactional()
  async get(id: string): Promise<MentorshipView> {
    const row = await this.mentorships.findRow(id, await this.visibility());
    if (!row) throw new AppException(MentorshipErrors.NOT_FOUND);
    return toMentorshipView(row);
  }

  /** Either active mentor of the student records guidance; nobody else. */
  @Transactional()
  async recordGuidance(dto: RecordGuidanceDto): Promise<GuidanceView> {
    const actor = this.context.requireActor();
    const me = await this.staff.rowOfUser(actor.userId);
    const mentorship = me ? await this.mentorships.activeMentorshipOf(dto.studentId, me.id) : null;
    if (!me || !mentorship) throw new AppException(MentorshipErrors.NOT_YOUR_MENTEE);
    assertNotFuture(dto.occurredOn, 'occurredOn', '指导日期', 'The guidance date');
    const g = await this.mentorships.insertGuidance({
      mentorshipId: mentorship.id,
      studentId: dto.studentId,
      staffMemberId: me.id,
      occurredOn: dto.occurredOn,
      kind: dto.kind,
      notes: dto.notes,
      recordedBy: actor.userId,
    });
    await this.audit.record({ entity: 'guidance-record', entityId: g.id, action: 'create', after: { studentId: dto.studentId, occurredOn: dto.occurredOn, kind: dto.kind } });
    return toGuidanceView((await this.mentorships.guidanceRow(g.id))!);
  }

  /** A student's guidance log, for whoever may see one of the student's mentorships. */
  @Transactional()
  async guidance(query: GuidanceListQuery): Promise<Page<GuidanceView>> {
    const visible = await this.mentorships.list({ studentId: query.studentId, limit: 1 }, await this.visibility());
    if (!visible.length) throw new AppException(MentorshipErrors.NOT_FOUND);
    const rows = await this.mentorships.guidanceOf(query.studentId, query.limit, query.cursor);
    return toPage(rows, query.limit, (g) => [g.occurredOn, g.id], toGuidanceView);
  }

  // ---- internals

  /** Mentors see their own mentees; an enterprise admin its enterprise's; college admins and staff all. */
  private async visibility(): Promise<Visibility> {
    const actor = this.context.requireActor();
    if (actor.role === 'college-mentor' || actor.role === 'enterprise-mentor') {
      const me = await this.staff.rowOfUser(actor.userId);
      return { staffMemberId: me?.id ?? NOBODY };
    }
    if (actor.scope === 'enterprise') return { enterpriseId: actor.enterpriseId ?? NOBODY };
    return {};
  }

  private async check(rows: AssignMentorDto[]): Promise<{ problems: { index: number; problem: RowProblem }[]; students: Map<string, StudentFacts> }> {
    const studentIds = [...new Set(rows.map((r) => r.studentId))];
    const students = new Map((await this.mentorships.students(studentIds)).map((s) => [s.id, s]));
    const mentors = new Map((await this.staff.rowsOf([...new Set(rows.map((r) => r.staffMemberId))])).map((s) => [s.id, s]));
    const taken = new Set((await this.mentorships.activeOfStudents(studentIds)).map((m) => `${m.studentId}:${m.side}`));
    const partners = new Map<string, ActivePartner[]>();
    const problems: { index: number; problem: RowProblem }[] = [];
    for (const [index, row] of rows.entries()) {
      const key = `${row.studentId}:${row.side}`;
      const problem =
        (await this.mentorProblem(students.get(row.studentId), row.side, mentors.get(row.staffMemberId), partners)) ??
        (taken.has(key) ? { definition: MentorshipErrors.SIDE_TAKEN, params: { side: row.side, sideZh: SIDE_ZH[row.side] } } : undefined);
      if (problem) problems.push({ index, problem });
      taken.add(key); // a second row for the same student and side in one batch is refused too
    }
    return { problems, students };
  }

  private async mentorProblem(
    student: StudentFacts | undefined,
    side: MentorSide,
    mentor: StaffRow | undefined,
    partners: Map<string, ActivePartner[]>,
  ): Promise<RowProblem | undefined> {
    if (!student) return { definition: MentorshipErrors.STUDENT_NOT_FOUND, params: {} };
    if (!mentor) return { definition: MentorshipErrors.MENTOR_NOT_FOUND, params: {} };
    const params = { name: mentor.name, side, sideZh: SIDE_ZH[side] };
    if (mentor.side !== side) return { definition: MentorshipErrors.WRONG_SIDE, params };
    if (mentor.status !== 'active' || mentor.confirmation !== 'confirmed') return { definition: MentorshipErrors.MENTOR_NOT_ACTIVE, params };
    if (side === 'enterprise') {
      // R-TRN-3: a partner enterprise of the student's programme, with an agreement in force today.
      let list = partners.get(student.programmeId);
      if (!list) {
        list = await this.partnerships.activePartnersOf(student.programmeId, chinaToday());
        partners.set(student.programmeId, list);
      }
      if (!list.some((p) => p.enterpriseId === mentor.enterpriseId && p.agreementInForce)) {
        return { definition: MentorshipErrors.NOT_PROGRAMME_PARTNER, params };
      }
    }
    return undefined;
  }

  private async insertAll(rows: AssignMentorDto[]): Promise<Mentorship[]> {
    const actor = this.context.requireActor();
    const out: Mentorship[] = [];
    for (const row of rows) {
      const m = await this.mentorships
        .insert({
          studentId: row.studentId,
          side: row.side,
          staffMemberId: row.staffMemberId,
          startedOn: row.startedOn ?? chinaToday(),
          createdBy: actor.userId,
        })
        .catch((e) => {
          // A concurrent assignment won the partial unique index between the check and the insert.
          if (e?.code === '23505' && e?.constraint === 'mentorships_active_side_key') {
            throw new AppException(MentorshipErrors.SIDE_TAKEN, { side: row.side, sideZh: SIDE_ZH[row.side] });
          }
          throw e;
        });
      await this.audit.record({ entity: 'mentorship', entityId: m.id, action: 'assign', after: snapshot(m) });
      out.push(m);
    }
    return out;
  }

  private async replace(old: Mentorship, staffMemberId: string, on: string, reason: string): Promise<Mentorship> {
    const before = snapshot(old);
    old.endedOn = on;
    old.endReason = reason;
    await this.mentorships.save(old); // ends first: the partial unique index allows one active row per side
    const next = await this.mentorships.insert({
      studentId: old.studentId,
      side: old.side,
      staffMemberId,
      startedOn: on,
      createdBy: this.context.actor?.userId ?? null,
    });
    old.replacedBy = next.id;
    const saved = await this.mentorships.save(old);
    await this.audit.record({ entity: 'mentorship', entityId: old.id, action: 'reassign', before, after: snapshot(saved) });
    await this.audit.record({ entity: 'mentorship', entityId: next.id, action: 'assign', after: snapshot(next) });
    return next;
  }

  /** R-TRN-2-style advice, not a rule: an enterprise mentor above the college's setting (default 8) gets a warning. */
  private async loadWarnings(staffIds: string[]): Promise<WarningView[]> {
    const limit = await this.mentorships.mentorLoadWarning();
    const load = await this.mentorships.activeLoad(staffIds);
    const mentors = await this.staff.rowsOf(staffIds);
    return mentors
      .filter((m) => m.side === 'enterprise' && (load.get(m.id) ?? 0) > limit)
      .map((m) => ({
        code: 'MENTOR_LOAD',
        zh: `企业导师${m.name}在带学生${load.get(m.id)}名，超过建议上限${limit}名`,
        en: `Enterprise mentor ${m.name} now has ${load.get(m.id)} mentees, above the advised ${limit}`,
      }));
  }

  /**
   * A departing mentor's open items: their active mentorships move to the successor.
   * Issue 5 registers its own handlers (pending hours entries, open work orders) the same way.
   */
  private departureHandler(): StaffDepartureHandler {
    return {
      openItems: async (staffId) => {
        const n = (await this.mentorships.activeOfStaff(staffId)).length;
        return { kind: 'mentorships', count: n, zh: `在带学生${n}名`, en: `${n} active mentee(s)` };
      },
      handOver: async (staffId, successorId, on, reason) => {
        const active = await this.mentorships.activeOfStaff(staffId);
        // Leaving before a mentorship began cannot end it: say which one, not the table's check constraint (issue 8).
        const early = active.filter((m) => on < m.startedOn).sort((a, b) => (a.startedOn < b.startedOn ? -1 : 1));
        if (early.length) {
          const [student] = await this.mentorships.students([early[0].studentId]);
          throw new AppException(StaffErrors.LEFT_BEFORE_MENTORSHIP_START, { on, startedOn: early[0].startedOn, student: student?.name ?? early[0].studentId, count: early.length }, [
            {
              field: 'leftOn',
              constraint: StaffErrors.LEFT_BEFORE_MENTORSHIP_START.code,
              zh: `离任日期不能早于其在任导师关系的开始日期（${early[0].startedOn}）`,
              en: `The departure date cannot be before the start of a mentorship it ends (${early[0].startedOn})`,
            },
          ]);
        }
        for (const m of active) await this.replace(m, successorId, on, `导师离任：${reason}`);
        return active.length;
      },
    };
  }

  private async view(id: string): Promise<MentorshipView> {
    const [row] = await this.mentorships.rowsByIds([id]);
    if (!row) throw new AppException(MentorshipErrors.NOT_FOUND);
    return toMentorshipView(row);
  }
}
