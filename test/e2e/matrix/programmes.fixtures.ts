import { createHash, randomBytes } from 'node:crypto';
import type { IdentityFactory } from '../../factories/identity.factory';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const tag = () => randomBytes(4).toString('hex');

/** A complete plan content (R-TRN-2); `classSize` 28 unless told. */
export function planContent(overrides: Record<string, unknown> = {}) {
  return {
    occupationStandard: { code: '6-18-01-01', name: '车工（2018 年版）' },
    stages: [
      {
        track: 'senior-worker',
        name: '高级工阶段（第一至四学期）',
        courses: [
          { name: '普通车床零件加工', workTask: '阶梯轴车削', hours: 240, skillStandardItems: ['3.1.1 能车削阶梯轴', '3.1.2 能车削螺纹'] },
          { name: '数控车床编程与加工', workTask: '套类零件数控车削', hours: 320, skillStandardItems: ['3.2.1 能编制数控车削程序'] },
        ],
      },
      {
        track: 'technician',
        name: '技师阶段（第五、六学期）',
        courses: [
          { name: '复杂轴类零件数控车削加工', workTask: '细长轴车削', hours: 200, skillStandardItems: ['2.1.1 能编制细长轴加工工艺'] },
          { name: '车削工艺改进与技术革新', workTask: '工装夹具改进项目', hours: 160, skillStandardItems: ['2.4.1 能进行工艺改进', '2.5.1 能指导初级工'] },
        ],
      },
    ],
    practiceStages: [
      { name: '企业岗位实践（一）', track: 'senior-worker', plannedHours: 320, siteType: 'learning-factory' },
      { name: '企业岗位实践（二）：数控车间顶岗', track: 'technician', plannedHours: 480, siteType: 'enterprise' },
    ],
    assessments: [
      { kind: 'process', name: '一体化课程过程性考评', passMark: 60, method: '任务工单与过程记录' },
      { kind: 'terminal', name: '技师阶段终结性考评（企业参与）', passMark: 70, method: '实操作品 + 答辩' },
    ],
    integrations: {
      curriculum: '以车工国家职业技能标准为依据，将企业典型工作任务转化为一体化课程',
      resources: '校企共建工作页、微课与企业真实图纸资源库',
      methods: '任务驱动、项目教学',
      venues: '校内学习型工厂与合作企业车间一体化设置',
      teachers: '院校导师与企业导师 1+1 组成教学团队',
    },
    classSize: 28,
    ...overrides,
  };
}

/** Runs statements on the owner connection pinned to one college (tenant tables are under FORCE RLS). */
export async function inTenant<T>(f: IdentityFactory, tenantId: string, fn: () => Promise<T>): Promise<T> {
  await f.query('BEGIN');
  try {
    await f.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const out = await fn();
    await f.query('COMMIT');
    return out;
  } catch (e) {
    await f.query('ROLLBACK');
    throw e;
  }
}

/** A programme of `tenantId`, written directly (R-PRG-1 fields filled). */
export async function programmeRow(f: IdentityFactory, tenantId: string, values: { clusters?: string[]; evidence?: string | null } = {}): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO programmes (tenant_id, code, name, occupation_code, occupation_name, cluster_codes, talent_gap_evidence)
       VALUES ($1, $2, '数控加工（数控车工）', '6-18-01-01', '车工', $3, $4) RETURNING id`,
      [tenantId, `P-${tag()}`, values.clusters ?? ['E02'], values.evidence === undefined ? '珠三角数控加工技师缺口约 3000 人' : values.evidence],
    );
    return r.rows[0].id as string;
  });
}

/** A plan version row of a programme. */
export async function planRow(
  f: IdentityFactory,
  tenantId: string,
  programmeId: string,
  versionNo: number,
  status: 'draft' | 'current' | 'pending-filing' | 'superseded',
  changeKind: 'initial' | 'minor' | 'major' = 'initial',
): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO training_plans (tenant_id, programme_id, version_no, status, change_kind, changed_areas, based_on_version, occupation_code, class_size, content, effective_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '6-18-01-01', 28, $8, $9) RETURNING id`,
      [
        tenantId,
        programmeId,
        versionNo,
        status,
        changeKind,
        changeKind === 'major' ? ['course-system'] : [],
        versionNo > 1 ? versionNo - 1 : null,
        JSON.stringify(planContent()),
        status === 'current' ? new Date() : null,
      ],
    );
    return r.rows[0].id as string;
  });
}

/** An attachment row of a college (party-committee minutes). */
export async function attachmentRow(f: IdentityFactory, tenantId: string, uploadedBy: string): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO attachments (tenant_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, '党委会会议纪要.pdf', 'application/pdf', 1024, $2, $3, $4) RETURNING id`,
      [tenantId, createHash('sha256').update(tag()).digest('hex'), `matrix/${tag()}`, uploadedBy],
    );
    return r.rows[0].id as string;
  });
}

/** A programme with a current v1 and a pending major change v2, optionally with its party-committee decision. */
async function pendingMajor(w: MatrixWorld, tenantId: string, userId: string, withDecision: boolean) {
  const programmeId = await programmeRow(w.f, tenantId);
  await planRow(w.f, tenantId, programmeId, 1, 'current');
  const planId = await planRow(w.f, tenantId, programmeId, 2, 'pending-filing', 'major');
  const attachmentId = await attachmentRow(w.f, tenantId, userId);
  if (withDecision) {
    await inTenant(w.f, tenantId, () =>
      w.f.query(
        `INSERT INTO training_plan_decisions (tenant_id, plan_id, decided_on, minutes_attachment_id, minutes_filename, minutes_sha256)
         VALUES ($1, $2, '2026-03-02', $3, '党委会会议纪要.pdf', $4)`,
        [tenantId, planId, attachmentId, 'a'.repeat(64)],
      ),
    );
  }
  return { programmeId, attachmentId };
}

const plans = (programmeId: string, rest = '') => `/api/v1/programmes/${programmeId}/plans${rest}`;

/** Routes of the programmes and training-plans modules (issue 3). */
export const PROGRAMMES_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/programmes': {
    build: async () => ({
      path: '/api/v1/programmes',
      body: { code: `M-${tag()}`, name: '工业机器人应用与维护', occupation: { code: '6-31-01-10', name: '工业机器人系统运维员' }, clusterCodes: ['E03'] },
    }),
  },
  'GET /api/v1/programmes': { build: async () => ({ path: '/api/v1/programmes', query: { limit: '5' } }) },
  'GET /api/v1/programmes/:id': {
    build: async (w) => ({ path: `/api/v1/programmes/${await programmeRow(w.f, w.tenantA)}` }),
    foreign: async (w) => ({ path: `/api/v1/programmes/${await programmeRow(w.f, w.tenantB)}` }),
  },
  'PATCH /api/v1/programmes/:id': {
    build: async (w) => ({ path: `/api/v1/programmes/${await programmeRow(w.f, w.tenantA)}`, body: { name: '数控加工（五轴方向）', version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/programmes/${await programmeRow(w.f, w.tenantB)}`, body: { name: '数控加工', version: 1 } }),
  },
  'POST /api/v1/programmes/:id/pilot-status': {
    build: async (w) => {
      const id = await programmeRow(w.f, w.tenantA);
      await inTenant(w.f, w.tenantA, () => w.f.query(`UPDATE programmes SET pilot_status = 'applied' WHERE id = $1`, [id]));
      return { path: `/api/v1/programmes/${id}/pilot-status`, body: { status: 'active', reason: '经评审与公示，同意开展试点', version: 1 } };
    },
  },
  'GET /api/v1/programmes/:id/eligibility': {
    build: async (w) => ({ path: `/api/v1/programmes/${await programmeRow(w.f, w.tenantA)}/eligibility`, query: { referenceDate: '2026-05-20' } }),
    foreign: async (w) => ({ path: `/api/v1/programmes/${await programmeRow(w.f, w.tenantB)}/eligibility` }),
  },

  'POST /api/v1/programmes/:id/plans': {
    build: async (w) => ({ path: plans(await programmeRow(w.f, w.tenantA)), body: { content: planContent() } }),
    foreign: async (w) => ({ path: plans(await programmeRow(w.f, w.tenantB)), body: { content: planContent() } }),
  },
  'GET /api/v1/programmes/:id/plans': {
    build: async (w) => ({ path: plans(await programmeRow(w.f, w.tenantA)) }),
    foreign: async (w) => ({ path: plans(await programmeRow(w.f, w.tenantB)) }),
  },
  'GET /api/v1/programmes/:id/plans/:versionNo': {
    build: async (w) => {
      const id = await programmeRow(w.f, w.tenantA);
      await planRow(w.f, w.tenantA, id, 1, 'current');
      return { path: plans(id, '/1') };
    },
    foreign: async (w) => {
      const id = await programmeRow(w.f, w.tenantB);
      await planRow(w.f, w.tenantB, id, 1, 'current');
      return { path: plans(id, '/1') };
    },
  },
  'PATCH /api/v1/programmes/:id/plans/:versionNo': {
    build: async (w) => {
      const id = await programmeRow(w.f, w.tenantA);
      await planRow(w.f, w.tenantA, id, 1, 'draft');
      return { path: plans(id, '/1'), body: { content: planContent({ classSize: 24 }), version: 1 } };
    },
    foreign: async (w) => {
      const id = await programmeRow(w.f, w.tenantB);
      await planRow(w.f, w.tenantB, id, 1, 'draft');
      return { path: plans(id, '/1'), body: { content: planContent(), version: 1 } };
    },
  },
  'POST /api/v1/programmes/:id/plans/:versionNo/adopt': {
    build: async (w) => {
      const id = await programmeRow(w.f, w.tenantA);
      await planRow(w.f, w.tenantA, id, 1, 'draft');
      return { path: plans(id, '/1/adopt'), body: { version: 1 } };
    },
    foreign: async (w) => {
      const id = await programmeRow(w.f, w.tenantB);
      await planRow(w.f, w.tenantB, id, 1, 'draft');
      return { path: plans(id, '/1/adopt'), body: { version: 1 } };
    },
  },
  'POST /api/v1/programmes/:id/plans/:versionNo/reviews': {
    build: async (w) => {
      const id = await programmeRow(w.f, w.tenantA);
      await planRow(w.f, w.tenantA, id, 1, 'current');
      return { path: plans(id, '/1/reviews'), body: reviewBody() };
    },
    foreign: async (w) => {
      const id = await programmeRow(w.f, w.tenantB);
      await planRow(w.f, w.tenantB, id, 1, 'current');
      return { path: plans(id, '/1/reviews'), body: reviewBody() };
    },
  },
  'POST /api/v1/programmes/:id/plans/:versionNo/changes': {
    build: async (w) => {
      const id = await programmeRow(w.f, w.tenantA);
      await planRow(w.f, w.tenantA, id, 1, 'current');
      return { path: plans(id, '/1/changes'), body: minorChange() };
    },
    foreign: async (w) => {
      const id = await programmeRow(w.f, w.tenantB);
      await planRow(w.f, w.tenantB, id, 1, 'current');
      return { path: plans(id, '/1/changes'), body: minorChange() };
    },
  },
  'POST /api/v1/programmes/:id/plans/:versionNo/party-decision': {
    build: async (w, a: Actor) => {
      const { programmeId, attachmentId } = await pendingMajor(w, w.tenantA, a.userId, false);
      return { path: plans(programmeId, '/2/party-decision'), body: { decidedOn: '2026-03-02', minutesAttachmentId: attachmentId } };
    },
    foreign: async (w, a: Actor) => {
      const { programmeId, attachmentId } = await pendingMajor(w, w.tenantB, a.userId, false);
      return { path: plans(programmeId, '/2/party-decision'), body: { decidedOn: '2026-03-02', minutesAttachmentId: attachmentId } };
    },
  },
  'POST /api/v1/programmes/:id/plans/:versionNo/filing': {
    build: async (w, a: Actor) => {
      const { programmeId } = await pendingMajor(w, w.tenantA, a.userId, true);
      return { path: plans(programmeId, '/2/filing'), body: { reference: `粤技教研备〔2026〕${tag()}号` } };
    },
    foreign: async (w, a: Actor) => {
      const { programmeId } = await pendingMajor(w, w.tenantB, a.userId, true);
      return { path: plans(programmeId, '/2/filing'), body: { reference: '粤技教研备〔2026〕001号' } };
    },
  },
  'GET /api/v1/plan-filings': { build: async () => ({ path: '/api/v1/plan-filings', query: { limit: '5' } }) },
};

function reviewBody() {
  return {
    reviewedOn: '2026-03-01',
    experts: [{ name: '陈国华', title: '正高级工程师', organisation: '广州数控设备有限公司（演示）' }],
    conclusion: 'passed',
  };
}

function minorChange() {
  const content = planContent();
  return {
    kind: 'minor',
    summary: '调整师资一体化安排',
    content: { ...content, integrations: { ...content.integrations, teachers: '院校导师与企业导师 1+1，增设技能大师工作室' } },
  };
}
