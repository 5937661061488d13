import type { Role } from '../../auth/roles';
import { buildUscc } from './uscc';

/**
 * The demo province: invented people and organisations, realistic enough to click through.
 * College names are those of real Guangdong technician colleges (public institutions);
 * enterprises are invented and marked （演示）. Phone numbers are in the 138-0013-8xxx
 * demo range. Never load this into a production database (the seed command refuses).
 */

/** One password for every demo login; meets the policy in src/auth/password.ts. */
export const DEMO_PASSWORD = 'Jishi2026demo';

export interface DemoUser {
  /** email or 11-digit mobile: what the person types at login */
  email?: string;
  phone?: string;
  displayName: string;
}

export interface DemoCollege {
  code: string;
  name: string;
  /** for tables: 广州工贸 */
  shortName: string;
  nameEn: string;
  tier: 'batch1' | 'batch2' | 'batch2-building' | 'batch2-cultivating' | 'other';
  city: string;
  admin: DemoUser;
  staff: DemoUser;
  mentor: DemoUser;
}

export interface DemoEnterprise {
  uscc: string;
  name: string;
  shortName: string;
  nameEn: string;
  /** tenant codes of the colleges it trains students with */
  partners: string[];
  admin: DemoUser;
  mentors: DemoUser[];
}

/** R-COL-1: three colleges, three different tiers (2026 rollout: two eligible, one not, R-COL-2). */
export const DEMO_COLLEGES: DemoCollege[] = [
  {
    code: 'gzgm',
    name: '广州市工贸技师学院',
    shortName: '广州工贸',
    nameEn: 'Guangzhou Industry & Trade Technician College',
    tier: 'batch1',
    city: '广州',
    admin: { email: 'admin@gzgm.demo', displayName: '何婉仪' },
    staff: { email: 'staff@gzgm.demo', displayName: '梁振宇' },
    mentor: { email: 'mentor@gzgm.demo', phone: '13800138011', displayName: '冯志强' },
  },
  {
    code: 'fsjs',
    name: '佛山市技师学院',
    shortName: '佛山技师',
    nameEn: 'Foshan Technician College',
    tier: 'batch2',
    city: '佛山',
    admin: { email: 'admin@fsjs.demo', displayName: '罗嘉欣' },
    staff: { email: 'staff@fsjs.demo', displayName: '邓家豪' },
    mentor: { email: 'mentor@fsjs.demo', displayName: '区敏仪' },
  },
  {
    code: 'hyjs',
    name: '河源市技师学院',
    shortName: '河源技师',
    nameEn: 'Heyuan Technician College',
    tier: 'other',
    city: '河源',
    admin: { email: 'admin@hyjs.demo', displayName: '曾国平' },
    staff: { email: 'staff@hyjs.demo', displayName: '叶淑华' },
    mentor: { email: 'mentor@hyjs.demo', displayName: '赖文斌' },
  },
];

/** R-ENT-0: each enterprise exists once in the province, identified by a valid USCC. */
export const DEMO_ENTERPRISES: DemoEnterprise[] = [
  {
    // 广州市黄埔区 (440112)
    uscc: buildUscc('440112', 'MA9DEM01'),
    name: '广州精工数控设备有限公司（演示）',
    shortName: '精工数控（演示）',
    nameEn: 'Guangzhou Jinggong CNC Equipment Co., Ltd. (demo)',
    partners: ['gzgm', 'hyjs'],
    admin: { email: 'admin@gzjg.demo', displayName: '谭伟明' },
    mentors: [
      { phone: '13800138021', displayName: '黎国栋' },
      { phone: '13800138022', displayName: '苏永康' },
    ],
  },
  {
    // 佛山市顺德区 (440606)
    uscc: buildUscc('440606', 'MA9DEM02'),
    name: '佛山美智家电集团有限公司（演示）',
    shortName: '美智家电（演示）',
    nameEn: 'Foshan Meizhi Home Appliance Group Co., Ltd. (demo)',
    partners: ['fsjs', 'gzgm'],
    admin: { email: 'admin@fsmz.demo', displayName: '麦慧珊' },
    mentors: [
      { phone: '13800138031', displayName: '卢俊杰' },
      { phone: '13800138032', displayName: '钟丽萍' },
    ],
  },
];

/** 省人社厅 work-promotion group: administrator, review expert, read-only viewer. */
export const DEMO_PROVINCE_USERS: (DemoUser & { role: Extract<Role, `province-${string}`> })[] = [
  { email: 'admin@province.demo', displayName: '陈志远', role: 'province-admin' },
  { email: 'expert@province.demo', displayName: '林晓梅', role: 'province-expert' },
  { email: 'viewer@province.demo', displayName: '黄建华', role: 'province-viewer' },
];

export function loginOf(user: DemoUser): string {
  const login = user.email ?? user.phone;
  if (!login) throw new Error(`demo user ${user.displayName} has neither email nor phone`);
  return login;
}

export interface DemoLogin {
  role: Role;
  /** province / college name, or enterprise → its partner colleges, in Chinese */
  organisation: string;
  displayName: string;
  login: string;
}

/** Every demo login, one row per person (an enterprise person serves every partner college). */
export function demoLogins(): DemoLogin[] {
  const rows: DemoLogin[] = DEMO_PROVINCE_USERS.map((u) => ({ role: u.role, organisation: '广东省人力资源和社会保障厅', displayName: u.displayName, login: loginOf(u) }));
  for (const c of DEMO_COLLEGES) {
    rows.push({ role: 'college-admin', organisation: c.name, displayName: c.admin.displayName, login: loginOf(c.admin) });
    rows.push({ role: 'college-staff', organisation: c.name, displayName: c.staff.displayName, login: loginOf(c.staff) });
    rows.push({ role: 'college-mentor', organisation: c.name, displayName: c.mentor.displayName, login: loginOf(c.mentor) });
  }
  for (const e of DEMO_ENTERPRISES) {
    const partners = e.partners.map((code) => DEMO_COLLEGES.find((c) => c.code === code)?.shortName ?? code).join('、');
    const organisation = `${e.shortName} → ${partners}`;
    rows.push({ role: 'enterprise-admin', organisation, displayName: e.admin.displayName, login: loginOf(e.admin) });
    for (const m of e.mentors) rows.push({ role: 'enterprise-mentor', organisation, displayName: m.displayName, login: loginOf(m) });
  }
  return rows;
}
