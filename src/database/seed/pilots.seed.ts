import { EntityManager } from 'typeorm';
import { MANDATORY_REVIEW_CRITERIA, PUBLICITY_WORKING_DAYS } from '../../../modules/pilots';
import { WorkCalendar } from '../../../modules/reference-data';
import { chinaToday } from '../../time/china-date';
import { SeedContext, SeedStep } from './seed-context';

/**
 * The pilot process at work (issue 12), dated relative to today:
 * - last year's notice with a complete path: 广州市工贸 数控加工 applied, reviewed, published,
 *   announced and filed (the programme is an active pilot);
 * - this year's notice: 佛山技师 电气自动化 under review with expert@province.demo assigned;
 *   广州市工贸 工业机器人 approved and in its public-notice window; 河源技师 (tier "other",
 *   named with a reason, R-COL-2) rejected with the reason.
 * Province rows are written with province scope, college rows pinned to the college.
 * Idempotent: notices and batches by title, applications by (college, notice).
 */

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const PROVINCE = { tenantId: '', scope: 'province' as const };

async function calendar(m: EntityManager): Promise<WorkCalendar> {
  const years: { year: number; status: 'official' | 'provisional' }[] = await m.query('SELECT year, status FROM calendar_years');
  const days: { day: string; year: number; kind: 'holiday' | 'adjusted-workday'; name: string | null }[] = await m.query(
    'SELECT day::text AS day, year, kind, name FROM calendar_days',
  );
  return new WorkCalendar(years.map((y) => ({ year: y.year, status: y.status, days: days.filter((d) => d.year === y.year).map((d) => ({ date: d.day, kind: d.kind, name: d.name })) })));
}

async function upsertNotice(ctx: SeedContext, v: { year: number; title: string; deadline: string; recipients: { code: string; reason?: string }[] }): Promise<string> {
  return ctx.tx(PROVINCE, async (m) => {
    const found = await m.query('SELECT id FROM pilot_notices WHERE title = $1', [v.title]);
    if (found.length) return found[0].id as string;
    const [n] = await m.query(
      `INSERT INTO pilot_notices (year, title, requirements, materials, review_criteria, deadline, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        v.year,
        v.title,
        '申报专业须服务“双十”产业集群并有技师层级人才缺口；人才培养方案经专业建设指导委员会评审通过；与 1–2 家符合条件的企业签订联合培养协议；教学和考评团队中企业导师不少于 30%、专家不少于 5 名。',
        JSON.stringify(['人才培养方案', '合作企业资质材料及校企联合培养协议', '管理方案：考核评价方案、管理制度、招生与就业计划']),
        JSON.stringify(MANDATORY_REVIEW_CRITERIA),
        v.deadline,
        ctx.ids.users.get('admin@province.demo') ?? null,
      ],
    );
    ctx.count('pilot_notices', 1);
    for (const r of v.recipients) {
      await m.query(`INSERT INTO pilot_notice_recipients (notice_id, college_id, eligible, reason) VALUES ($1, $2, $3, $4)`, [
        n.id,
        ctx.ids.tenants.get(r.code),
        !r.reason,
        r.reason ?? null,
      ]);
      ctx.count('pilot_notice_recipients', 1);
    }
    return n.id as string;
  });
}

async function upsertBatch(ctx: SeedContext, v: { title: string; publishedOn: string; status: 'open' | 'announced' | 'filed'; announcedOn?: string; filedOn?: string; reference?: string }): Promise<string> {
  return ctx.tx(PROVINCE, async (m) => {
    const found = await m.query('SELECT id FROM pilot_publicity_batches WHERE title = $1', [v.title]);
    if (found.length) return found[0].id as string;
    const w = (await calendar(m)).addWorkingDays(v.publishedOn, PUBLICITY_WORKING_DAYS);
    const [b] = await m.query(
      `INSERT INTO pilot_publicity_batches (title, published_on, computed_ends_on, ends_on, provisional, provisional_years, status, announced_on, filed_on, filing_reference, created_by)
       VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [v.title, v.publishedOn, w.endDate, w.provisional, w.provisionalYears, v.status, v.announcedOn ?? null, v.filedOn ?? null, v.reference ?? null, ctx.ids.users.get('admin@province.demo') ?? null],
    );
    ctx.count('pilot_publicity_batches', 1);
    return b.id as string;
  });
}

interface DemoApplication {
  college: string;
  programmeCode: string;
  noticeId: string;
  status: 'under-review' | 'decided';
  stage: 'pending' | 'approved' | 'rejected' | 'in-publicity' | 'filed';
  pilotStatus: 'applied' | 'active' | 'candidate';
  submittedOn: string;
  decisionReason?: string;
  batchId?: string;
  review?: { scores: [number, number, number]; comments: string; recommendation: 'approve' | 'reject' };
}

async function seedApplication(ctx: SeedContext, a: DemoApplication): Promise<void> {
  const tenantId = ctx.ids.tenants.get(a.college)!;
  const expertId = ctx.ids.users.get('expert@province.demo')!;
  await ctx.tx({ tenantId }, async (m) => {
    const [programme] = await m.query('SELECT id, code, name FROM programmes WHERE tenant_id = $1 AND lower(code) = lower($2)', [tenantId, a.programmeCode]);
    if (!programme) throw new Error(`pilots seed: no programme ${a.programmeCode} in ${a.college}`);
    const committeeOn = addDays(a.submittedOn, -7);
    const created = await m.query(
      `INSERT INTO pilot_applications (tenant_id, notice_id, status, committee_decided_on, committee_decision, committee_notes, submitted_at, snapshot)
       VALUES ($1, $2, $3, $4, 'approved', '教学指导委员会审议同意申报', $5::date + time '10:00' - interval '8 hours', $6)
       ON CONFLICT (tenant_id, notice_id) DO NOTHING RETURNING id`,
      [
        tenantId,
        a.noticeId,
        a.status,
        committeeOn,
        a.submittedOn,
        JSON.stringify({ takenOn: a.submittedOn, programmes: [{ programmeId: programme.id, code: programme.code, name: programme.name, planVersionNo: 1 }] }),
      ],
    );
    if (!created.length) return;
    ctx.count('pilot_applications', 1);
    const applicationId = created[0].id;
    const [item] = await m.query(
      `INSERT INTO pilot_application_programmes (tenant_id, application_id, programme_id, plan_version_no, stage, decision_reason, decided_at, batch_id)
       VALUES ($1, $2, $3, 1, $4::varchar, $5, CASE WHEN $4::varchar <> 'pending' THEN now() END, $6) RETURNING id`,
      [tenantId, applicationId, programme.id, a.stage, a.decisionReason ?? null, a.batchId ?? null],
    );
    ctx.count('pilot_application_programmes', 1);
    await m.query(`INSERT INTO pilot_expert_assignments (tenant_id, application_id, expert_user_id) VALUES ($1, $2, $3)`, [tenantId, applicationId, expertId]);
    ctx.count('pilot_expert_assignments', 1);
    if (a.review) {
      const [fit, resources, scheme] = a.review.scores;
      await m.query(
        `INSERT INTO pilot_reviews (tenant_id, application_programme_id, expert_user_id, scores, total, comments, recommendation) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          tenantId,
          item.id,
          expertId,
          JSON.stringify({ 'industry-fit': fit, 'enterprise-resources': resources, 'assessment-scheme': scheme }),
          Math.round(((fit + resources + scheme) / 3) * 100) / 100,
          a.review.comments,
          a.review.recommendation,
        ],
      );
      ctx.count('pilot_reviews', 1);
    }
    await m.query(`UPDATE programmes SET pilot_status = $2 WHERE id = $1`, [programme.id, a.pilotStatus]);
  });
}

export const pilotsSeed: SeedStep = {
  name: 'pilots',
  async run(ctx) {
    const today = chinaToday();
    const year = Number(today.slice(0, 4));
    const lastYear = Math.max(2025, year - 1);

    // last year's notice, all the way to the ministry filing
    const past = await upsertNotice(ctx, {
      year: lastYear,
      title: `关于组织申报 ${lastYear} 年学制技师培养试点专业的通知`,
      deadline: addDays(today, -220),
      recipients: [{ code: 'gzgm' }],
    });
    const pastBatch = await upsertBatch(ctx, {
      title: `${lastYear} 年学制技师培养试点专业名单公示`,
      publishedOn: addDays(today, -170),
      status: 'filed',
      announcedOn: addDays(today, -155),
      filedOn: addDays(today, -140),
      reference: `人社厅函〔${lastYear}〕318号`,
    });
    await seedApplication(ctx, {
      college: 'gzgm',
      programmeCode: 'SKJG-01',
      noticeId: past,
      status: 'decided',
      stage: 'filed',
      pilotStatus: 'active',
      submittedOn: addDays(today, -225),
      decisionReason: '专家评审平均 88 分，同意列入试点',
      batchId: pastBatch,
      review: { scores: [90, 86, 88], comments: '服务高端装备制造集群，合作企业岗位真实充足，考核方案完整。', recommendation: 'approve' },
    });

    // this year's notice: R-COL-2 addresses batch1 and batch2; 河源 (tier "other") is named with a reason
    const current = await upsertNotice(ctx, {
      year,
      title: `关于组织申报 ${year} 年学制技师培养试点专业的通知`,
      deadline: addDays(today, -20),
      recipients: [{ code: 'gzgm' }, { code: 'fsjs' }, { code: 'hyjs', reason: '承接粤北电气自动化技能人才培养任务，经省厅研究纳入申报范围' }],
    });
    const openBatch = await upsertBatch(ctx, { title: `${year} 年学制技师培养试点专业名单公示（第一批）`, publishedOn: addDays(today, -1), status: 'open' });
    await seedApplication(ctx, {
      college: 'fsjs',
      programmeCode: 'DQZDH-02',
      noticeId: current,
      status: 'under-review',
      stage: 'pending',
      pilotStatus: 'applied',
      submittedOn: addDays(today, -25),
    });
    await seedApplication(ctx, {
      college: 'gzgm',
      programmeCode: 'GYJQR-02',
      noticeId: current,
      status: 'decided',
      stage: 'in-publicity',
      pilotStatus: 'applied',
      submittedOn: addDays(today, -24),
      decisionReason: '专家评审平均 85 分，同意列入公示',
      batchId: openBatch,
      review: { scores: [88, 82, 85], comments: '产业契合度高，建议细化技师阶段考核标准。', recommendation: 'approve' },
    });
    await seedApplication(ctx, {
      college: 'hyjs',
      programmeCode: 'DQZDH-01',
      noticeId: current,
      status: 'decided',
      stage: 'rejected',
      pilotStatus: 'candidate',
      submittedOn: addDays(today, -23),
      decisionReason: '合作企业近 3 年未开展订单班或学徒制项目，企业资源不足（R-ENT-1）',
      review: { scores: [70, 55, 62], comments: '合作企业技术岗位有限，实践条件不足。', recommendation: 'reject' },
    });
  },
};
