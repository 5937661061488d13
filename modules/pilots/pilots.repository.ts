import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { ApplicationStatus, ManagementScheme, PartnerMaterials, ProgrammeStage, ReviewCriterion } from './domain/process';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CollegeRow {
  id: string;
  name: string;
  tier: string;
  city: string;
  status: string;
}

export interface NoticeRow {
  id: string;
  year: number;
  title: string;
  requirements: string;
  materials: string[];
  reviewCriteria: ReviewCriterion[];
  deadline: string;
  version: number;
  createdAt: Date;
}

export interface RecipientRow {
  noticeId: string;
  collegeId: string;
  collegeName: string;
  tier: string;
  city: string;
  eligible: boolean;
  reason: string | null;
  reopenedUntil: string | null;
  reopenReason: string | null;
}

export interface ApplicationRow {
  id: string;
  tenantId: string;
  collegeName: string;
  noticeId: string;
  noticeTitle: string;
  year: number;
  deadline: string;
  reviewCriteria: ReviewCriterion[];
  status: ApplicationStatus;
  managementScheme: ManagementScheme;
  committeeDecidedOn: string | null;
  committeeDecision: string | null;
  committeeNotes: string | null;
  submittedAt: Date | null;
  snapshot: Record<string, unknown> | null;
  version: number;
  createdAt: Date;
  programmeCount?: number;
}

export interface ApplicationProgrammeRow {
  id: string;
  tenantId: string;
  applicationId: string;
  programmeId: string;
  programmeCode: string;
  programmeName: string;
  pilotStatus: string;
  planVersionNo: number | null;
  partners: PartnerMaterials[];
  stage: ProgrammeStage;
  decisionReason: string | null;
  batchId: string | null;
}

export interface ReviewRow {
  id: string;
  applicationProgrammeId: string;
  expertUserId: string;
  expertName: string;
  scores: Record<string, number>;
  total: string | number;
  comments: string;
  recommendation: string;
  createdAt: Date;
}

export interface BatchRow {
  id: string;
  title: string;
  publishedOn: string;
  computedEndsOn: string;
  endsOn: string;
  provisional: boolean;
  provisionalYears: number[];
  endAdjustReason: string | null;
  status: 'open' | 'announced' | 'filed';
  announcedOn: string | null;
  filedOn: string | null;
  filingReference: string | null;
  version: number;
}

export interface ObjectionRow {
  id: string;
  tenantId: string;
  applicationProgrammeId: string;
  batchId: string;
  receivedOn: string;
  content: string;
  status: 'open' | 'upheld' | 'dismissed';
  resolution: string | null;
}

const APPLICATION_SELECT = `
  SELECT a.id, a.tenant_id AS "tenantId", t.name AS "collegeName", a.notice_id AS "noticeId", n.title AS "noticeTitle", n.year,
         n.deadline::text AS deadline, n.review_criteria AS "reviewCriteria", a.status, a.management_scheme AS "managementScheme",
         a.committee_decided_on::text AS "committeeDecidedOn", a.committee_decision AS "committeeDecision", a.committee_notes AS "committeeNotes",
         a.submitted_at AS "submittedAt", a.snapshot, a.version, a.created_at AS "createdAt",
         (SELECT count(*)::int FROM pilot_application_programmes ap WHERE ap.tenant_id = a.tenant_id AND ap.application_id = a.id) AS "programmeCount"
  FROM pilot_applications a
  JOIN tenants t ON t.id = a.tenant_id
  JOIN pilot_notices n ON n.id = a.notice_id`;

const BATCH_SELECT = `
  SELECT id, title, published_on::text AS "publishedOn", computed_ends_on::text AS "computedEndsOn", ends_on::text AS "endsOn",
         provisional, provisional_years AS "provisionalYears", end_adjust_reason AS "endAdjustReason", status,
         announced_on::text AS "announcedOn", filed_on::text AS "filedOn", filing_reference AS "filingReference", version
  FROM pilot_publicity_batches`;

/**
 * All SQL of the pilot process. Province-owned tables are walled by their own policies;
 * college tables are read with an explicit tenant filter in college scope (the second
 * line after RLS) and across colleges only in province scope (the province read policy).
 */
@Injectable()
export class PilotsRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get db(): EntityManager {
    return (this.txHost as Tx).tx;
  }

  private get isProvince(): boolean {
    return this.tenant.scope === 'province';
  }

  // ------------------------------------------------------------ colleges, users

  collegesByIds(ids: string[]): Promise<CollegeRow[]> {
    return this.db.query(`SELECT id, name, tier, city, status FROM tenants WHERE id = ANY($1::uuid[])`, [ids]);
  }

  activeCollegesOfTiers(tiers: string[]): Promise<CollegeRow[]> {
    return this.db.query(`SELECT id, name, tier, city, status FROM tenants WHERE status = 'active' AND tier = ANY($1) ORDER BY name, id`, [tiers]);
  }

  /** Every membership of a user (control plane): the conflict check reads them. */
  membershipsOf(userId: string): Promise<{ scope: string; tenantId: string | null; enterpriseId: string | null; role: string; status: string }[]> {
    return this.db.query(
      `SELECT scope, tenant_id AS "tenantId", enterprise_id AS "enterpriseId", role, status FROM memberships WHERE user_id = $1`,
      [userId],
    );
  }

  async userName(userId: string): Promise<string | null> {
    const r = await this.db.query(`SELECT display_name AS name FROM users WHERE id = $1`, [userId]);
    return r[0]?.name ?? null;
  }

  // ------------------------------------------------------------ notices

  async insertNotice(v: Omit<NoticeRow, 'id' | 'version' | 'createdAt'> & { createdBy: string | null }): Promise<NoticeRow> {
    const r = await this.db.query(
      `INSERT INTO pilot_notices (year, title, requirements, materials, review_criteria, deadline, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [v.year, v.title, v.requirements, JSON.stringify(v.materials), JSON.stringify(v.reviewCriteria), v.deadline, v.createdBy],
    );
    return (await this.notice(r[0].id))!;
  }

  async insertRecipients(noticeId: string, rows: { collegeId: string; eligible: boolean; reason: string | null }[]): Promise<void> {
    if (!rows.length) return;
    await this.db.query(
      `INSERT INTO pilot_notice_recipients (notice_id, college_id, eligible, reason)
       SELECT $1, x.college_id, x.eligible, x.reason FROM unnest($2::uuid[], $3::boolean[], $4::text[]) AS x(college_id, eligible, reason)`,
      [noticeId, rows.map((r) => r.collegeId), rows.map((r) => r.eligible), rows.map((r) => r.reason)],
    );
  }

  /** RLS: a college sees the notice only when addressed. */
  async notice(id: string): Promise<NoticeRow | null> {
    const r = await this.db.query(
      `SELECT id, year, title, requirements, materials, review_criteria AS "reviewCriteria", deadline::text AS deadline, version, created_at AS "createdAt"
       FROM pilot_notices WHERE id = $1`,
      [id],
    );
    return r[0] ?? null;
  }

  listNotices(f: { year?: number; limit: number; cursor?: string }): Promise<NoticeRow[]> {
    const params: unknown[] = [f.limit + 1];
    const where: string[] = [];
    if (f.year) {
      params.push(f.year);
      where.push(`year = $${params.length}`);
    }
    const after = decodeCursor(f.cursor, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    return this.db.query(
      `SELECT id, year, title, requirements, materials, review_criteria AS "reviewCriteria", deadline::text AS deadline, version, created_at AS "createdAt"
       FROM pilot_notices ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
  }

  /** Recipients of the notices; a college reads only its own row (RLS). */
  recipients(noticeIds: string[]): Promise<RecipientRow[]> {
    return this.db.query(
      `SELECT r.notice_id AS "noticeId", r.college_id AS "collegeId", t.name AS "collegeName", t.tier, t.city, r.eligible, r.reason,
              r.reopened_until::text AS "reopenedUntil", r.reopen_reason AS "reopenReason"
       FROM pilot_notice_recipients r JOIN tenants t ON t.id = r.college_id
       WHERE r.notice_id = ANY($1::uuid[]) ORDER BY t.name, r.college_id`,
      [noticeIds],
    );
  }

  async recipient(noticeId: string, collegeId: string): Promise<RecipientRow | null> {
    const rows = await this.recipients([noticeId]);
    return rows.find((r) => r.collegeId === collegeId) ?? null;
  }

  async reopen(noticeId: string, collegeId: string, until: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE pilot_notice_recipients SET reopened_until = $3, reopen_reason = $4 WHERE notice_id = $1 AND college_id = $2`,
      [noticeId, collegeId, until, reason],
    );
  }

  // ------------------------------------------------------------ applications

  async insertApplication(v: { noticeId: string; managementScheme: ManagementScheme; committee: { decidedOn: string; decision: string; notes: string | null } | null; createdBy: string | null }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_applications (tenant_id, notice_id, management_scheme, committee_decided_on, committee_decision, committee_notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        this.tenant.requireTenantId(),
        v.noticeId,
        JSON.stringify(v.managementScheme),
        v.committee?.decidedOn ?? null,
        v.committee?.decision ?? null,
        v.committee?.notes ?? null,
        v.createdBy,
      ],
    );
    return r[0].id;
  }

  async applicationExists(noticeId: string): Promise<boolean> {
    const r = await this.db.query(`SELECT 1 FROM pilot_applications WHERE tenant_id = $1 AND notice_id = $2`, [this.tenant.requireTenantId(), noticeId]);
    return r.length > 0;
  }

  /**
   * An application the caller may see: a college its own; a province admin or viewer any;
   * an expert only those assigned to them.
   */
  async application(id: string, opts: { lock?: boolean; expertUserId?: string } = {}): Promise<ApplicationRow | null> {
    const params: unknown[] = [id];
    let where = 'a.id = $1';
    if (!this.isProvince) {
      params.push(this.tenant.requireTenantId());
      where += ` AND a.tenant_id = $${params.length}`;
    }
    if (opts.expertUserId) {
      params.push(opts.expertUserId);
      where += ` AND EXISTS (SELECT 1 FROM pilot_expert_assignments x WHERE x.tenant_id = a.tenant_id AND x.application_id = a.id AND x.expert_user_id = $${params.length})`;
    }
    const r = await this.db.query(`${APPLICATION_SELECT} WHERE ${where}${opts.lock ? ' FOR UPDATE OF a' : ''}`, params);
    return r[0] ?? null;
  }

  listApplications(f: { tenantId?: string; noticeId?: string; status?: string; expertUserId?: string; limit: number; cursor?: string }): Promise<ApplicationRow[]> {
    const params: unknown[] = [f.limit + 1];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.tenantId) add('a.tenant_id = ?', f.tenantId);
    if (f.noticeId) add('a.notice_id = ?', f.noticeId);
    if (f.status) add('a.status = ?', f.status);
    if (f.expertUserId) {
      add('EXISTS (SELECT 1 FROM pilot_expert_assignments x WHERE x.tenant_id = a.tenant_id AND x.application_id = a.id AND x.expert_user_id = ?)', f.expertUserId);
    }
    const after = decodeCursor(f.cursor, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where.push(`(a.created_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    return this.db.query(
      `${APPLICATION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.created_at DESC, a.id DESC LIMIT $1`,
      params,
    );
  }

  async updateApplication(
    id: string,
    tenantId: string,
    v: Partial<{ status: ApplicationStatus; managementScheme: ManagementScheme; committee: { decidedOn: string; decision: string; notes: string | null }; submittedAt: Date; snapshot: object }>,
  ): Promise<void> {
    const sets: string[] = ['version = version + 1', 'updated_at = now()'];
    const params: unknown[] = [id, tenantId];
    const set = (col: string, value: unknown) => {
      params.push(value);
      sets.push(`${col} = $${params.length}`);
    };
    if (v.status) set('status', v.status);
    if (v.managementScheme) set('management_scheme', JSON.stringify(v.managementScheme));
    if (v.committee) {
      set('committee_decided_on', v.committee.decidedOn);
      set('committee_decision', v.committee.decision);
      set('committee_notes', v.committee.notes);
    }
    if (v.submittedAt) set('submitted_at', v.submittedAt);
    if (v.snapshot) set('snapshot', JSON.stringify(v.snapshot));
    await this.db.query(`UPDATE pilot_applications SET ${sets.join(', ')} WHERE id = $1 AND tenant_id = $2`, params);
  }

  applicationProgrammes(applicationIds: string[]): Promise<ApplicationProgrammeRow[]> {
    return this.db.query(
      `SELECT ap.id, ap.tenant_id AS "tenantId", ap.application_id AS "applicationId", ap.programme_id AS "programmeId", p.code AS "programmeCode",
              p.name AS "programmeName", p.pilot_status AS "pilotStatus", ap.plan_version_no AS "planVersionNo", ap.partners, ap.stage,
              ap.decision_reason AS "decisionReason", ap.batch_id AS "batchId"
       FROM pilot_application_programmes ap
       JOIN programmes p ON p.tenant_id = ap.tenant_id AND p.id = ap.programme_id
       WHERE ap.application_id = ANY($1::uuid[]) ORDER BY p.code, ap.id`,
      [applicationIds],
    );
  }

  /** Programmes of this college by id (RLS and the tenant filter: another college's id is simply absent). */
  programmesOfCollege(ids: string[]): Promise<{ id: string; name: string; pilotStatus: string }[]> {
    return this.db.query(`SELECT id, name, pilot_status AS "pilotStatus" FROM programmes WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [
      this.tenant.requireTenantId(),
      ids,
    ]);
  }

  /** A programme already in another application still in the process (not rejected). */
  async programmesInOtherOpenApplications(programmeIds: string[], exceptApplicationId: string | null): Promise<string[]> {
    const r = await this.db.query(
      `SELECT DISTINCT ap.programme_id AS id FROM pilot_application_programmes ap
       WHERE ap.tenant_id = $1 AND ap.programme_id = ANY($2::uuid[]) AND ap.stage <> 'rejected'
         AND ($3::uuid IS NULL OR ap.application_id <> $3::uuid)`,
      [this.tenant.requireTenantId(), programmeIds, exceptApplicationId],
    );
    return r.map((x: { id: string }) => x.id);
  }

  async replaceProgrammes(applicationId: string, items: { programmeId: string; partners: PartnerMaterials[] }[]): Promise<void> {
    const tenantId = this.tenant.requireTenantId();
    const keep = items.map((i) => i.programmeId);
    // decided programmes (approved, rejected) keep their decision: only pending or returned ones are replaced
    await this.db.query(
      `DELETE FROM pilot_application_programmes WHERE tenant_id = $1 AND application_id = $2 AND stage IN ('pending','returned') AND NOT (programme_id = ANY($3::uuid[]))`,
      [tenantId, applicationId, keep],
    );
    for (const i of items) {
      await this.db.query(
        `INSERT INTO pilot_application_programmes (tenant_id, application_id, programme_id, partners) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, application_id, programme_id) DO UPDATE SET partners = EXCLUDED.partners
         WHERE pilot_application_programmes.stage IN ('pending','returned')`,
        [tenantId, applicationId, i.programmeId, JSON.stringify(i.partners)],
      );
    }
  }

  async setProgrammeStage(
    id: string,
    tenantId: string,
    v: { stage: ProgrammeStage; reason?: string | null; decided?: boolean; batchId?: string | null; planVersionNo?: number | null },
  ): Promise<void> {
    const sets = ['stage = $3'];
    const params: unknown[] = [id, tenantId, v.stage];
    if (v.reason !== undefined) {
      params.push(v.reason);
      sets.push(`decision_reason = $${params.length}`);
    }
    if (v.decided) sets.push('decided_at = now()');
    if (v.batchId !== undefined) {
      params.push(v.batchId);
      sets.push(`batch_id = $${params.length}`);
    }
    if (v.planVersionNo !== undefined) {
      params.push(v.planVersionNo);
      sets.push(`plan_version_no = $${params.length}`);
    }
    await this.db.query(`UPDATE pilot_application_programmes SET ${sets.join(', ')} WHERE id = $1 AND tenant_id = $2`, params);
  }

  /** Attachment ids of this college that exist (R-APP-7 materials are stored attachments). */
  async existingAttachments(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const r = await this.db.query(`SELECT id FROM attachments WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [this.tenant.requireTenantId(), ids]);
    return new Set(r.map((x: { id: string }) => x.id));
  }

  /** The agreement ids that belong to a partnership of this programme with this enterprise. */
  async agreementOf(agreementId: string, programmeId: string, enterpriseId: string): Promise<boolean> {
    const r = await this.db.query(
      `SELECT 1 FROM agreements a JOIN partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
       WHERE a.tenant_id = $1 AND a.id = $2 AND p.programme_id = $3 AND p.enterprise_id = $4`,
      [this.tenant.requireTenantId(), agreementId, programmeId, enterpriseId],
    );
    return r.length > 0;
  }

  // ------------------------------------------------------------ review

  assignments(applicationIds: string[]): Promise<{ applicationId: string; expertUserId: string; expertName: string; assignedAt: Date }[]> {
    return this.db.query(
      `SELECT x.application_id AS "applicationId", x.expert_user_id AS "expertUserId", u.display_name AS "expertName", x.assigned_at AS "assignedAt"
       FROM pilot_expert_assignments x JOIN users u ON u.id = x.expert_user_id
       WHERE x.application_id = ANY($1::uuid[]) ORDER BY x.assigned_at, x.expert_user_id`,
      [applicationIds],
    );
  }

  async insertAssignment(applicationId: string, expertUserId: string, assignedBy: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO pilot_expert_assignments (tenant_id, application_id, expert_user_id, assigned_by) VALUES ($1, $2, $3, $4)`,
      [this.tenant.requireTenantId(), applicationId, expertUserId, assignedBy],
    );
  }

  reviews(applicationProgrammeIds: string[]): Promise<ReviewRow[]> {
    return this.db.query(
      `SELECT r.id, r.application_programme_id AS "applicationProgrammeId", r.expert_user_id AS "expertUserId", u.display_name AS "expertName",
              r.scores, r.total, r.comments, r.recommendation, r.created_at AS "createdAt"
       FROM pilot_reviews r JOIN users u ON u.id = r.expert_user_id
       WHERE r.application_programme_id = ANY($1::uuid[]) ORDER BY r.created_at, r.id`,
      [applicationProgrammeIds],
    );
  }

  async insertReview(v: { applicationProgrammeId: string; expertUserId: string; scores: Record<string, number>; total: number; comments: string; recommendation: string }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_reviews (tenant_id, application_programme_id, expert_user_id, scores, total, comments, recommendation)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [this.tenant.requireTenantId(), v.applicationProgrammeId, v.expertUserId, JSON.stringify(v.scores), v.total, v.comments, v.recommendation],
    );
    return r[0].id;
  }

  siteChecks(applicationIds: string[]): Promise<{ id: string; applicationId: string; checkedOn: string; findings: string }[]> {
    return this.db.query(
      `SELECT id, application_id AS "applicationId", checked_on::text AS "checkedOn", findings FROM pilot_site_checks
       WHERE application_id = ANY($1::uuid[]) ORDER BY checked_on, created_at`,
      [applicationIds],
    );
  }

  async insertSiteCheck(applicationId: string, checkedOn: string, findings: string, recordedBy: string | null): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_site_checks (tenant_id, application_id, checked_on, findings, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [this.tenant.requireTenantId(), applicationId, checkedOn, findings, recordedBy],
    );
    return r[0].id;
  }

  // ------------------------------------------------------------ public notice

  /** Province read across colleges: where each application programme lives. */
  applicationProgrammesById(ids: string[]): Promise<ApplicationProgrammeRow[]> {
    return this.db.query(
      `SELECT ap.id, ap.tenant_id AS "tenantId", ap.application_id AS "applicationId", ap.programme_id AS "programmeId", p.code AS "programmeCode",
              p.name AS "programmeName", p.pilot_status AS "pilotStatus", ap.plan_version_no AS "planVersionNo", ap.partners, ap.stage,
              ap.decision_reason AS "decisionReason", ap.batch_id AS "batchId"
       FROM pilot_application_programmes ap JOIN programmes p ON p.tenant_id = ap.tenant_id AND p.id = ap.programme_id
       WHERE ap.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async insertBatch(v: { title: string; publishedOn: string; endsOn: string; provisional: boolean; provisionalYears: number[]; createdBy: string | null }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_publicity_batches (title, published_on, computed_ends_on, ends_on, provisional, provisional_years, created_by)
       VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id`,
      [v.title, v.publishedOn, v.endsOn, v.provisional, v.provisionalYears, v.createdBy],
    );
    return r[0].id;
  }

  async batch(id: string, lock = false): Promise<BatchRow | null> {
    const r = await this.db.query(`${BATCH_SELECT} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r[0] ?? null;
  }

  listBatches(f: { limit: number; cursor?: string }): Promise<BatchRow[]> {
    const params: unknown[] = [f.limit + 1];
    let where = '';
    const after = decodeCursor(f.cursor, 2);
    if (after) {
      if (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1])) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where = `WHERE (published_on, id) < ($2::date, $3::uuid)`;
    }
    return this.db.query(`${BATCH_SELECT} ${where} ORDER BY published_on DESC, id DESC LIMIT $1`, params);
  }

  async updateBatch(
    id: string,
    v: Partial<{ endsOn: string; endAdjustReason: string; provisional: boolean; status: string; announcedOn: string; filedOn: string; filingReference: string }>,
  ): Promise<void> {
    const cols: Record<string, string> = {
      endsOn: 'ends_on',
      endAdjustReason: 'end_adjust_reason',
      provisional: 'provisional',
      status: 'status',
      announcedOn: 'announced_on',
      filedOn: 'filed_on',
      filingReference: 'filing_reference',
    };
    const sets = ['version = version + 1', 'updated_at = now()'];
    const params: unknown[] = [id];
    for (const [k, value] of Object.entries(v)) {
      params.push(value);
      sets.push(`${cols[k]} = $${params.length}`);
    }
    await this.db.query(`UPDATE pilot_publicity_batches SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** The items of a batch: every college's in province scope, the caller's own in college scope. */
  batchItems(batchId: string): Promise<(ApplicationProgrammeRow & { collegeName: string })[]> {
    const params: unknown[] = [batchId];
    let where = 'ap.batch_id = $1';
    if (!this.isProvince) {
      params.push(this.tenant.requireTenantId());
      where += ' AND ap.tenant_id = $2';
    }
    return this.db.query(
      `SELECT ap.id, ap.tenant_id AS "tenantId", t.name AS "collegeName", ap.application_id AS "applicationId", ap.programme_id AS "programmeId",
              p.code AS "programmeCode", p.name AS "programmeName", p.pilot_status AS "pilotStatus", ap.plan_version_no AS "planVersionNo",
              ap.partners, ap.stage, ap.decision_reason AS "decisionReason", ap.batch_id AS "batchId"
       FROM pilot_application_programmes ap
       JOIN programmes p ON p.tenant_id = ap.tenant_id AND p.id = ap.programme_id
       JOIN tenants t ON t.id = ap.tenant_id
       WHERE ${where} ORDER BY t.name, p.code, ap.id`,
      params,
    );
  }

  objectionsOfBatch(batchId: string): Promise<ObjectionRow[]> {
    const params: unknown[] = [batchId];
    let where = 'batch_id = $1';
    if (!this.isProvince) {
      params.push(this.tenant.requireTenantId());
      where += ' AND tenant_id = $2';
    }
    return this.db.query(
      `SELECT id, tenant_id AS "tenantId", application_programme_id AS "applicationProgrammeId", batch_id AS "batchId", received_on::text AS "receivedOn",
              content, status, resolution FROM pilot_objections WHERE ${where} ORDER BY received_on, created_at`,
      params,
    );
  }

  async objection(id: string, lock = false): Promise<ObjectionRow | null> {
    const r = await this.db.query(
      `SELECT id, tenant_id AS "tenantId", application_programme_id AS "applicationProgrammeId", batch_id AS "batchId", received_on::text AS "receivedOn",
              content, status, resolution FROM pilot_objections WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return r[0] ?? null;
  }

  async insertObjection(v: { applicationProgrammeId: string; batchId: string; receivedOn: string; content: string }): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO pilot_objections (tenant_id, application_programme_id, batch_id, received_on, content) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [this.tenant.requireTenantId(), v.applicationProgrammeId, v.batchId, v.receivedOn, v.content],
    );
    return r[0].id;
  }

  async resolveObjection(id: string, status: 'upheld' | 'dismissed', resolution: string): Promise<void> {
    await this.db.query(`UPDATE pilot_objections SET status = $3, resolution = $4, resolved_at = now() WHERE id = $1 AND tenant_id = $2`, [
      id,
      this.tenant.requireTenantId(),
      status,
      resolution,
    ]);
  }

  async openObjectionCount(batchId: string): Promise<number> {
    const r = await this.db.query(`SELECT count(*)::int AS n FROM pilot_objections WHERE batch_id = $1 AND status = 'open'`, [batchId]);
    return r[0].n;
  }
}
