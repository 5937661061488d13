import { randomBytes } from 'node:crypto';
import { chinaToday } from '../../../src/time/china-date';
import type { IdentityFactory } from '../../factories/identity.factory';
import { compliantTeam } from './cohorts.fixtures';
import { linkToCollege } from './enterprises.fixtures';
import { attachmentRow, inTenant, planRow, programmeRow } from './programmes.fixtures';
import { staffRow } from './staff.fixtures';
import { isAllowed, Permission } from '../../../src/auth/permissions';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const tag = () => randomBytes(3).toString('hex');

/** A China date `days` from today (negative: in the past). */
export function daysFromToday(days: number): string {
  const d = new Date(`${chinaToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const THIS_YEAR = Number(chinaToday().slice(0, 4));

/** A province-owned row: written by the owner with province scope (FORCE RLS applies to it too). */
export async function asProvince<T = any>(f: IdentityFactory, sql: string, params: unknown[] = []): Promise<T[]> {
  await f.query('BEGIN');
  try {
    await f.query("SELECT set_config('app.scope', 'province', true)");
    const r = await f.query(sql, params);
    await f.query('COMMIT');
    return r.rows;
  } catch (e) {
    await f.query('ROLLBACK');
    throw e;
  }
}

/** A notice addressed to the given colleges, deadline in `deadlineInDays`. */
export async function noticeRow(f: IdentityFactory, collegeIds: string[], deadlineInDays = 30): Promise<string> {
  const [n] = await asProvince(
    f,
    `INSERT INTO pilot_notices (year, title, requirements, materials, review_criteria, deadline) VALUES ($1, $2, '服务双十产业集群', '["人才培养方案"]', $3, $4) RETURNING id`,
    [
      THIS_YEAR,
      `试点通知${tag()}`,
      JSON.stringify([
        { code: 'industry-fit', nameZh: '专业与产业契合度', nameEn: 'Programme–industry fit' },
        { code: 'enterprise-resources', nameZh: '企业资源真实性', nameEn: 'Genuineness of enterprise resources' },
        { code: 'assessment-scheme', nameZh: '考核方案合理性', nameEn: 'Soundness of the assessment scheme' },
      ]),
      daysFromToday(deadlineInDays),
    ],
  );
  for (const c of collegeIds) await asProvince(f, `INSERT INTO pilot_notice_recipients (notice_id, college_id, eligible) VALUES ($1, $2, true)`, [n.id, c]);
  return n.id;
}

export interface ReadyProgramme {
  programmeId: string;
  enterpriseId: string;
  agreementId: string;
  qualificationId: string;
}

/**
 * A programme that meets R-PRG-1…3 today (reviewed current plan, one partner meeting
 * R-ENT-1…4 with an agreement in force) and has an R-EVA-2 compliant team; rows written
 * directly, dates relative to today.
 */
export async function readyProgramme(
  f: IdentityFactory,
  tenantId: string,
  uploadedBy: string,
  o: { agreementEndsInDays?: number; team?: boolean; enterpriseId?: string } = {},
): Promise<ReadyProgramme> {
  const programmeId = await programmeRow(f, tenantId);
  const planId = await planRow(f, tenantId, programmeId, 1, 'current');
  await inTenant(f, tenantId, () =>
    f.query(
      `INSERT INTO training_plan_reviews (tenant_id, plan_id, reviewed_on, experts, conclusion) VALUES ($1, $2, $3, $4, 'passed')`,
      [tenantId, planId, daysFromToday(-90), JSON.stringify([{ name: '陈国华', title: '正高级工程师', organisation: '广东省机械工程学会' }])],
    ),
  );
  const enterpriseId = o.enterpriseId ?? (await f.enterprise(`珠江精密机械有限公司${tag()}`));
  await f.query(
    `UPDATE enterprises SET headcount = 860, revenue_band = '2b-10b', standing = '省级专精特新企业', values_skills_training = true,
            takes_part_in_assessment = true, can_place_graduates = true WHERE id = $1`,
    [enterpriseId],
  );
  await f.query(
    `INSERT INTO enterprise_cooperations (enterprise_id, kind, partner_college, title, started_on) VALUES ($1, 'order-class', '广州市工贸技师学院', '数控车工订单班', $2)`,
    [enterpriseId, daysFromToday(-365)],
  );
  await linkToCollege(f, tenantId, enterpriseId);
  await staffRow(f, tenantId, { enterpriseId, titleLevelCode: 'deputy-senior' });
  const file = await attachmentRow(f, tenantId, uploadedBy);
  const qualificationId = await attachmentRow(f, tenantId, uploadedBy);
  const agreementId = await inTenant(f, tenantId, async () => {
    await f.query(`INSERT INTO enterprise_offerings (tenant_id, enterprise_id, kind, title, capacity) VALUES ($1, $2, 'post', '数控车间岗位', 6)`, [tenantId, enterpriseId]);
    const p = await f.query(
      `INSERT INTO partnerships (tenant_id, programme_id, enterprise_id, status, started_on) VALUES ($1, $2, $3, 'active', $4) RETURNING id`,
      [tenantId, programmeId, enterpriseId, daysFromToday(-200)],
    );
    const a = await f.query(
      `INSERT INTO agreements (tenant_id, partnership_id, college_party_name, enterprise_party_name, signed_on, term_start, term_end,
                               rights_and_duties, signed_file_attachment_id, status)
       VALUES ($1, $2, '广州市工贸技师学院', '合作企业', $3, $3, $4, '双方共同制定培养方案、共同考核', $5, 'signed') RETURNING id`,
      [tenantId, p.rows[0].id, daysFromToday(-200), daysFromToday(o.agreementEndsInDays ?? 900), file],
    );
    return a.rows[0].id as string;
  });
  if (o.team !== false) await compliantTeam(f, tenantId, programmeId, enterpriseId);
  return { programmeId, enterpriseId, agreementId, qualificationId };
}

/** The three management-scheme documents (R-APP-7 ③). */
export async function managementScheme(f: IdentityFactory, tenantId: string, uploadedBy: string) {
  return {
    assessmentSchemeAttachmentId: await attachmentRow(f, tenantId, uploadedBy),
    managementRulesAttachmentId: await attachmentRow(f, tenantId, uploadedBy),
    enrolmentEmploymentPlanAttachmentId: await attachmentRow(f, tenantId, uploadedBy),
  };
}

/**
 * An application written directly at a given status, with one programme at `stage`
 * (the programme itself is a bare row: these fixtures test access, not the checks).
 */
export async function applicationRow(
  f: IdentityFactory,
  tenantId: string,
  v: { status?: string; stage?: string; noticeId?: string; expertUserId?: string; batchId?: string | null } = {},
): Promise<{ applicationId: string; itemId: string; programmeId: string; noticeId: string }> {
  const noticeId = v.noticeId ?? (await noticeRow(f, [tenantId]));
  const programmeId = await programmeRow(f, tenantId);
  return inTenant(f, tenantId, async () => {
    const a = await f.query(
      `INSERT INTO pilot_applications (tenant_id, notice_id, status, committee_decided_on, committee_decision) VALUES ($1, $2, $3, $4, 'approved') RETURNING id`,
      [tenantId, noticeId, v.status ?? 'draft', daysFromToday(-10)],
    );
    const i = await f.query(
      `INSERT INTO pilot_application_programmes (tenant_id, application_id, programme_id, stage, batch_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [tenantId, a.rows[0].id, programmeId, v.stage ?? 'pending', v.batchId ?? null],
    );
    if (v.expertUserId) {
      await f.query(`INSERT INTO pilot_expert_assignments (tenant_id, application_id, expert_user_id) VALUES ($1, $2, $3)`, [tenantId, a.rows[0].id, v.expertUserId]);
    }
    return { applicationId: a.rows[0].id, itemId: i.rows[0].id, programmeId, noticeId };
  });
}

/** A public-notice batch (province row), published `publishedDaysAgo` days ago, ending 7 days later (an end date a province admin confirmed). */
export async function batchRow(f: IdentityFactory, v: { publishedDaysAgo?: number; status?: string } = {}): Promise<string> {
  const ago = v.publishedDaysAgo ?? 2;
  const [b] = await asProvince(
    f,
    `INSERT INTO pilot_publicity_batches (title, published_on, computed_ends_on, ends_on, provisional, end_adjust_reason, status, announced_on)
     VALUES ('公示', $1, $2, $2, false, '截止日期已核定', $3, $4) RETURNING id`,
    [daysFromToday(-ago), daysFromToday(-ago + 7), v.status ?? 'open', v.status && v.status !== 'open' ? daysFromToday(-1) : null],
  );
  return b.id;
}

/** A pilot programme (active) of a college. */
export async function activePilot(f: IdentityFactory, tenantId: string): Promise<string> {
  const id = await programmeRow(f, tenantId);
  await inTenant(f, tenantId, () => f.query(`UPDATE programmes SET pilot_status = 'active' WHERE id = $1`, [id]));
  return id;
}

const expertOf = async (w: MatrixWorld, a: Actor) => (a.role === 'province-expert' ? a.userId : (await w.f.member('province-expert')).userId);

const PILOTS_RAW: Record<string, RouteFixture> = {
  'POST /api/v1/pilot-notices': {
    build: async (w) => ({
      path: '/api/v1/pilot-notices',
      body: { year: THIS_YEAR, title: '试点申报通知', requirements: '服务双十产业集群', materials: ['人才培养方案'], deadline: daysFromToday(30), collegeIds: [w.tenantA] },
    }),
  },
  'GET /api/v1/pilot-notices': { build: async () => ({ path: '/api/v1/pilot-notices', query: { limit: '5' } }) },
  'GET /api/v1/pilot-notices/:id': {
    build: async (w) => ({ path: `/api/v1/pilot-notices/${await noticeRow(w.f, [w.tenantA])}` }),
    foreign: async (w) => ({ path: `/api/v1/pilot-notices/${await noticeRow(w.f, [w.tenantB])}` }),
  },
  'POST /api/v1/pilot-notices/:id/reopenings': {
    build: async (w) => ({
      path: `/api/v1/pilot-notices/${await noticeRow(w.f, [w.tenantA], -3)}/reopenings`,
      body: { collegeId: w.tenantA, until: daysFromToday(7), reason: '材料盖章延误' },
    }),
  },
  'POST /api/v1/pilot-applications': {
    build: async (w) => ({
      path: '/api/v1/pilot-applications',
      body: { noticeId: await noticeRow(w.f, [w.tenantA]), programmes: [{ programmeId: await programmeRow(w.f, w.tenantA), partners: [] }] },
    }),
  },
  'GET /api/v1/pilot-applications': { build: async () => ({ path: '/api/v1/pilot-applications', query: { limit: '5' } }) },
  'GET /api/v1/pilot-applications/:id': {
    build: async (w, a) => {
      const { applicationId } = await applicationRow(w.f, w.tenantA, { status: 'under-review', expertUserId: a.role === 'province-expert' ? a.userId : undefined });
      return { path: `/api/v1/pilot-applications/${applicationId}` };
    },
    foreign: async (w) => ({ path: `/api/v1/pilot-applications/${(await applicationRow(w.f, w.tenantB)).applicationId}` }),
  },
  'PATCH /api/v1/pilot-applications/:id': {
    build: async (w) => ({ path: `/api/v1/pilot-applications/${(await applicationRow(w.f, w.tenantA)).applicationId}`, body: { version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/pilot-applications/${(await applicationRow(w.f, w.tenantB)).applicationId}`, body: { version: 1 } }),
  },
  'POST /api/v1/pilot-applications/:id/submit': {
    build: async (w, a) => {
      const ready = await readyProgramme(w.f, w.tenantA, a.userId);
      const noticeId = await noticeRow(w.f, [w.tenantA]);
      const scheme = await managementScheme(w.f, w.tenantA, a.userId);
      const applicationId = await inTenant(w.f, w.tenantA, async () => {
        const r = await w.f.query(
          `INSERT INTO pilot_applications (tenant_id, notice_id, management_scheme, committee_decided_on, committee_decision) VALUES ($1, $2, $3, $4, 'approved') RETURNING id`,
          [w.tenantA, noticeId, JSON.stringify(scheme), daysFromToday(-3)],
        );
        await w.f.query(`INSERT INTO pilot_application_programmes (tenant_id, application_id, programme_id, partners) VALUES ($1, $2, $3, $4)`, [
          w.tenantA,
          r.rows[0].id,
          ready.programmeId,
          JSON.stringify([{ enterpriseId: ready.enterpriseId, qualificationAttachmentIds: [ready.qualificationId], agreementId: ready.agreementId }]),
        ]);
        return r.rows[0].id as string;
      });
      return { path: `/api/v1/pilot-applications/${applicationId}/submit`, body: { version: 1 } };
    },
    foreign: async (w) => ({ path: `/api/v1/pilot-applications/${(await applicationRow(w.f, w.tenantB)).applicationId}/submit`, body: { version: 1 } }),
  },
  'POST /api/v1/pilot-applications/:id/experts': {
    build: async (w, a) => ({
      path: `/api/v1/pilot-applications/${(await applicationRow(w.f, w.tenantA, { status: 'submitted' })).applicationId}/experts`,
      body: { expertUserId: await expertOf(w, a) },
    }),
  },
  'POST /api/v1/pilot-applications/:id/reviews': {
    build: async (w, a) => {
      const { applicationId, itemId } = await applicationRow(w.f, w.tenantA, { status: 'under-review', expertUserId: await expertOf(w, a) });
      return {
        path: `/api/v1/pilot-applications/${applicationId}/reviews`,
        body: { applicationProgrammeId: itemId, scores: { 'industry-fit': 80, 'enterprise-resources': 75, 'assessment-scheme': 70 }, comments: '材料完整', recommendation: 'approve' },
      };
    },
  },
  'POST /api/v1/pilot-applications/:id/site-checks': {
    build: async (w, a) => {
      const { applicationId } = await applicationRow(w.f, w.tenantA, { status: 'under-review', expertUserId: a.role === 'province-expert' ? a.userId : undefined });
      return { path: `/api/v1/pilot-applications/${applicationId}/site-checks`, body: { checkedOn: daysFromToday(-1), findings: '设备与岗位与材料一致' } };
    },
  },
  'POST /api/v1/pilot-applications/:id/decisions': {
    build: async (w) => {
      const { applicationId, itemId } = await applicationRow(w.f, w.tenantA, { status: 'under-review' });
      return { path: `/api/v1/pilot-applications/${applicationId}/decisions`, body: { decisions: [{ applicationProgrammeId: itemId, decision: 'approve' }] } };
    },
  },
  'POST /api/v1/publicity-batches': {
    build: async (w) => {
      const { itemId } = await applicationRow(w.f, w.tenantA, { status: 'decided', stage: 'approved' });
      return { path: '/api/v1/publicity-batches', body: { title: '试点专业公示', applicationProgrammeIds: [itemId] } };
    },
  },
  'GET /api/v1/publicity-batches': { build: async () => ({ path: '/api/v1/publicity-batches', query: { limit: '5' } }) },
  'GET /api/v1/publicity-batches/:id': { build: async (w) => ({ path: `/api/v1/publicity-batches/${await batchRow(w.f)}` }) },
  'PATCH /api/v1/publicity-batches/:id/end-date': {
    build: async (w) => ({ path: `/api/v1/publicity-batches/${await batchRow(w.f)}/end-date`, body: { endsOn: daysFromToday(9), reason: '核定', version: 1 } }),
  },
  'POST /api/v1/publicity-batches/:id/objections': {
    build: async (w) => {
      const batchId = await batchRow(w.f);
      const { itemId } = await applicationRow(w.f, w.tenantA, { status: 'decided', stage: 'in-publicity', batchId });
      return { path: `/api/v1/publicity-batches/${batchId}/objections`, body: { applicationProgrammeId: itemId, receivedOn: daysFromToday(-1), content: '反映岗位不实' } };
    },
  },
  'POST /api/v1/pilot-objections/:id/resolution': {
    build: async (w) => {
      const batchId = await batchRow(w.f);
      const { itemId } = await applicationRow(w.f, w.tenantA, { status: 'decided', stage: 'in-publicity', batchId });
      const [o] = await inTenant(w.f, w.tenantA, async () =>
        (await w.f.query(`INSERT INTO pilot_objections (tenant_id, application_programme_id, batch_id, received_on, content) VALUES ($1, $2, $3, $4, '异议') RETURNING id`, [w.tenantA, itemId, batchId, daysFromToday(-1)])).rows,
      );
      return { path: `/api/v1/pilot-objections/${o.id}/resolution`, body: { outcome: 'dismissed', resolution: '经核实不成立' } };
    },
  },
  'POST /api/v1/publicity-batches/:id/announcement': {
    build: async (w) => {
      const batchId = await batchRow(w.f, { publishedDaysAgo: 20 });
      const { programmeId } = await applicationRow(w.f, w.tenantA, { status: 'decided', stage: 'in-publicity', batchId });
      await inTenant(w.f, w.tenantA, () => w.f.query(`UPDATE programmes SET pilot_status = 'applied' WHERE id = $1`, [programmeId]));
      return { path: `/api/v1/publicity-batches/${batchId}/announcement` };
    },
  },
  'POST /api/v1/publicity-batches/:id/filing': {
    build: async (w) => ({ path: `/api/v1/publicity-batches/${await batchRow(w.f, { status: 'announced' })}/filing`, body: { filedOn: chinaToday(), reference: '人社厅函〔2026〕318号' } }),
  },
};

/** An evaluation of a pilot programme of the college (written directly). */
export async function evaluationRow(
  f: IdentityFactory,
  tenantId: string,
  v: { kind?: 'mid-term' | 'completion'; expertUserId?: string; pilotStatus?: string } = {},
): Promise<{ evaluationId: string; programmeId: string }> {
  const programmeId = await activePilot(f, tenantId);
  return inTenant(f, tenantId, async () => {
    if (v.pilotStatus) await f.query(`UPDATE programmes SET pilot_status = $2 WHERE id = $1`, [programmeId, v.pilotStatus]);
    const r = await f.query(
      `INSERT INTO pilot_evaluations (tenant_id, programme_id, kind, scheduled_on, expert_user_ids) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [tenantId, programmeId, v.kind ?? 'mid-term', daysFromToday(-1), v.expertUserId ? [v.expertUserId] : []],
    );
    return { evaluationId: r.rows[0].id as string, programmeId };
  });
}

const EVALUATIONS_RAW: Record<string, RouteFixture> = {
  'POST /api/v1/pilot-evaluations': {
    build: async (w) => ({
      path: '/api/v1/pilot-evaluations',
      body: { programmeId: await activePilot(w.f, w.tenantA), kind: 'mid-term', scheduledOn: daysFromToday(30), expertUserIds: [(await w.f.member('province-expert')).userId] },
    }),
  },
  'GET /api/v1/pilot-evaluations': { build: async () => ({ path: '/api/v1/pilot-evaluations', query: { limit: '5' } }) },
  'GET /api/v1/pilot-evaluations/:id': {
    build: async (w, a) => ({ path: `/api/v1/pilot-evaluations/${(await evaluationRow(w.f, w.tenantA, { expertUserId: a.role === 'province-expert' ? a.userId : undefined })).evaluationId}` }),
    foreign: async (w) => ({ path: `/api/v1/pilot-evaluations/${(await evaluationRow(w.f, w.tenantB)).evaluationId}` }),
  },
  'POST /api/v1/pilot-evaluations/:id/conclusion': {
    build: async (w) => ({
      path: `/api/v1/pilot-evaluations/${(await evaluationRow(w.f, w.tenantA)).evaluationId}/conclusion`,
      body: { checklistScores: { 方案执行: 85 }, conclusion: 'pass', reason: '方案执行到位' },
    }),
  },
  'POST /api/v1/pilot-revocations': {
    build: async (w) => ({ path: '/api/v1/pilot-revocations', body: { programmeId: await activePilot(w.f, w.tenantA), reason: '违规跨专业招生' } }),
  },
};

const GOVERNANCE_RAW: Record<string, RouteFixture> = {
  'POST /api/v1/pilot-consultations': {
    build: async () => ({
      path: '/api/v1/pilot-consultations',
      body: {
        heldOn: daysFromToday(-1),
        title: '试点工作推进会商',
        attendees: [{ name: '王建国', organisation: '省人社厅' }],
        topics: ['中期评估安排'],
        decisions: ['下季度开展中期评估'],
        actions: [{ action: '报送评估材料', owner: '各试点院校', dueOn: daysFromToday(30) }],
      },
    }),
  },
  'GET /api/v1/pilot-consultations': { build: async () => ({ path: '/api/v1/pilot-consultations', query: { limit: '5' } }) },
  'POST /api/v1/pilot-funding-decisions': {
    build: async (w) => ({
      path: '/api/v1/pilot-funding-decisions',
      body: { programmeId: await activePilot(w.f, w.tenantA), decidedOn: chinaToday(), perStudentCoefficient: 1.2, basis: '试点专业生均经费系数上浮' },
    }),
  },
  'GET /api/v1/pilot-overview': { build: async () => ({ path: '/api/v1/pilot-overview' }) },
  'POST /api/v1/experience-reports': {
    build: async () => ({ path: '/api/v1/experience-reports', body: { year: THIS_YEAR, title: '试点年度经验总结', summary: '校企共建学习型工厂' } }),
  },
  'GET /api/v1/experience-reports': { build: async () => ({ path: '/api/v1/experience-reports', query: { limit: '5' } }) },
  'POST /api/v1/experience-reports/:id/selection': {
    build: async (w) => ({ path: `/api/v1/experience-reports/${await experienceReportRow(w.f, w.tenantA)}/selection`, body: { caseTitle: '双导师培养模式', reason: '模式可复制' } }),
  },
};

/** A college's experience report (R-GOV-4), written directly. */
export async function experienceReportRow(f: IdentityFactory, tenantId: string): Promise<string> {
  return inTenant(f, tenantId, async () =>
    (await f.query(`INSERT INTO pilot_experience_reports (tenant_id, year, title, summary) VALUES ($1, $2, '年度经验总结', '校企共建学习型工厂') RETURNING id`, [tenantId, THIS_YEAR])).rows[0].id as string,
  );
}

/** Each route's permission, so that a denied role gets a cheap request (the guard answers 403 before any lookup). */
const PERMISSION_OF: Record<string, Permission> = {
  'POST /api/v1/pilot-notices': 'pilots.manage',
  'GET /api/v1/pilot-notices': 'pilots.read',
  'GET /api/v1/pilot-notices/:id': 'pilots.read',
  'POST /api/v1/pilot-notices/:id/reopenings': 'pilots.manage',
  'POST /api/v1/pilot-applications': 'pilots.apply',
  'GET /api/v1/pilot-applications': 'pilots.read',
  'GET /api/v1/pilot-applications/:id': 'pilots.read',
  'PATCH /api/v1/pilot-applications/:id': 'pilots.apply',
  'POST /api/v1/pilot-applications/:id/submit': 'pilots.apply',
  'POST /api/v1/pilot-applications/:id/experts': 'pilots.manage',
  'POST /api/v1/pilot-applications/:id/reviews': 'pilots.review',
  'POST /api/v1/pilot-applications/:id/site-checks': 'pilots.site-check',
  'POST /api/v1/pilot-applications/:id/decisions': 'pilots.manage',
  'POST /api/v1/publicity-batches': 'pilots.manage',
  'GET /api/v1/publicity-batches': 'pilots.read',
  'GET /api/v1/publicity-batches/:id': 'pilots.read',
  'PATCH /api/v1/publicity-batches/:id/end-date': 'pilots.manage',
  'POST /api/v1/publicity-batches/:id/objections': 'pilots.manage',
  'POST /api/v1/pilot-objections/:id/resolution': 'pilots.manage',
  'POST /api/v1/publicity-batches/:id/announcement': 'pilots.manage',
  'POST /api/v1/publicity-batches/:id/filing': 'pilots.manage',
  'POST /api/v1/pilot-evaluations': 'evaluations.manage',
  'GET /api/v1/pilot-evaluations': 'evaluations.read',
  'GET /api/v1/pilot-evaluations/:id': 'evaluations.read',
  'POST /api/v1/pilot-evaluations/:id/conclusion': 'evaluations.manage',
  'POST /api/v1/pilot-revocations': 'evaluations.manage',
  'POST /api/v1/pilot-consultations': 'governance.manage',
  'GET /api/v1/pilot-consultations': 'governance.read',
  'POST /api/v1/pilot-funding-decisions': 'governance.manage',
  'GET /api/v1/pilot-overview': 'governance.read',
  'POST /api/v1/experience-reports': 'experience-reports.submit',
  'GET /api/v1/experience-reports': 'experience-reports.read',
  'POST /api/v1/experience-reports/:id/selection': 'governance.manage',
};

function cheapWhenDenied(fixtures: Record<string, RouteFixture>): Record<string, RouteFixture> {
  const out: Record<string, RouteFixture> = {};
  for (const [key, fixture] of Object.entries(fixtures)) {
    const permission = PERMISSION_OF[key];
    if (!permission) throw new Error(`no permission listed for ${key}`);
    out[key] = {
      ...fixture,
      build: async (w, a) =>
        isAllowed(a.role, permission) ? fixture.build(w, a) : { path: key.split(' ')[1].replace(/:\w+/g, '00000000-0000-4000-8000-000000000000'), body: key.startsWith('GET ') ? undefined : {} },
    };
  }
  return out;
}

export const PILOTS_FIXTURES = cheapWhenDenied(PILOTS_RAW);
export const EVALUATIONS_FIXTURES = cheapWhenDenied(EVALUATIONS_RAW);
export const GOVERNANCE_FIXTURES = cheapWhenDenied(GOVERNANCE_RAW);
