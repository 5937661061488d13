import { EntityManager } from 'typeorm';
import type { AppConfig } from '../../../config/app-config';
import { seedEvaluationOutcome } from '../../../modules/assessments';
import { addMonths } from '../../../modules/cohorts';
import { makeResidentId, PiiCipher } from '../../../modules/students';
import { maskIdNumber } from '../../privacy/mask';
import { chinaToday } from '../../time/china-date';
import { DEMO_COLLEGES, DEMO_ENTERPRISES } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Issue 11 part B demo: a graduated cohort (an earlier intake on a short track, dated from
 * the China today) in 广州工贸 (KPIs met) and 佛山技师 (attainment and matched employment
 * unmet, pay met); 河源技师 has none, so its KPIs are "no data". Assessments and
 * certificates through part A's seedEvaluationOutcome (some certificates unverified or
 * rejected), employment records against the city pay benchmarks, follow-ups at graduation,
 * +6 and +12 months. Idempotent: the cohort upserts on (college, intake year, name) and is
 * filled only while it has no students.
 */
type Cert = { kind: 'national-technician' | 'vocational-level-2' | 'industry-technician' | 'enterprise-technician'; status: 'verified' | 'unverified' | 'rejected' };
interface GraduatePlan {
  name: string;
  status: 'graduated' | 'withdrawn' | 'streamed-out';
  terminal: boolean | null;
  certs: Cert[];
  /** monthly pay; null: not employed (further study) */
  pay: number | null;
  matched: boolean;
  technicianPost: boolean;
  /** outcome at +12 months */
  later: 'employed-same' | 'employed-new' | 'unemployed';
}

const V = (kind: Cert['kind'], status: Cert['status'] = 'verified'): Cert => ({ kind, status });

/** 广州工贸: 9 graduates, 8 reach technician level (89 %); 7 employed now: 6 matched (86 %), 6 paid above 7000 (86 %). */
const GZ: GraduatePlan[] = [
  { name: '陈浩然', status: 'graduated', terminal: true, certs: [V('national-technician'), V('industry-technician')], pay: 8200, matched: true, technicianPost: true, later: 'employed-same' },
  { name: '李诗琪', status: 'graduated', terminal: null, certs: [V('national-technician')], pay: 7800, matched: true, technicianPost: true, later: 'employed-same' },
  { name: '黄俊杰', status: 'graduated', terminal: true, certs: [], pay: 7600, matched: true, technicianPost: true, later: 'employed-new' },
  { name: '张雨桐', status: 'graduated', terminal: null, certs: [V('vocational-level-2')], pay: 7400, matched: true, technicianPost: false, later: 'employed-same' },
  { name: '梁志强', status: 'graduated', terminal: true, certs: [], pay: 7100, matched: true, technicianPost: false, later: 'employed-same' },
  { name: '刘美玲', status: 'graduated', terminal: null, certs: [V('enterprise-technician')], pay: 7050, matched: true, technicianPost: false, later: 'employed-same' },
  { name: '林家乐', status: 'graduated', terminal: true, certs: [], pay: 6800, matched: false, technicianPost: false, later: 'unemployed' },
  { name: '何思颖', status: 'graduated', terminal: null, certs: [V('national-technician')], pay: 7000, matched: false, technicianPost: false, later: 'employed-same' },
  { name: '罗宇航', status: 'graduated', terminal: false, certs: [V('national-technician', 'unverified')], pay: null, matched: false, technicianPost: false, later: 'unemployed' },
  { name: '吴晓雯', status: 'withdrawn', terminal: null, certs: [], pay: null, matched: false, technicianPost: false, later: 'unemployed' },
];

/** 佛山技师: 9 graduates, 6 reach technician level (67 %, red); 7 employed now: 4 matched (57 %, amber), 5 above 6500 (71 %, met). */
const FS: GraduatePlan[] = [
  { name: '郑振华', status: 'graduated', terminal: true, certs: [V('national-technician')], pay: 7200, matched: true, technicianPost: true, later: 'employed-same' },
  { name: '谢嘉欣', status: 'graduated', terminal: null, certs: [V('national-technician')], pay: 6900, matched: true, technicianPost: false, later: 'employed-same' },
  { name: '冯锦鹏', status: 'graduated', terminal: true, certs: [], pay: 6600, matched: false, technicianPost: false, later: 'employed-new' },
  { name: '邓慧敏', status: 'graduated', terminal: true, certs: [], pay: 6501, matched: true, technicianPost: false, later: 'employed-same' },
  { name: '曾伟健', status: 'graduated', terminal: null, certs: [V('enterprise-technician')], pay: 6700, matched: false, technicianPost: false, later: 'unemployed' },
  { name: '彭婉婷', status: 'graduated', terminal: null, certs: [V('vocational-level-2')], pay: 6500, matched: true, technicianPost: false, later: 'employed-same' },
  { name: '苏晓东', status: 'graduated', terminal: false, certs: [V('national-technician', 'unverified')], pay: 6800, matched: false, technicianPost: false, later: 'employed-new' },
  { name: '卢颖琳', status: 'graduated', terminal: false, certs: [V('industry-technician', 'rejected')], pay: 5800, matched: false, technicianPost: false, later: 'employed-same' },
  { name: '蔡子轩', status: 'graduated', terminal: null, certs: [], pay: null, matched: false, technicianPost: false, later: 'unemployed' },
  { name: '钟欣怡', status: 'streamed-out', terminal: null, certs: [], pay: null, matched: false, technicianPost: false, later: 'unemployed' },
];

/** R-EVA-4 benchmarks (technician-post monthly pay, yuan) for the demo cities. */
const BENCHMARKS: Record<string, number> = { 广州: 7000, 佛山: 6500, 河源: 5200 };

const PLANS: Record<string, { track: string; months: number; label: string; people: GraduatePlan[]; region: string }> = {
  gzgm: { track: 'bachelor-plus', months: 12, label: '本科起点技师班（一年制）', people: GZ, region: '440106' },
  fsjs: { track: 'higher-vocational', months: 24, label: '高职起点技师班（两年制）', people: FS, region: '440604' },
};

/** The last 1 September on or before today (China date): graduations fall on it, 12 months before it. */
function graduationDay(): string {
  const today = chinaToday();
  const year = Number(today.slice(0, 4)) - (today.slice(5) >= '09-01' ? 0 : 1);
  return `${year - 1}-09-01`;
}

async function fill(m: EntityManager, tenantId: string, cohortId: string, programmeId: string, plan: (typeof PLANS)[string], graduatedOn: string, startedOn: string, cipher: PiiCipher, employer: { id: string; name: string; uscc: string } | undefined, city: string) {
  let students = 0;
  for (const [i, p] of plan.people.entries()) {
    const dob = `${2000 + (i % 3)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(3 + i).padStart(2, '0')}`;
    const idNumber = makeResidentId(plan.region, dob, 300 + i * 2 + (i % 2 ? 0 : 1));
    const leftOn = p.status === 'graduated' ? graduatedOn : addMonths(startedOn, 6);
    const [s] = await m.query(
      `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                             entry_level, status, admitted_on, enrolled_on, left_on, left_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)
       ON CONFLICT (tenant_id, id_number_hash) DO NOTHING RETURNING id`,
      [
        tenantId, cohortId, programmeId, p.name, i % 2 ? 'female' : 'male', dob, cipher.encrypt(idNumber), cipher.idNumberHash(idNumber), maskIdNumber(idNumber),
        plan.track, p.status, startedOn, leftOn, p.status === 'graduated' ? null : p.status === 'withdrawn' ? '个人原因退学' : '中期分流：转高级工方向',
      ],
    );
    if (!s) continue;
    students++;
    await m.query(
      `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason) VALUES ($1, $2, 'enrolled', $3, $4, $5)`,
      [tenantId, s.id, p.status, leftOn, p.status === 'graduated' ? '毕业审核通过（R-EVA-3）' : '离校'],
    );
    if (p.status !== 'graduated') continue;
    await seedEvaluationOutcome(m, { studentId: s.id, courses: 'all-passed', practice: 'met', terminalTechnician: p.terminal, certificates: p.certs, assessedOn: addMonths(graduatedOn, -1) });
    if (p.pay === null) {
      await m.query(
        `INSERT INTO graduate_follow_ups (tenant_id, student_id, checkpoint_months, outcome, followed_up_on, note) VALUES ($1, $2, 0, 'further-study', $3, '考取本校技师研修班')`,
        [tenantId, s.id, graduatedOn],
      );
      continue;
    }
    const atPartner = employer && p.matched && i % 2 === 0;
    const [rec] = await m.query(
      `INSERT INTO employment_records (tenant_id, student_id, enterprise_id, employer_name, employer_uscc, post, city, started_on, ended_on, monthly_pay,
                                       technician_equivalent, matched, match_reason, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        tenantId, s.id, atPartner ? employer!.id : null, atPartner ? employer!.name : `${city}市${['恒力', '华创', '粤兴', '南方'][i % 4]}机电有限公司`, atPartner ? employer!.uscc : null,
        p.matched ? (p.technicianPost ? '数控车床技师' : '数控车工') : '设备销售专员', city, addMonths(graduatedOn, 0), p.later === 'unemployed' ? addMonths(graduatedOn, 9) : null,
        p.pay, p.technicianPost, p.matched, p.matched ? '岗位与专业职业（车工）一致' : '岗位与专业职业不一致', atPartner ? 'enterprise' : 'college',
      ],
    );
    let later = rec.id;
    if (p.later === 'employed-new') {
      const [moved] = await m.query(
        `INSERT INTO employment_records (tenant_id, student_id, employer_name, post, city, started_on, monthly_pay, technician_equivalent, matched, match_reason)
         VALUES ($1, $2, $3, '数控车工', $4, $5, $6, false, $7, '院校判定') RETURNING id`,
        [tenantId, s.id, `${city}市精密零件有限公司`, city, addMonths(graduatedOn, 8), p.pay, p.matched],
      );
      await m.query(`UPDATE employment_records SET ended_on = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, rec.id, addMonths(graduatedOn, 7)]);
      later = moved.id;
    }
    await m.query(
      `INSERT INTO graduate_follow_ups (tenant_id, student_id, checkpoint_months, outcome, followed_up_on, employment_record_id, note) VALUES
         ($1, $2, 0, 'employed-same', $3, $4, '毕业时已签约'),
         ($1, $2, 6, 'employed-same', $5, $4, '电话回访'),
         ($1, $2, 12, $6, $7, $8, '一年回访')`,
      [tenantId, s.id, graduatedOn, rec.id, addMonths(graduatedOn, 6), p.later, addMonths(graduatedOn, 12) > chinaToday() ? chinaToday() : addMonths(graduatedOn, 12), p.later === 'unemployed' ? null : later],
    );
  }
  return students;
}

export const graduatesSeed: SeedStep = {
  name: 'graduates',
  async run(ctx: SeedContext) {
    const { PII_ENCRYPTION_KEY, PII_HASH_KEY } = process.env;
    if (!PII_ENCRYPTION_KEY || !PII_HASH_KEY) {
      ctx.log('graduates seed: PII_ENCRYPTION_KEY / PII_HASH_KEY not set, skipped');
      return;
    }
    const cipher = new PiiCipher({ PII_ENCRYPTION_KEY, PII_HASH_KEY } as AppConfig);
    const graduatedOn = graduationDay();
    await ctx.tx(null, async (m) => {
      for (const [city, pay] of Object.entries(BENCHMARKS)) {
        const from = `${Number(graduatedOn.slice(0, 4)) - 3}-01-01`;
        const rows = await m.query(
          `INSERT INTO pay_benchmarks (city, year, monthly_pay, effective_from, note)
           SELECT $1::varchar, $2, $3, $4, '演示：技师岗位月薪基准' WHERE NOT EXISTS (SELECT 1 FROM pay_benchmarks WHERE city = $1::varchar) RETURNING id`,
          [city, Number(from.slice(0, 4)), pay, from],
        );
        ctx.count('pay_benchmarks', rows.length);
      }
    });
    for (const college of DEMO_COLLEGES) {
      const plan = PLANS[college.code];
      const tenantId = ctx.ids.tenants.get(college.code);
      if (!plan || !tenantId) continue;
      const startedOn = addMonths(graduatedOn, -plan.months);
      const enterprise = DEMO_ENTERPRISES.find((e) => e.partners.includes(college.code));
      const employer = enterprise && ctx.ids.enterprises.get(enterprise.uscc) ? { id: ctx.ids.enterprises.get(enterprise.uscc)!, name: enterprise.name, uscc: enterprise.uscc } : undefined;
      await ctx.tx({ tenantId }, async (m) => {
        const [programme] = await m.query(
          `SELECT p.id, p.name, tp.id AS "planId" FROM programmes p
           JOIN training_plans tp ON tp.tenant_id = p.tenant_id AND tp.programme_id = p.id AND tp.status = 'current'
           WHERE p.tenant_id = $1 ORDER BY p.code LIMIT 1`,
          [tenantId],
        );
        if (!programme) return;
        const year = Number(startedOn.slice(0, 4));
        const name = `${year}级${plan.label}`;
        const inserted = await m.query(
          `INSERT INTO cohorts (tenant_id, programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months,
                                status, started_at, completed_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 'completed', $7::date + time '08:00', $9)
           ON CONFLICT (tenant_id, intake_year, lower(name)) DO NOTHING RETURNING id`,
          [tenantId, programme.id, programme.planId, name, year, plan.track, startedOn, plan.months, addMonths(graduatedOn, 1)],
        );
        ctx.count('cohorts', inserted.length);
        const [cohort] = await m.query(`SELECT id FROM cohorts WHERE tenant_id = $1 AND intake_year = $2 AND lower(name) = lower($3)`, [tenantId, year, name]);
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM students WHERE tenant_id = $1 AND cohort_id = $2`, [tenantId, cohort.id]);
        if (n > 0) return;
        ctx.count('students', await fill(m, tenantId, cohort.id, programme.id, plan, graduatedOn, startedOn, cipher, employer, college.city));
      });
    }
  },
};
