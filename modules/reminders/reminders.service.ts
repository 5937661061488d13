import { Inject, Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../config/app-config';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { DEFAULT_PRACTICE_RISK_POINTS, stageProgress } from '../practice';
import { assessTeam } from '../teams';
import {
  EVALUATION_DAYS_BEFORE,
  FOLLOW_UP_MONTHS,
  isoWeekday,
  KIND_NAMES_ZH,
  namesZh,
  NOTICE_DEADLINE_DAYS_BEFORE,
  PUBLICITY_DAYS_BEFORE_END,
  ReminderKind,
  ReminderMessage,
  reminderDedupeKey,
  STAGE_ASSESSMENT_DAYS_AFTER_END,
} from './domain/reminder-kinds';
import { REMINDER_SINK, ReminderSink } from './domain/reminder-sink';
import { ReminderSentQuery, ReminderSentView } from './dto/reminder.dto';
import { AwaitingRow, DeliveryRow, Recipient, RemindersRepository } from './reminders.repository';

const EVALUATION_KIND_ZH = { 'mid-term': '中期评估', completion: '结业质量评估' } as const;
const CONCLUSION_ZH: Record<string, string> = { pass: '通过', rectify: '限期整改', fail: '不通过（试点撤销）' };
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const unique = (ids: (string | null | undefined)[]) => [...new Set(ids.filter((x): x is string => !!x))].sort();

export interface ReminderRunResult {
  day: string;
  /** reminders due (subject × threshold) that had at least one recipient */
  due: number;
  /** recipient deliveries made by this run (0 when an earlier run of the day already made them) */
  delivered: number;
  byKind: Partial<Record<ReminderKind, number>>;
}

/**
 * Issue 13 reminders: what is due for a college (or the province) on a day, and each reminder
 * delivered once per subject, threshold, recipient and day (the dedupe key), however many
 * workers, retries or manual runs look at the same day.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly repo: RemindersRepository,
    @Inject(REMINDER_SINK) private readonly sink: ReminderSink,
    private readonly config: AppConfig,
    private readonly context: TenantContext,
    private readonly cls: ClsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * POST /reminders/run: today's check for the caller's college, run exactly as the daily job
   * runs it — as the system for that college, not as the signed-in admin (the inbox rows of
   * other recipients are written by the system) — then audited as the admin's action.
   */
  async runNowForCurrentCollege(day: string): Promise<ReminderRunResult> {
    const tenantId = this.context.requireTenantId();
    const result = await this.cls.run({ ifNested: 'override' }, () => this.context.runAsTenant(tenantId, () => this.sendDueForCollege(day)));
    await this.auditRun(result);
    return result;
  }

  @Transactional()
  private async auditRun(result: ReminderRunResult): Promise<void> {
    await this.audit.record({ entity: 'reminders', action: 'run', after: { day: result.day, due: result.due, delivered: result.delivered } });
  }

  /** The college's reminders for the day (the tenant of the job or of the caller). */
  @Transactional()
  async sendDueForCollege(day: string): Promise<ReminderRunResult> {
    const tenantId = this.context.requireTenantId();
    const messages = await this.collegeMessages(tenantId, day);
    return this.deliver(tenantId, day, messages);
  }

  /** Province reminders for the day (run with province scope by the daily fan-out). */
  @Transactional()
  async sendDueForProvince(day: string): Promise<ReminderRunResult> {
    const admins = await this.repo.provinceAdmins();
    const rows = await this.repo.publicityEnding(day, PUBLICITY_DAYS_BEFORE_END);
    const messages: ReminderMessage[] = rows.map((b) => {
      const objections = b.openObjections ? `尚有${b.openObjections}条异议未处理` : '目前没有未处理的异议';
      const provisional = b.provisional ? '（结束日期按未确认的节假日安排计算，请核对）' : '';
      const ending = b.daysLeft > 0;
      return {
        kind: 'reminder.public-notice-ending',
        subjectType: 'publicity-batch',
        subjectId: b.batchId,
        variant: ending ? 'ending' : 'ended',
        recipientUserIds: admins,
        title: ending ? `公示期明天结束：${b.title}` : `公示期已结束，待公布名单：${b.title}`,
        body: ending
          ? `公示“${b.title}”（${b.programmes}个专业）将于${b.endsOn} 24:00结束${provisional}，${objections}。（R-APP-5）`
          : `公示“${b.title}”（${b.programmes}个专业）已于${b.endsOn}结束${provisional}，尚未公布名单，${objections}。异议处理完毕后请公布名单。（R-APP-5）`,
        link: `/publicity-batches/${b.batchId}`,
      };
    });
    return this.deliver(null, day, messages);
  }

  /** Active colleges, for the fan-out. */
  @Transactional()
  activeTenantIds(): Promise<string[]> {
    return this.repo.activeTenantIds();
  }

  @Transactional()
  async listSent(query: ReminderSentQuery): Promise<Page<ReminderSentView>> {
    const rows = await this.repo.listSent({ kind: query.kind, day: query.day, limit: query.limit, cursor: query.cursor });
    return toPage(rows, query.limit, (r) => [r.day, r.createdAt.toISOString(), r.id], toSentView);
  }

  /** Every college reminder due on the day: one query per kind. */
  private async collegeMessages(tenantId: string, day: string): Promise<ReminderMessage[]> {
    const recipients = await this.repo.collegeRecipients(tenantId);
    const admins = unique(recipients.filter((r) => r.role === 'college-admin').map((r) => r.userId));
    const staff = unique(recipients.filter((r) => r.role === 'college-admin' || r.role === 'college-staff').map((r) => r.userId));
    const enterpriseAdmins = (enterpriseId: string) =>
      unique(recipients.filter((r: Recipient) => r.role === 'enterprise-admin' && r.enterpriseId === enterpriseId).map((r) => r.userId));
    const weekly = isoWeekday(day) === this.config.REMINDER_WEEKLY_ISO_DAY;
    const out: ReminderMessage[] = [];

    // R-APP-1: notice deadline in 7 and in 2 days → the college's admins.
    for (const n of await this.repo.noticeDeadlines(tenantId, day, NOTICE_DEADLINE_DAYS_BEFORE)) {
      out.push({
        kind: 'reminder.notice-deadline', subjectType: 'pilot-notice', subjectId: n.noticeId, variant: `${n.daysLeft}d`, recipientUserIds: admins,
        title: `试点申报${n.daysLeft}天后截止：${n.title}`,
        body: `省级试点通知“${n.title}”的申报截止日期为${n.deadline}（还剩${n.daysLeft}天），本校尚未提交申报。请在截止前完成教学指导委员会审议并提交申报材料。（R-APP-1、R-APP-3）`,
        link: `/pilot-notices/${n.noticeId}`,
      });
    }

    if (weekly) {
      // R-TRN-3: students without a complete 1+1 pair → college staff, one reminder per cohort.
      for (const c of await this.repo.mentorPairMissing(tenantId)) {
        out.push({
          kind: 'reminder.mentor-pair-missing', subjectType: 'cohort', subjectId: c.cohortId, variant: 'weekly', recipientUserIds: staff,
          title: `${c.cohortName}：${c.students}名学生未配齐双导师`,
          body: `${c.cohortName}的${namesZh(c.names, c.students)}尚未同时配有院校导师和企业导师（缺院校导师${c.missingCollege}人，缺企业导师${c.missingEnterprise}人）。每名学生须有一名院校导师和一名企业导师（1+1双导师制，R-TRN-3），请尽快安排。`,
          link: `/cohorts/${c.cohortId}`,
        });
      }

      // R-TRN-4: practice hours at risk (the practice module's rule) → both mentors.
      const setting = await this.repo.riskPointsSetting(tenantId);
      const riskPoints = typeof setting === 'number' && setting >= 0 && setting <= 100 ? setting : DEFAULT_PRACTICE_RISK_POINTS;
      for (const p of await this.repo.runningPlacements(tenantId, day)) {
        const progress = stageProgress({ ...p, today: day, riskPoints });
        const mentors = unique([p.collegeMentorUserId, p.enterpriseMentorUserId]);
        if (!progress.atRisk) continue;
        out.push({
          kind: 'reminder.practice-hours-at-risk', subjectType: 'placement', subjectId: p.placementId, variant: 'weekly', recipientUserIds: mentors,
          title: `实践学时滞后：${p.studentName}（${p.stageName}）`,
          body: `${p.studentName}在${p.enterpriseName}的实践阶段“${p.stageName}”（${p.startsOn}至${p.endsOn}）时间已过${progress.elapsedShare}%，已确认学时${p.confirmedHours}/${p.plannedHours}（${progress.confirmedShare}%），落后${progress.lagPoints}个百分点，超过${riskPoints}个百分点的预警线。请院校导师和企业导师共同跟进。（R-TRN-4）`,
          link: `/practice/placements/${p.placementId}`,
        });
      }

      // R-EVA-2: a non-compliant team (the teams module's rule) → the college admin.
      for (const t of await this.repo.teamCounts(tenantId)) {
        const compliance = assessTeam(t);
        if (compliance.compliant) continue;
        out.push({
          kind: 'reminder.team-non-compliant', subjectType: 'team', subjectId: t.teamId, variant: 'weekly', recipientUserIds: admins,
          title: `教学和考评团队不达标：${t.teamName}（${t.programmeName}）`,
          body: `${t.programmeName}专业的“${t.teamName}”现有成员${t.total}人，其中企业导师${t.enterprise}人、专家${t.experts}人。${compliance.missing.map((m) => m.zh).join('；')}。（R-EVA-2：企业导师不少于30%，专家不少于5人）`,
          link: `/teams/${t.teamId}`,
        });
      }
    }

    // R-TRN-4: hours entries and work orders waiting on the enterprise mentor.
    const mentorAfter = this.config.REMINDER_MENTOR_WAIT_DAYS;
    const escalateAfter = Math.max(this.config.REMINDER_ESCALATE_WAIT_DAYS, mentorAfter + 1);
    const waiting = await this.repo.awaitingMentor(tenantId, day, [mentorAfter + 1, escalateAfter + 1]);
    out.push(...this.awaitingMessages(waiting.filter((w) => w.waited === mentorAfter + 1), waiting.filter((w) => w.waited === escalateAfter + 1), mentorAfter, escalateAfter, enterpriseAdmins));

    // R-TRN-4 / R-EVA-3: a stage ended without its assessment → the enterprise mentor.
    for (const s of await this.repo.stagesEndedWithoutAssessment(tenantId, day, STAGE_ASSESSMENT_DAYS_AFTER_END)) {
      out.push({
        kind: 'reminder.stage-assessment-missing', subjectType: 'placement', subjectId: s.placementId, variant: `${s.daysAfter}d`, recipientUserIds: unique([s.mentorUserId]),
        title: `实践阶段考核未录入：${s.studentName}（${s.stageName}）`,
        body: `${s.studentName}在${s.enterpriseName}的实践阶段“${s.stageName}”已于${s.endsOn}结束，${s.daysAfter}天后仍未提交阶段考核结果。请录入并提交（企业参与过程性考评，R-ENT-4）。`,
        link: `/practice/placements/${s.placementId}`,
      });
    }

    // R-TRN-1: an agreement expiring → college staff and the enterprise admin.
    const expiryDays = this.config.REMINDER_AGREEMENT_EXPIRY_DAYS;
    for (const a of await this.repo.agreementsExpiring(tenantId, day, expiryDays)) {
      out.push({
        kind: 'reminder.agreement-expiring', subjectType: 'agreement', subjectId: a.agreementId, variant: `${expiryDays}d`,
        recipientUserIds: unique([...staff, ...enterpriseAdmins(a.enterpriseId)]),
        title: `合作协议${expiryDays}天后到期：${a.enterpriseName}（${a.programmeName}）`,
        body: `与${a.enterpriseName}签订的${a.programmeName}专业校企共培学制技师合作协议将于${a.termEnd}到期（还剩${expiryDays}天）。没有有效协议的专业不能开班（R-TRN-1），请及时商议续签。`,
        link: `/agreements/${a.agreementId}`,
      });
    }

    // R-EVA-4: graduate follow-up due → college staff, one reminder per cohort and checkpoint.
    for (const f of await this.repo.followUpsDue(tenantId, day, FOLLOW_UP_MONTHS)) {
      out.push({
        kind: 'reminder.graduate-follow-up', subjectType: 'cohort', subjectId: f.cohortId, variant: `${f.months}m`, recipientUserIds: staff,
        title: `毕业生${f.months}个月跟踪回访到期：${f.cohortName}`,
        body: `${f.cohortName}的毕业生${namesZh(f.names, f.graduates)}今天毕业满${f.months}个月，请完成跟踪回访并记录就业情况（是否对口、是否稳定、薪酬，R-EVA-4）。`,
        link: `/graduation/cohorts/${f.cohortId}`,
      });
    }

    // R-GOV-3: an evaluation scheduled, coming up or concluded → the college admin.
    for (const e of await this.repo.evaluationEvents(tenantId, day, EVALUATION_DAYS_BEFORE)) {
      const kindZh = EVALUATION_KIND_ZH[e.kind];
      const text =
        e.variant === 'scheduled'
          ? { title: `省里已安排${kindZh}：${e.programmeName}`, body: `省级已安排${e.programmeName}专业的${kindZh}，评估日期为${e.scheduledOn}。请提前准备评估材料。（R-GOV-3）` }
          : e.variant === 'upcoming'
            ? { title: `${kindZh}${EVALUATION_DAYS_BEFORE}天后进行：${e.programmeName}`, body: `${e.programmeName}专业的${kindZh}将于${e.scheduledOn}进行（还剩${EVALUATION_DAYS_BEFORE}天），请确认材料已准备齐全。（R-GOV-3）` }
            : {
                title: `${kindZh}已有结论：${e.programmeName}`,
                body: `${e.programmeName}专业的${kindZh}结论为“${CONCLUSION_ZH[e.conclusion ?? ''] ?? e.conclusion}”${e.conclusion === 'rectify' && e.rectifyBy ? `，整改期限${e.rectifyBy}` : ''}。详见评估记录。（R-GOV-3）`,
              };
      out.push({
        kind: 'reminder.evaluation', subjectType: 'pilot-evaluation', subjectId: e.evaluationId, variant: e.variant, recipientUserIds: admins,
        ...text,
        link: `/pilot-evaluations/${e.evaluationId}`,
      });
    }
    return out;
  }

  /** Waiting items grouped: one reminder per enterprise mentor, one escalation per enterprise. */
  private awaitingMessages(
    toMentor: AwaitingRow[],
    toEscalate: AwaitingRow[],
    mentorAfter: number,
    escalateAfter: number,
    enterpriseAdmins: (enterpriseId: string) => string[],
  ): ReminderMessage[] {
    const describe = (w: AwaitingRow) => (w.item === 'hours' ? `${w.studentName} ${w.detail}的实践工时` : `${w.studentName}的工单“${w.detail}”`);
    const list = (rows: AwaitingRow[]) => rows.slice(0, 5).map(describe).join('；') + (rows.length > 5 ? `等${rows.length}项` : '');
    const groupBy = (rows: AwaitingRow[], key: (w: AwaitingRow) => string | null) => {
      const groups = new Map<string, AwaitingRow[]>();
      for (const w of rows) {
        const k = key(w);
        if (k) groups.set(k, [...(groups.get(k) ?? []), w]);
      }
      return groups;
    };
    const out: ReminderMessage[] = [];
    for (const [staffId, rows] of groupBy(toMentor, (w) => (w.mentorUserId ? w.mentorStaffId : null))) {
      out.push({
        kind: 'reminder.awaiting-mentor', subjectType: 'staff-member', subjectId: staffId, variant: `${mentorAfter}d`, recipientUserIds: unique([rows[0].mentorUserId]),
        title: `${rows.length}项实践记录等待您确认已超过${mentorAfter}天`,
        body: `${rows[0].mentorName}老师：${list(rows)}已等待确认超过${mentorAfter}天。请尽快确认或退回（实践学时由企业方确认，R-TRN-4）；超过${escalateAfter}天将告知企业管理员。`,
        link: `/practice/hours?status=pending`,
      });
    }
    for (const [enterpriseId, rows] of groupBy(toEscalate, (w) => w.enterpriseId)) {
      const mentors = unique(rows.map((w) => w.mentorName)).join('、') || '（未配企业导师）';
      out.push({
        kind: 'reminder.awaiting-mentor-escalated', subjectType: 'enterprise', subjectId: enterpriseId, variant: `${escalateAfter}d`, recipientUserIds: enterpriseAdmins(enterpriseId),
        title: `${rows[0].enterpriseName}：${rows.length}项实践记录超过${escalateAfter}天未确认`,
        body: `${list(rows)}已等待企业导师（${mentors}）确认超过${escalateAfter}天。请督促导师尽快确认或退回。（R-TRN-4）`,
        link: `/practice/hours?status=pending`,
      });
    }
    return out;
  }

  /** Records and delivers each reminder to the recipients who have not had it yet (the same transaction). */
  private async deliver(tenantId: string | null, day: string, messages: ReminderMessage[]): Promise<ReminderRunResult> {
    const result: ReminderRunResult = { day, due: 0, delivered: 0, byKind: {} };
    for (const m of messages) {
      if (!m.recipientUserIds.length) continue;
      result.due += 1;
      const message = { ...m, title: clip(m.title, 200), body: clip(m.body, 2000) };
      const dedupeKey = reminderDedupeKey(m.kind, m.subjectId, m.variant, day);
      const fresh = await this.repo.record(tenantId, day, message, dedupeKey);
      if (!fresh.length) continue;
      await this.sink.notify({ tenantId, recipientUserIds: fresh, kind: m.kind, title: message.title, body: message.body, link: m.link, dedupeKey });
      result.delivered += fresh.length;
      result.byKind[m.kind] = (result.byKind[m.kind] ?? 0) + fresh.length;
    }
    return result;
  }
}

function toSentView(r: DeliveryRow): ReminderSentView {
  return {
    id: r.id,
    tenantId: r.tenantId,
    day: r.day,
    kind: r.kind,
    kindName: KIND_NAMES_ZH[r.kind] ?? r.kind,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    recipientUserId: r.recipientUserId,
    recipientName: r.recipientName,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.createdAt.toISOString(),
  };
}

