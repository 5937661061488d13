/**
 * Province-scale data for the KPI dashboards (issue 11 "Shown by"):
 *
 *   npm run seed:scale -- --colleges 150 --students 150000 [--seed 1] [--jobs 2] [--url postgres://owner@…]
 *
 * Writes, for `colleges` colleges of every tier and city: 3 programmes with a current plan,
 * 2 partner enterprises (valid GB 32100 USCCs) with active partnerships, a team of 10 per
 * programme, 3 cohorts per programme (a graduated higher-vocational intake, a running one,
 * a new one), `students` students with valid GB 11643 resident ID numbers (encrypted with
 * the environment's PII keys, as the app stores them), one placement each, ~10 assessment
 * results each (1.5 M with versioned corrections), certificates, and 2 employment records
 * and 2 follow-ups per graduate (~100 k each). Rows are built in SQL (INSERT … SELECT over
 * generate_series) or sent as arrays (students), one transaction per college pinned to it
 * (FORCE RLS applies to the owner too), on `jobs` connections in parallel (default 2: every
 * college is independent; its statements' foreign-key checks, not round trips, are the cost;
 * per-row lookups stay correlated index probes, since the tables grow without statistics
 * until the end). Repeatable from the seed number: each college has its own PRNG stream, so
 * the same seed gives the same colleges, people and figures whatever the order the colleges
 * are written in; colleges already present are skipped.
 * Ends with VACUUM ANALYZE. Not part of `npm test`.
 */
import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';
import { makeResidentId } from '../modules/students/domain/resident-id';
import { PiiCipher } from '../modules/students/pii-cipher';
import { buildUscc } from '../src/database/seed/uscc';
import { maskIdNumber } from '../src/privacy/mask';
import { chinaToday } from '../src/time/china-date';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ['广州', '深圳', '珠海', '汕头', '佛山', '韶关', '河源', '梅州', '惠州', '汕尾', '东莞', '中山', '江门', '阳江', '湛江', '茂名', '肇庆', '清远', '潮州', '揭阳', '云浮'];
const REGIONS = ['440106', '440304', '440402', '440507', '440604', '440203', '441602', '441402', '441302', '441502', '441900', '442000', '440703', '441702', '440802', '440902', '441202', '441802', '445102', '445202', '445302'];
const TIERS = ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating', 'other', 'other'];
const SURNAMES = '陈李黄张梁刘林何罗吴郑谢冯邓曾彭苏卢蔡钟潘叶'.split('');
const GIVEN = ['嘉豪', '俊杰', '浩然', '子轩', '志强', '伟健', '家乐', '欣怡', '诗琪', '梓涵', '雨桐', '美玲', '思颖', '晓雯'];
const ORG = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const BENCH = 6000;

const PLAN = {
  occupationStandard: { code: '6-18-01-01', name: '车工（2018 年版）' },
  stages: [
    { track: 'senior-worker', name: '高级工阶段', courses: [
      { name: '普通车床零件加工', workTask: '阶梯轴车削', hours: 240, skillStandardItems: ['3.1.1'] },
      { name: '数控车床编程与加工', workTask: '套类零件数控车削', hours: 320, skillStandardItems: ['3.2.1'] },
    ] },
    { track: 'technician', name: '技师阶段', courses: [
      { name: '复杂轴类零件数控车削加工', workTask: '细长轴车削', hours: 200, skillStandardItems: ['2.1.1'] },
      { name: '车削工艺改进与技术革新', workTask: '工装夹具改进项目', hours: 160, skillStandardItems: ['2.4.1'] },
    ] },
  ],
  practiceStages: [
    { name: '企业岗位实践（一）', track: 'senior-worker', plannedHours: 320, siteType: 'learning-factory' },
    { name: '企业岗位实践（二）', track: 'technician', plannedHours: 480, siteType: 'enterprise' },
  ],
  assessments: [
    { kind: 'process', name: '一体化课程过程性考评', passMark: 60, method: '任务工单与过程记录' },
    { kind: 'terminal', name: '技师阶段终结性考评（企业参与）', passMark: 70, method: '实操作品 + 答辩' },
  ],
  integrations: { curriculum: '-', resources: '-', methods: '-', venues: '-', teachers: '-' },
  classSize: 30,
};
// items of the plan: [item_key, kind, name, scoring, pass_mark, stage_index]
const ITEMS: [string, string, string, string, number | null, number | null][] = [
  ['course:0:0', 'course', '普通车床零件加工', 'score', 60, null],
  ['course:0:1', 'course', '数控车床编程与加工', 'score', 60, null],
  ['course:1:0', 'course', '复杂轴类零件数控车削加工', 'score', 60, null],
  ['course:1:1', 'course', '车削工艺改进与技术革新', 'score', 60, null],
  ['practice:0', 'practice', '企业岗位实践（一）', 'pass-fail', null, 0],
  ['practice:1', 'practice', '企业岗位实践（二）', 'pass-fail', null, 1],
  ['terminal:0', 'terminal', '技师阶段终结性考评（企业参与）', 'score', 70, null],
  ['mid-term', 'mid-term', '中期考核', 'score', 60, null],
  ['defence', 'defence', '项目答辩', 'score', 60, null],
];

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const i = y * 12 + (m - 1) + months;
  const last = new Date(Date.UTC(Math.floor(i / 12), (i % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

async function main() {
  const colleges = Number(arg('colleges', '150'));
  const studentsTotal = Number(arg('students', '150000'));
  const seed = Number(arg('seed', '1'));
  const jobs = Number(arg('jobs', '2'));
  const url = arg('url', process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? '');
  const { PII_ENCRYPTION_KEY, PII_HASH_KEY } = process.env;
  if (!url || !PII_ENCRYPTION_KEY || !PII_HASH_KEY) throw new Error('set DATABASE_MIGRATION_URL (owner) or --url, and PII_ENCRYPTION_KEY / PII_HASH_KEY');
  const cipher = new PiiCipher({ PII_ENCRYPTION_KEY, PII_HASH_KEY } as AppConfig);
  const db = new Client({ connectionString: url, application_name: 'jishi-seed-scale' });
  await db.connect();
  const started = Date.now();
  const today = chinaToday();
  const thisSept = `${Number(today.slice(0, 4)) - (today.slice(5) >= '09-01' ? 0 : 1)}-09-01`;
  const clusters: string[] = (await db.query('SELECT code FROM industry_clusters ORDER BY code')).rows.map((r) => r.code);
  const counts: Record<string, number> = {};
  const add = (k: string, n: number) => (counts[k] = (counts[k] ?? 0) + n);

  // pay benchmarks per city (control plane), once
  for (const city of CITIES) {
    const r = await db.query(
      `INSERT INTO pay_benchmarks (city, year, monthly_pay, effective_from, note) SELECT $1::varchar, 2020, $2, DATE '2020-01-01', 'seed:scale'
       WHERE NOT EXISTS (SELECT 1 FROM pay_benchmarks WHERE city = $1::varchar)`,
      [city, BENCH + ((city.charCodeAt(0) * 7) % 15) * 100],
    );
    add('pay_benchmarks', r.rowCount ?? 0);
  }

  const perCollege = Math.floor(studentsTotal / colleges);
  let done = 0;
  /** One college in one transaction; its own PRNG stream, so colleges can be written in any order and in parallel. */
  const seedCollege = async (db: Client, c: number) => {
    const rnd = prng(seed * 100_003 + c);
    const code = `SC${seed}-${String(c).padStart(3, '0')}`;
    const city = CITIES[c % CITIES.length];
    const region = REGIONS[c % REGIONS.length];
    const exists = await db.query('SELECT id FROM tenants WHERE lower(code) = lower($1)', [code]);
    // advance the PRNG identically whether or not the college exists, so a re-run stays repeatable
    const people = Array.from({ length: perCollege }, (_, i) => {
      const drawn = 1998 + Math.floor(rnd() * 10);
      // past 1,000 students in a college, each further block of 1,000 takes two birth years of its own, so (birth date, sequence) stays unique
      const year = i < 1000 ? drawn : 1980 + (Math.floor(i / 1000) - 1) * 2 + (drawn % 2);
      const dob = `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      const seq = i % 1000; // unique in the college (with the random birth date); odd = male (GB 11643)
      const male = seq % 2 === 1;
      return { name: SURNAMES[Math.floor(rnd() * SURNAMES.length)] + GIVEN[Math.floor(rnd() * GIVEN.length)], dob, male, id: makeResidentId(region, dob, seq) };
    });
    const orgs = [0, 1].map(() => Array.from({ length: 8 }, () => ORG[Math.floor(rnd() * ORG.length)]).join(''));
    if (exists.rowCount) return;

    const tenantId: string = (
      await db.query(`INSERT INTO tenants (code, name, tier, city) VALUES ($1, $2, $3, $4) RETURNING id`, [code, `${city}市第${c + 1}技师学院（规模测试）`, TIERS[c % TIERS.length], city])
    ).rows[0].id;
    const enterpriseIds: string[] = [];
    for (const [k, org] of orgs.entries()) {
      const uscc = buildUscc(region, `M${org.slice(1)}`);
      const r = await db.query(
        `INSERT INTO enterprises (uscc, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`,
        [uscc, `${city}市${['精工', '智造'][k]}装备有限公司（规模测试${c}-${k}）`],
      );
      enterpriseIds.push(r.rows[0]?.id ?? (await db.query('SELECT id FROM enterprises WHERE uscc = $1', [uscc])).rows[0].id);
    }
    add('enterprises', 2);

    await db.query('BEGIN');
    try {
      await db.query("SELECT set_config('app.tenant_id', $1, true), setseed($2)", [tenantId, ((seed * 1000 + c) % 10000) / 10000]);
      await db.query(`INSERT INTO college_enterprises (tenant_id, enterprise_id) SELECT $1, unnest($2::uuid[])`, [tenantId, enterpriseIds]);
      const programmes = (
        await db.query(
          `INSERT INTO programmes (tenant_id, code, name, occupation_code, occupation_name, cluster_codes, talent_gap_evidence, pilot_status)
           SELECT $1, 'P' || g, (ARRAY['数控加工（数控车工）','工业机器人应用与维护','电气自动化设备安装与维修'])[g], '6-18-01-01', '车工',
                  ARRAY[($2::text[])[1 + ($3::int + g) % array_length($2::text[], 1)]], '规模测试', (ARRAY['active','applied','candidate','midterm-passed'])[1 + ($3::int + g) % 4]
           FROM generate_series(1, 3) g RETURNING id`,
          [tenantId, clusters, c],
        )
      ).rows.map((r) => r.id as string);
      add('programmes', 3);
      await db.query(
        `INSERT INTO training_plans (tenant_id, programme_id, version_no, status, change_kind, occupation_code, class_size, content, effective_at)
         SELECT $1, p, 1, 'current', 'initial', '6-18-01-01', 30, $3::jsonb, now() FROM unnest($2::uuid[]) p`,
        [tenantId, programmes, JSON.stringify(PLAN)],
      );
      await db.query(
        `INSERT INTO partnerships (tenant_id, programme_id, enterprise_id, status, started_on)
         SELECT $1, p, e, 'active', DATE '2022-03-01' FROM unnest($2::uuid[]) p, unnest($3::uuid[]) e`,
        [tenantId, programmes, enterpriseIds],
      );
      // a team of 10 per programme: 3 enterprise mentors, 5 experts (R-EVA-2 compliant) in most colleges
      await db.query(
        `WITH s AS (
           INSERT INTO staff_members (tenant_id, side, enterprise_id, name, gender, skill_level_code, field)
           SELECT $1, CASE WHEN g <= $4 THEN 'enterprise' ELSE 'college' END, CASE WHEN g <= $4 THEN ($3::uuid[])[1 + g % 2] END,
                  '教师' || p.ord || '-' || g, CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
                  CASE WHEN g > 5 THEN 'level-2' ELSE 'level-3' END, '数控加工'
           FROM unnest($2::uuid[]) WITH ORDINALITY p(id, ord), generate_series(1, 10) g
           RETURNING id, name
         ), t AS (
           INSERT INTO teams (tenant_id, programme_id, name) SELECT $1, p, '教学和考评团队' FROM unnest($2::uuid[]) p RETURNING id, programme_id
         )
         INSERT INTO team_members (tenant_id, team_id, staff_member_id, role)
         SELECT $1, t.id, s.id, 'teacher' FROM t JOIN LATERAL (SELECT ord FROM unnest($2::uuid[]) WITH ORDINALITY p(id, ord) WHERE p.id = t.programme_id) o ON true
         JOIN s ON s.name LIKE '教师' || o.ord || '-%'`,
        [tenantId, programmes, enterpriseIds, c % 7 === 0 ? 2 : 3],
      );
      // 3 cohorts per programme: graduated (higher-vocational, 2 years, ended 15 months ago), running (senior-high), new (secondary-vocational)
      const cohorts = (
        await db.query(
          `INSERT INTO cohorts (tenant_id, programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months, status, started_at)
           SELECT $1, tp.programme_id, tp.id, k.label || '技师班-' || left(tp.programme_id::text, 8), extract(year FROM k.start)::int, k.track, k.start, k.months, k.stage, 'started', k.start::timestamptz
           FROM training_plans tp,
                (VALUES ('graduated', 'higher-vocational', ($2::date - interval '39 months')::date, 24, 0),
                        ('running', 'senior-high', ($2::date - interval '12 months')::date, 48, 24),
                        ('new', 'secondary-vocational', $2::date, 36, 24)) AS k(label, track, start, months, stage)
           WHERE tp.tenant_id = $1
           RETURNING id, name, start_date::text AS start, duration_months AS months, programme_id AS "programmeId", plan_version_id AS "planId"`,
          [tenantId, thisSept],
        )
      ).rows as { id: string; name: string; start: string; months: number; programmeId: string; planId: string }[];
      add('cohorts', cohorts.length);

      // students: sealed in node exactly as the app seals them
      const cohortOf = people.map((_, i) => cohorts[i % cohorts.length]);
      const statusOf = people.map((_, i) => {
        const k = cohortOf[i];
        if (!k.name.startsWith('graduated')) return 'enrolled';
        return i % 23 === 0 ? 'streamed-out' : i % 31 === 0 ? 'withdrawn' : 'graduated';
      });
      const ins = await db.query(
        `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                               entry_level, status, admitted_on, enrolled_on, left_on, left_reason)
         SELECT $1, c.id, c.programme_id, u.name, u.gender, u.dob, u.enc, u.hash, u.masked,
                CASE c.track_code WHEN 'higher-vocational' THEN 'higher-vocational' WHEN 'senior-high' THEN 'senior-high' ELSE 'secondary-vocational' END,
                u.status, c.start_date, c.start_date,
                CASE u.status WHEN 'graduated' THEN c.expected_graduation WHEN 'enrolled' THEN NULL ELSE c.start_date + 200 END,
                CASE WHEN u.status IN ('streamed-out','withdrawn') THEN '规模测试' END
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::date[], $6::bytea[], $7::bytea[], $8::text[], $9::text[]) AS u(cohort, name, gender, dob, enc, hash, masked, status)
         JOIN cohorts c ON c.tenant_id = $1 AND c.id = u.cohort`,
        [
          tenantId,
          cohortOf.map((k) => k.id),
          people.map((p) => p.name),
          people.map((p) => (p.male ? 'male' : 'female')),
          people.map((p) => p.dob),
          people.map((p) => cipher.encrypt(p.id)),
          people.map((p) => cipher.idNumberHash(p.id)),
          people.map((p) => maskIdNumber(p.id)),
          statusOf,
        ],
      );
      add('students', ins.rowCount ?? 0);

      // one placement per student (stage 0) at a partner enterprise
      const pl = await db.query(
        `INSERT INTO placements (tenant_id, student_id, partnership_id, enterprise_id, site, post, training_plan_id, stage_index, stage_name, planned_hours, starts_on, ends_on)
         SELECT s.tenant_id, s.id, pa.id, pa.enterprise_id, 'enterprise', '数控车床操作', c.plan_version_id, 0, '企业岗位实践（一）', 320, c.start_date + 90, c.start_date + 270
         FROM students s JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
         JOIN LATERAL (SELECT id, enterprise_id FROM partnerships p WHERE p.tenant_id = s.tenant_id AND p.programme_id = s.programme_id ORDER BY p.enterprise_id LIMIT 1) pa ON true
         WHERE s.tenant_id = $1`,
        [tenantId],
      );
      add('placements', pl.rowCount ?? 0);

      // assessment sheets for every item of every cohort; results for every student of started stages
      await db.query(
        `INSERT INTO assessment_sheets (tenant_id, cohort_id, plan_version_id, item_key, kind, name, scoring, pass_mark, stage_index, status, submitted_at)
         SELECT $1, c.id, c.plan_version_id, i.key, i.kind, i.name, i.scoring, i.pass_mark, i.stage, 'submitted', now()
         FROM cohorts c, unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::int[]) AS i(key, kind, name, scoring, pass_mark, stage)
         WHERE c.tenant_id = $1`,
        [tenantId, ...[0, 1, 2, 3, 4, 5].map((k) => ITEMS.map((it) => it[k]))],
      );
      const res = await db.query(
        `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, version_no, is_current, status, score, passed, judged_technician,
                                         assessed_on, assessor, correction_reason, entered_side, enterprise_id, submitted_at)
         SELECT $1, sh.id, sh.cohort_id, sh.kind, s.id, v.no, v.no = v.last, 'submitted',
                CASE WHEN sh.scoring = 'score' THEN round((55 + random() * 45)::numeric * 2) / 2 END,
                CASE WHEN s.status = 'graduated' AND sh.kind IN ('course','practice') AND v.no = v.last THEN true ELSE random() < 0.9 END,
                CASE WHEN sh.kind = 'terminal' THEN random() < 0.55 END,
                c.start_date + 300, '考评员', CASE WHEN v.no > 1 THEN '复核更正' END,
                CASE WHEN sh.kind IN ('practice','terminal') THEN 'enterprise' ELSE 'college' END,
                CASE WHEN sh.kind IN ('practice','terminal') THEN (SELECT p.enterprise_id FROM placements p WHERE p.tenant_id = s.tenant_id AND p.student_id = s.id LIMIT 1) END,
                now()
         FROM students s
         JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
         JOIN assessment_sheets sh ON sh.tenant_id = s.tenant_id AND sh.cohort_id = s.cohort_id
         CROSS JOIN LATERAL (SELECT g AS no, CASE WHEN sh.kind = 'course' AND abs(hashtext(s.id::text || sh.item_key)) % 2 = 0 THEN 2 ELSE 1 END AS last
                             FROM generate_series(1, 2) g) v
         WHERE s.tenant_id = $1 AND v.no <= v.last AND (c.start_date < $2::date - 180 OR sh.kind IN ('course','mid-term'))`,
        [tenantId, today],
      );
      add('assessment_results', res.rowCount ?? 0);

      // certificates for half the graduates, a tenth unverified
      const cert = await db.query(
        `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, status, verified_at)
         SELECT $1, s.id, (ARRAY['national-technician','vocational-level-2','industry-technician','enterprise-technician'])[1 + abs(hashtext(s.id::text)) % 4],
                '车工', '二级/技师', 'SC' || md5(s.id::text), '广东省职业技能鉴定中心', s.left_on - 10, s.st, CASE WHEN s.st = 'verified' THEN now() END
         FROM (SELECT s.*, CASE WHEN random() < 0.1 THEN 'unverified' ELSE 'verified' END AS st FROM students s
               WHERE s.tenant_id = $1 AND s.status = 'graduated' AND random() < 0.5) s`,
        [tenantId],
      );
      add('certificates', cert.rowCount ?? 0);

      // two employment records per graduate (the first ended), follow-ups at 0 and 12 months
      const emp = await db.query(
        `INSERT INTO employment_records (tenant_id, student_id, enterprise_id, employer_name, post, city, started_on, ended_on, monthly_pay, technician_equivalent, matched, match_reason, source)
         SELECT $1, s.id, CASE WHEN k = 1 THEN (SELECT p.enterprise_id FROM placements p WHERE p.tenant_id = s.tenant_id AND p.student_id = s.id LIMIT 1) END,
                '用人单位' || k, CASE WHEN random() < 0.65 THEN '数控车工' ELSE '设备销售' END, $2,
                s.left_on + (k - 1) * 200, CASE WHEN k = 1 THEN s.left_on + 199 END,
                (5000 + random() * 4000)::int, random() < 0.3, random() < 0.65, '规模测试', CASE WHEN k = 1 THEN 'enterprise' ELSE 'college' END
         FROM students s, generate_series(1, 2) k WHERE s.tenant_id = $1 AND s.status = 'graduated'`,
        [tenantId, city],
      );
      add('employment_records', emp.rowCount ?? 0);
      const fu = await db.query(
        `INSERT INTO graduate_follow_ups (tenant_id, student_id, checkpoint_months, outcome, followed_up_on)
         SELECT $1, s.id, m, CASE WHEN random() < 0.8 THEN 'employed-same' WHEN random() < 0.5 THEN 'further-study' ELSE 'unreachable' END,
                LEAST(s.left_on + m * 30, $2::date)
         FROM students s, unnest(ARRAY[0, 12]) m WHERE s.tenant_id = $1 AND s.status = 'graduated'`,
        [tenantId, today],
      );
      add('graduate_follow_ups', fu.rowCount ?? 0);
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK');
      throw e;
    }
    if (++done % 10 === 0) console.log(`${done}/${colleges} colleges, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };

  // `jobs` connections take the next college until none is left (each college is independent)
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(jobs, colleges)) }, async (_, w) => {
    const conn = w === 0 ? db : new Client({ connectionString: url, application_name: 'jishi-seed-scale' });
    if (w > 0) await conn.connect();
    try {
      while (next < colleges) await seedCollege(conn, next++);
    } finally {
      if (w > 0) await conn.end();
    }
  });
  await Promise.all(workers);
  const seeded = Date.now();
  await db.query('VACUUM ANALYZE');
  console.log(`rows written in ${((seeded - started) / 1000).toFixed(0)} s, VACUUM ANALYZE ${((Date.now() - seeded) / 1000).toFixed(0)} s`);
  await db.end();
  console.log(JSON.stringify({ seed, colleges, studentsTotal, seconds: Math.round((Date.now() - started) / 1000), inserted: counts }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
