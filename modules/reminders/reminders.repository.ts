import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import type { ReminderKind, ReminderMessage } from './domain/reminder-kinds';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHINA_DATE_OF = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')::date`;
/** A student still in school (DOMAIN §5). */
const IN_SCHOOL = `('admitted','enrolled')`;
/** The user behind a student's active mentor on one side (the mentor may have no account: null). */
const ACTIVE_MENTOR = (side: 'college' | 'enterprise', student: string) => `
  SELECT sm.id AS staff_id, sm.name, sm.user_id
  FROM mentorships m JOIN staff_members sm ON sm.tenant_id = m.tenant_id AND sm.id = m.staff_member_id
  WHERE m.tenant_id = $1 AND m.student_id = ${student} AND m.side = '${side}' AND m.ended_on IS NULL
  ORDER BY m.started_on DESC LIMIT 1`;

export interface Recipient {
  userId: string;
  role: string;
  enterpriseId: string | null;
}

export interface NoticeDeadlineRow { noticeId: string; title: string; deadline: string; daysLeft: number }
export interface PublicityEndingRow { batchId: string; title: string; endsOn: string; daysLeft: number; provisional: boolean; openObjections: number; programmes: number }
export interface PairMissingRow { cohortId: string; cohortName: string; students: number; missingCollege: number; missingEnterprise: number; names: string[] }
export interface RunningPlacementRow {
  placementId: string; studentName: string; enterpriseName: string; stageName: string;
  plannedHours: number; loggedHours: number; confirmedHours: number; startsOn: string; endsOn: string;
  collegeMentorUserId: string | null; enterpriseMentorUserId: string | null;
}
export interface AwaitingRow {
  item: 'hours' | 'work-order'; id: string; waited: number; detail: string; studentName: string;
  enterpriseId: string; enterpriseName: string; mentorStaffId: string | null; mentorName: string | null; mentorUserId: string | null;
}
export interface StageEndedRow { placementId: string; studentName: string; stageName: string; endsOn: string; daysAfter: number; enterpriseName: string; mentorUserId: string | null }
export interface AgreementExpiringRow { agreementId: string; termEnd: string; enterpriseId: string; enterpriseName: string; programmeName: string }
export interface TeamCountsRow { teamId: string; teamName: string; programmeName: string; total: number; enterprise: number; experts: number }
export interface FollowUpDueRow { cohortId: string; cohortName: string; months: number; graduates: number; names: string[] }
export interface EvaluationEventRow { evaluationId: string; variant: 'scheduled' | 'upcoming' | 'concluded'; kind: 'mid-term' | 'completion'; scheduledOn: string; programmeName: string; conclusion: string | null; rectifyBy: string | null }

export interface DeliveryRow {
  id: string;
  tenantId: string | null;
  day: string;
  kind: ReminderKind;
  subjectType: string;
  subjectId: string;
  recipientUserId: string;
  recipientName: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
}

/**
 * All SQL of reminders: one query per reminder kind and college (every subject of the day at
 * once, no query per subject), the recipients, and the deliveries. Dates come in as the job's
 * day ($2), never as "now", so a retried or late job decides exactly as the first attempt.
 */
@Injectable()
export class RemindersRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get db(): EntityManager {
    return (this.txHost as Tx).tx;
  }

  /** Active college and enterprise accounts of the college that reminders may address. */
  collegeRecipients(tenantId: string): Promise<Recipient[]> {
    return this.db.query(
      `SELECT m.user_id AS "userId", m.role, m.enterprise_id AS "enterpriseId"
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.tenant_id = $1 AND m.status = 'active' AND u.status = 'active' AND m.role IN ('college-admin','college-staff','enterprise-admin')
       ORDER BY m.user_id`,
      [tenantId],
    );
  }

  async provinceAdmins(): Promise<string[]> {
    const rows: { userId: string }[] = await this.db.query(
      `SELECT DISTINCT m.user_id AS "userId" FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.scope = 'province' AND m.role = 'province-admin' AND m.status = 'active' AND u.status = 'active' ORDER BY 1`,
    );
    return rows.map((r) => r.userId);
  }

  /** Active colleges, for the daily fan-out. */
  async activeTenantIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM tenants WHERE status = 'active' ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** R-APP-1/3: notices addressed to the college whose deadline (or its reopening) is N days away, with no application submitted. */
  noticeDeadlines(tenantId: string, day: string, daysBefore: readonly number[]): Promise<NoticeDeadlineRow[]> {
    return this.db.query(
      `SELECT n.id AS "noticeId", n.title, COALESCE(r.reopened_until, n.deadline)::text AS deadline,
              (COALESCE(r.reopened_until, n.deadline) - $2::date) AS "daysLeft"
       FROM pilot_notice_recipients r JOIN pilot_notices n ON n.id = r.notice_id
       WHERE r.college_id = $1 AND (COALESCE(r.reopened_until, n.deadline) - $2::date) = ANY($3::int[])
         AND NOT EXISTS (SELECT 1 FROM pilot_applications a
                         WHERE a.tenant_id = $1 AND a.notice_id = n.id AND a.status IN ('submitted','under-review','decided'))
       ORDER BY n.id`,
      [tenantId, day, daysBefore],
    );
  }

  /** R-APP-5: open public-notice windows whose stored end date is N days from the day (province scope). */
  publicityEnding(day: string, daysBefore: readonly number[]): Promise<PublicityEndingRow[]> {
    return this.db.query(
      `SELECT b.id AS "batchId", b.title, b.ends_on::text AS "endsOn", (b.ends_on - $1::date) AS "daysLeft", b.provisional,
              (SELECT count(*) FROM pilot_objections o WHERE o.batch_id = b.id AND o.status = 'open')::int AS "openObjections",
              (SELECT count(*) FROM pilot_application_programmes ap WHERE ap.batch_id = b.id)::int AS programmes
       FROM pilot_publicity_batches b
       WHERE b.status = 'open' AND (b.ends_on - $1::date) = ANY($2::int[])
       ORDER BY b.id`,
      [day, daysBefore],
    );
  }

  /** R-TRN-3: per started cohort, students in school without an active college mentor, enterprise mentor, or both. */
  mentorPairMissing(tenantId: string): Promise<PairMissingRow[]> {
    return this.db.query(
      `SELECT c.id AS "cohortId", c.name AS "cohortName", count(*)::int AS students,
              count(*) FILTER (WHERE NOT a.has_college)::int AS "missingCollege",
              count(*) FILTER (WHERE NOT a.has_enterprise)::int AS "missingEnterprise",
              (array_agg(s.name ORDER BY s.name, s.id))[1:5] AS names
       FROM students s
       JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       CROSS JOIN LATERAL (
         SELECT COALESCE(bool_or(m.side = 'college'), false) AS has_college, COALESCE(bool_or(m.side = 'enterprise'), false) AS has_enterprise
         FROM mentorships m WHERE m.tenant_id = s.tenant_id AND m.student_id = s.id AND m.ended_on IS NULL
       ) a
       WHERE s.tenant_id = $1 AND s.status IN ${IN_SCHOOL} AND c.status = 'started' AND NOT (a.has_college AND a.has_enterprise)
       GROUP BY c.id, c.name
       ORDER BY c.id`,
      [tenantId],
    );
  }

  /** R-TRN-4: running placements with their hours and both mentors' accounts; the at-risk rule itself is the practice module's. */
  runningPlacements(tenantId: string, day: string): Promise<RunningPlacementRow[]> {
    return this.db.query(
      `SELECT pl.id AS "placementId", s.name AS "studentName", e.name AS "enterpriseName", pl.stage_name AS "stageName",
              pl.planned_hours AS "plannedHours", COALESCE(h.logged, 0)::float8 AS "loggedHours", COALESCE(h.confirmed, 0)::float8 AS "confirmedHours",
              pl.starts_on::text AS "startsOn", pl.ends_on::text AS "endsOn",
              mc.user_id AS "collegeMentorUserId", me.user_id AS "enterpriseMentorUserId"
       FROM placements pl
       JOIN students s ON s.tenant_id = pl.tenant_id AND s.id = pl.student_id
       JOIN enterprises e ON e.id = pl.enterprise_id
       LEFT JOIN LATERAL (
         SELECT sum(x.hours) FILTER (WHERE x.status <> 'rejected') AS logged, sum(x.hours) FILTER (WHERE x.status = 'confirmed') AS confirmed
         FROM practice_hours_entries x WHERE x.tenant_id = pl.tenant_id AND x.placement_id = pl.id
       ) h ON true
       LEFT JOIN LATERAL (${ACTIVE_MENTOR('college', 'pl.student_id')}) mc ON true
       LEFT JOIN LATERAL (${ACTIVE_MENTOR('enterprise', 'pl.student_id')}) me ON true
       WHERE pl.tenant_id = $1 AND pl.starts_on <= $2::date AND pl.ends_on >= $2::date AND s.status IN ${IN_SCHOOL}
       ORDER BY pl.id`,
      [tenantId, day],
    );
  }

  /** tenants.settings.practiceRiskPoints, as the practice module reads it (null: its default). */
  async riskPointsSetting(tenantId: string): Promise<unknown> {
    const rows = await this.db.query(`SELECT settings -> 'practiceRiskPoints' AS value FROM tenants WHERE id = $1`, [tenantId]);
    return rows[0]?.value ?? null;
  }

  /**
   * R-TRN-4: hours entries pending and work orders submitted, waiting on the enterprise side for
   * exactly one of the given numbers of whole days (the China date they started waiting counts as 0).
   */
  awaitingMentor(tenantId: string, day: string, waitedDays: readonly number[]): Promise<AwaitingRow[]> {
    return this.db.query(
      `WITH waiting AS (
         SELECT 'hours'::text AS item, x.id, x.student_id, x.placement_id, ($2::date - ${CHINA_DATE_OF('x.created_at')}) AS waited, x.work_date::text AS detail
         FROM practice_hours_entries x WHERE x.tenant_id = $1 AND x.status = 'pending'
         UNION ALL
         SELECT 'work-order', w.id, w.student_id, w.placement_id, ($2::date - ${CHINA_DATE_OF('w.submitted_at')}), w.title
         FROM work_orders w WHERE w.tenant_id = $1 AND w.status = 'submitted' AND w.submitted_at IS NOT NULL
       )
       SELECT wt.item, wt.id, wt.waited, wt.detail, s.name AS "studentName", pl.enterprise_id AS "enterpriseId", e.name AS "enterpriseName",
              me.staff_id AS "mentorStaffId", me.name AS "mentorName", me.user_id AS "mentorUserId"
       FROM waiting wt
       JOIN students s ON s.tenant_id = $1 AND s.id = wt.student_id
       JOIN placements pl ON pl.tenant_id = $1 AND pl.id = wt.placement_id
       JOIN enterprises e ON e.id = pl.enterprise_id
       LEFT JOIN LATERAL (${ACTIVE_MENTOR('enterprise', 'wt.student_id')}) me ON true
       WHERE wt.waited = ANY($3::int[])
       ORDER BY wt.item, wt.id`,
      [tenantId, day, waitedDays],
    );
  }

  /** R-TRN-4 / R-EVA-3: stages that ended N days before the day with no submitted practice assessment for the student and stage. */
  stagesEndedWithoutAssessment(tenantId: string, day: string, daysAfter: readonly number[]): Promise<StageEndedRow[]> {
    return this.db.query(
      `SELECT pl.id AS "placementId", s.name AS "studentName", pl.stage_name AS "stageName", pl.ends_on::text AS "endsOn",
              ($2::date - pl.ends_on) AS "daysAfter", e.name AS "enterpriseName", me.user_id AS "mentorUserId"
       FROM placements pl
       JOIN students s ON s.tenant_id = pl.tenant_id AND s.id = pl.student_id
       JOIN enterprises e ON e.id = pl.enterprise_id
       LEFT JOIN LATERAL (${ACTIVE_MENTOR('enterprise', 'pl.student_id')}) me ON true
       WHERE pl.tenant_id = $1 AND ($2::date - pl.ends_on) = ANY($3::int[]) AND s.status IN ${IN_SCHOOL}
         AND NOT EXISTS (
           SELECT 1 FROM assessment_results r JOIN assessment_sheets sh ON sh.tenant_id = r.tenant_id AND sh.id = r.sheet_id
           WHERE r.tenant_id = pl.tenant_id AND r.student_id = pl.student_id AND r.kind = 'practice' AND r.is_current
             AND (r.status = 'submitted' OR sh.status = 'submitted') AND (sh.stage_index IS NULL OR sh.stage_index = pl.stage_index))
       ORDER BY pl.id`,
      [tenantId, day, daysAfter],
    );
  }

  /** R-TRN-1: signed agreements whose term ends exactly N days after the day, not already followed by a later signed one. */
  agreementsExpiring(tenantId: string, day: string, daysBefore: number): Promise<AgreementExpiringRow[]> {
    return this.db.query(
      `SELECT a.id AS "agreementId", a.term_end::text AS "termEnd", p.enterprise_id AS "enterpriseId", a.enterprise_party_name AS "enterpriseName",
              pr.name AS "programmeName"
       FROM agreements a
       JOIN partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
       JOIN programmes pr ON pr.tenant_id = p.tenant_id AND pr.id = p.programme_id
       WHERE a.tenant_id = $1 AND a.status = 'signed' AND (a.term_end - $2::date) = $3
         AND NOT EXISTS (SELECT 1 FROM agreements n WHERE n.tenant_id = a.tenant_id AND n.partnership_id = a.partnership_id
                         AND n.status = 'signed' AND n.term_end > a.term_end)
       ORDER BY a.id`,
      [tenantId, day, daysBefore],
    );
  }

  /** R-EVA-2 counts of every team, as the teams module counts them (active, confirmed members; experts from staff_members_v). */
  teamCounts(tenantId: string): Promise<TeamCountsRow[]> {
    return this.db.query(
      `SELECT t.id AS "teamId", t.name AS "teamName", p.name AS "programmeName", c.total, c.enterprise, c.experts
       FROM teams t
       JOIN programmes p ON p.tenant_id = t.tenant_id AND p.id = t.programme_id
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS total, count(*) FILTER (WHERE s.side = 'enterprise')::int AS enterprise, count(*) FILTER (WHERE s.expert)::int AS experts
         FROM team_members m JOIN staff_members_v s ON s.tenant_id = m.tenant_id AND s.id = m.staff_member_id
         WHERE m.tenant_id = t.tenant_id AND m.team_id = t.id AND s.status = 'active' AND s.confirmation = 'confirmed'
       ) c
       WHERE t.tenant_id = $1
       ORDER BY t.id`,
      [tenantId],
    );
  }

  /** R-EVA-4: graduates whose 6- or 12-month follow-up falls on the day and is not recorded yet, per cohort. */
  followUpsDue(tenantId: string, day: string, months: readonly number[]): Promise<FollowUpDueRow[]> {
    return this.db.query(
      `SELECT c.id AS "cohortId", c.name AS "cohortName", k.months, count(*)::int AS graduates, (array_agg(s.name ORDER BY s.name, s.id))[1:5] AS names
       FROM students s
       JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       CROSS JOIN unnest($3::int[]) AS k(months)
       WHERE s.tenant_id = $1 AND s.status = 'graduated' AND s.left_on IS NOT NULL
         AND (s.left_on + make_interval(months => k.months))::date = $2::date
         AND NOT EXISTS (SELECT 1 FROM graduate_follow_ups f WHERE f.tenant_id = s.tenant_id AND f.student_id = s.id AND f.checkpoint_months = k.months)
       GROUP BY c.id, c.name, k.months
       ORDER BY c.id, k.months`,
      [tenantId, day, months],
    );
  }

  /** R-GOV-3: evaluations scheduled the day before, due in N days, or concluded the day before. */
  evaluationEvents(tenantId: string, day: string, daysBefore: number): Promise<EvaluationEventRow[]> {
    return this.db.query(
      `SELECT e.id AS "evaluationId", v.variant, e.kind, e.scheduled_on::text AS "scheduledOn", p.name AS "programmeName",
              e.conclusion, e.rectify_by::text AS "rectifyBy"
       FROM pilot_evaluations e
       JOIN programmes p ON p.tenant_id = e.tenant_id AND p.id = e.programme_id
       CROSS JOIN LATERAL (
         SELECT 'scheduled'::text AS variant WHERE ${CHINA_DATE_OF('e.created_at')} = $2::date - 1
         UNION ALL SELECT 'upcoming' WHERE e.status = 'scheduled' AND e.scheduled_on - $2::date = $3
         UNION ALL SELECT 'concluded' WHERE e.status = 'concluded' AND e.concluded_on = $2::date - 1
       ) v
       WHERE e.tenant_id = $1
       ORDER BY e.id, v.variant`,
      [tenantId, day, daysBefore],
    );
  }

  /**
   * Records a reminder for each recipient who has not had it yet; returns those recipients.
   * Two transactions recording the same reminder at once: the unique key makes the second wait
   * for the first and then record nothing, so only one of them delivers it.
   */
  async record(tenantId: string | null, day: string, m: ReminderMessage, dedupeKey: string): Promise<string[]> {
    const table = tenantId ? 'reminder_deliveries' : 'province_reminder_deliveries';
    const conflict = tenantId ? '(tenant_id, recipient_user_id, dedupe_key)' : '(recipient_user_id, dedupe_key)';
    const params: unknown[] = [day, m.kind, m.subjectType, m.subjectId, m.recipientUserIds, dedupeKey, m.title, m.body, m.link];
    if (tenantId) params.push(tenantId);
    const rows: { userId: string }[] = await this.db.query(
      `INSERT INTO ${table} (${tenantId ? 'tenant_id, ' : ''}day, kind, subject_type, subject_id, recipient_user_id, dedupe_key, title, body, link)
       SELECT ${tenantId ? '$10, ' : ''}$1, $2, $3, $4, r.user_id, $6, $7, $8, $9 FROM unnest($5::uuid[]) AS r(user_id)
       ON CONFLICT ${conflict} DO NOTHING
       RETURNING recipient_user_id AS "userId"`,
      params,
    );
    return rows.map((r) => r.userId);
  }

  /** What went out, newest day first; RLS shows a college its own, the province both tables. */
  listSent(f: { kind?: string; day?: string; limit: number; cursor?: string }): Promise<DeliveryRow[]> {
    const params: unknown[] = [f.limit + 1];
    const where: string[] = [];
    if (f.kind) {
      params.push(f.kind);
      where.push(`d.kind = $${params.length}`);
    }
    if (f.day) {
      params.push(f.day);
      where.push(`d.day = $${params.length}::date`);
    }
    const after = decodeCursor(f.cursor, 3);
    if (after) {
      if (typeof after[0] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(after[0]) || typeof after[1] !== 'string' || typeof after[2] !== 'string' || !UUID.test(after[2])) {
        throw new AppException(PaginationErrors.BAD_CURSOR);
      }
      params.push(after[0], after[1], after[2]);
      const n = params.length;
      where.push(`(d.day, d.created_at, d.id) < ($${n - 2}::date, $${n - 1}::timestamptz, $${n}::uuid)`);
    }
    const columns = `day, created_at, id, kind, subject_type, subject_id, recipient_user_id, title, body, link`;
    return this.db.query(
      `SELECT d.id, d.tenant_id AS "tenantId", d.day::text AS day, d.kind, d.subject_type AS "subjectType", d.subject_id AS "subjectId",
              d.recipient_user_id AS "recipientUserId", u.display_name AS "recipientName", d.title, d.body, d.link, d.created_at AS "createdAt"
       FROM (SELECT tenant_id, ${columns} FROM reminder_deliveries
             UNION ALL SELECT NULL::uuid, ${columns} FROM province_reminder_deliveries) d
       JOIN users u ON u.id = d.recipient_user_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.day DESC, d.created_at DESC, d.id DESC
       LIMIT $1`,
      params,
    );
  }
}
