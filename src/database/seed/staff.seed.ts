import { EntityManager } from 'typeorm';
import { DEMO_COLLEGES, DEMO_ENTERPRISES, loginOf } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

/**
 * Staff, mentors and teams (issue 4, R-ENT-2, R-EVA-2). Teachers carry technician-college
 * titles (讲师 series and 实习指导教师 series) and skill levels; enterprise mentors come from
 * the two demo enterprises with engineering titles. Each demo college gets one compliant
 * team; 广州工贸 also gets a non-compliant one, so the missing-items text shows. The demo
 * mentor logins are linked to their staff records (a mentor with an account sees their
 * mentees). Idempotent: people are found by their seed key (never by a name users may
 * change), teams on (college, programme).
 */
type Person = [name: string, gender: 'male' | 'female', series: 'theory' | 'practice' | 'engineering' | null, title: string | null, level: string | null, skill: string | null, field: string];

/** [name, gender, title series, title as printed, title level code, skill level code, field] */
const TEACHERS: Record<string, Person[]> = {
  gzgm: [
    ['冯志强', 'male', 'practice', '高级实习指导教师', 'deputy-senior', 'level-1', '数控加工'],
    ['陈国华', 'male', 'theory', '正高级讲师', 'full-senior', 'level-2', '数控加工'],
    ['李慧敏', 'female', 'theory', '高级讲师', 'deputy-senior', null, '机械制造'],
    ['黄俊峰', 'male', 'practice', '一级实习指导教师', 'intermediate', 'level-2', '数控加工'],
    ['吴嘉琪', 'female', 'theory', '讲师', 'intermediate', 'level-3', '数控加工'],
    ['刘伟', 'male', 'theory', '讲师', 'intermediate', 'level-3', '工业机器人'],
    ['张晓燕', 'female', 'practice', '二级实习指导教师', 'junior-assistant', 'level-3', '工业机器人'],
    ['周文杰', 'male', 'theory', '助理讲师', 'junior-assistant', 'level-4', '工业机器人'],
  ],
  fsjs: [
    ['区敏仪', 'female', 'practice', '高级实习指导教师', 'deputy-senior', 'level-2', '电气自动化'],
    ['何志明', 'male', 'theory', '正高级讲师', 'full-senior', null, '电气自动化'],
    ['梁嘉慧', 'female', 'theory', '高级讲师', 'deputy-senior', 'level-2', '电气自动化'],
    ['陈家乐', 'male', 'practice', '一级实习指导教师', 'intermediate', 'level-1', '电气自动化'],
    ['谢晓雯', 'female', 'theory', '讲师', 'intermediate', 'level-3', '电气自动化'],
    ['罗浩然', 'male', 'theory', '讲师', 'intermediate', 'level-3', '电气自动化'],
  ],
  hyjs: [
    ['赖文斌', 'male', 'practice', '高级实习指导教师', 'deputy-senior', 'level-2', '电气自动化'],
    ['曾丽君', 'female', 'theory', '高级讲师', 'deputy-senior', null, '电气自动化'],
    ['钟伟强', 'male', 'theory', '讲师', 'intermediate', 'level-3', '电气自动化'],
  ],
};

/** Mentors per enterprise (by USCC order in DEMO_ENTERPRISES): the demo mentor logins first. */
const MENTORS: Person[][] = [
  [
    ['黎国栋', 'male', 'engineering', '高级工程师', 'deputy-senior', 'level-1', '数控加工'],
    ['苏永康', 'male', 'engineering', '工程师', 'intermediate', 'level-2', '数控加工'],
    ['林建业', 'male', 'engineering', '高级工程师', 'deputy-senior', null, '机床装调'],
    ['邓卓文', 'male', null, null, null, 'level-3', '数控加工'],
  ],
  [
    ['卢俊杰', 'male', 'engineering', '高级工程师', 'deputy-senior', 'level-2', '自动化设备运维'],
    ['钟丽萍', 'female', 'engineering', '工程师', 'intermediate', 'level-2', '工业机器人'],
    ['黎振华', 'male', 'engineering', '正高级工程师', 'full-senior', null, '电气自动化'],
  ],
];

/** college → [programme code, team name, college teachers (indexes), enterprise mentors ([enterprise index, mentor index])] */
const TEAMS: Record<string, [string, string, number[], [number, number][]][]> = {
  // 10 members: 3 enterprise (30 %), experts 陈国华 冯志强 李慧敏 黄俊峰 黎国栋 林建业 = 6 → compliant
  gzgm: [
    ['SKJG-01', '数控加工专业教学和考评团队', [0, 1, 2, 3, 4, 5, 6], [[0, 0], [0, 2], [0, 3]]],
    // 5 members: 1 enterprise (20 %), 2 experts (冯志强, 钟丽萍) → 还需增加1名企业导师、还需增加3名专家
    ['GYJQR-02', '工业机器人专业教学和考评团队', [5, 6, 7, 0], [[1, 1]]],
  ],
  // 8 members: 3 enterprise (37.5 %), experts 区敏仪 何志明 梁嘉慧 陈家乐 卢俊杰 黎振华 = 6 → compliant
  fsjs: [['DQZDH-02', '电气自动化专业教学和考评团队', [0, 1, 2, 3, 4], [[1, 0], [1, 1], [1, 2]]]],
  hyjs: [],
};

async function one(m: EntityManager, sql: string, params: unknown[]): Promise<Record<string, any> | undefined> {
  return (await m.query(sql, params))[0];
}

/**
 * The seed's own staff row for a person, by its seed key (issue 8 item 19): never by name,
 * which users may change. A row from a seed run before seed keys existed is adopted once by
 * its original name (or its linked login) if nobody marked it; a row a user created is never
 * touched. A login already linked to a user's own record is not linked again.
 */
async function ensureStaff(
  ctx: SeedContext,
  m: EntityManager,
  tenantId: string,
  p: Person,
  enterpriseId: string | null,
  userId: string | null,
): Promise<string> {
  const [name, gender, series, title, level, skill, field] = p;
  const seedKey = `staff:${enterpriseId ?? 'college'}:${name}`;
  const own = await one(m, 'SELECT id FROM staff_members WHERE tenant_id = $1 AND seed_key = $2', [tenantId, seedKey]);
  if (own) return own.id;
  const legacy = await one(
    m,
    `SELECT id FROM staff_members
      WHERE tenant_id = $1 AND seed_key IS NULL AND created_by IS NULL AND enterprise_id IS NOT DISTINCT FROM $3::uuid
        AND (name = $2 OR ($4::uuid IS NOT NULL AND user_id = $4::uuid))
      ORDER BY (user_id IS NOT DISTINCT FROM $4::uuid) DESC, created_at LIMIT 1`,
    [tenantId, name, enterpriseId, userId],
  );
  if (legacy) await m.query('UPDATE staff_members SET seed_key = $2 WHERE id = $1', [legacy.id, seedKey]);
  if (legacy) return legacy.id;
  if (userId && (await one(m, 'SELECT 1 FROM staff_members WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]))) userId = null;
  const row = await one(
    m,
    `INSERT INTO staff_members (tenant_id, side, enterprise_id, name, gender, title_series, title_name, title_level_code, skill_level_code, field, user_id, certificates, seed_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      tenantId,
      enterpriseId ? 'enterprise' : 'college',
      enterpriseId,
      name,
      gender,
      series,
      title,
      level,
      skill,
      field,
      userId,
      JSON.stringify(skill ? [{ name: `${field}职业技能等级证书`, level: skill, number: null, issuedOn: '2022-12-20', attachmentId: null }] : []),
      seedKey,
    ],
  );
  ctx.count('staff_members', 1);
  return row!.id;
}

export const staffSeed: SeedStep = {
  name: 'staff',
  async run(ctx) {
    for (const college of DEMO_COLLEGES) {
      const tenantId = ctx.ids.tenants.get(college.code);
      if (!tenantId) continue;
      await ctx.tx({ tenantId }, async (m) => {
        const teachers: string[] = [];
        for (const p of TEACHERS[college.code] ?? []) {
          const userId = p[0] === college.mentor.displayName ? (ctx.ids.users.get(loginOf(college.mentor)) ?? null) : null;
          teachers.push(await ensureStaff(ctx, m, tenantId, p, null, userId));
        }
        // Enterprise mentors of the demo enterprises that partner with this college.
        const mentors = new Map<string, string>();
        for (const [ei, e] of DEMO_ENTERPRISES.entries()) {
          const enterpriseId = ctx.ids.enterprises.get(e.uscc);
          if (!enterpriseId || !e.partners.includes(college.code)) continue;
          for (const [mi, p] of MENTORS[ei].entries()) {
            const login = e.mentors.find((x) => x.displayName === p[0]);
            const userId = login ? (ctx.ids.users.get(loginOf(login)) ?? null) : null;
            mentors.set(`${ei}:${mi}`, await ensureStaff(ctx, m, tenantId, p, enterpriseId, userId));
          }
        }
        for (const [code, name, teacherIdx, mentorIdx] of TEAMS[college.code] ?? []) {
          const programme = await one(m, 'SELECT id FROM programmes WHERE tenant_id = $1 AND lower(code) = lower($2)', [tenantId, code]);
          if (!programme) {
            ctx.log(`staff seed: programme ${code} of ${college.code} missing, team skipped`);
            continue;
          }
          const created = await m.query(
            `INSERT INTO teams (tenant_id, programme_id, name) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, programme_id) WHERE cohort_id IS NULL DO NOTHING RETURNING id`,
            [tenantId, programme.id, name],
          );
          ctx.count('teams', created.length);
          const teamId: string = created[0]?.id ?? (await one(m, 'SELECT id FROM teams WHERE tenant_id = $1 AND programme_id = $2 AND cohort_id IS NULL', [tenantId, programme.id]))!.id;
          const members = [
            ...teacherIdx.map((i, n) => [teachers[i], n === 0 ? 'lead' : 'teacher'] as const),
            ...mentorIdx.map(([ei, mi]) => [mentors.get(`${ei}:${mi}`), 'mentor'] as const),
          ];
          for (const [staffId, role] of members) {
            if (!staffId) continue;
            const added = await m.query(
              `INSERT INTO team_members (tenant_id, team_id, staff_member_id, role) VALUES ($1, $2, $3, $4)
               ON CONFLICT (tenant_id, team_id, staff_member_id) DO NOTHING RETURNING id`,
              [tenantId, teamId, staffId, role],
            );
            ctx.count('team_members', added.length);
          }
        }
      });
    }
  },
};
