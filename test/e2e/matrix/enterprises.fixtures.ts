import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { buildUscc } from '../../../src/database/seed/uscc';
import type { IdentityFactory } from '../../factories/identity.factory';
import type { Actor, MatrixWorld, RouteFixture } from './types';
import { monthsFromToday } from '../../setup/dates';

// ---- helpers shared by the enterprises, partnerships and attachments e2e suites

const ORG_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid USCC (GB 32100-2015) nobody else uses. */
export function freshUscc(region = '440112'): string {
  const org = Array.from(randomBytes(8), (b) => ORG_ALPHABET[b % ORG_ALPHABET.length]).join('');
  return buildUscc(region, org);
}

/** A registry enterprise with a valid code (the identity factory's codes are random). */
export async function registryEnterprise(f: IdentityFactory, name = `测试精密制造有限公司${randomBytes(2).toString('hex')}`, profile: Record<string, unknown> = {}) {
  const cols = Object.keys(profile);
  const r = await f.query(
    `INSERT INTO enterprises (uscc, name${cols.map((c) => `, ${c}`).join('')}) VALUES ($1, $2${cols.map((_, i) => `, $${i + 3}`).join('')}) RETURNING id, uscc`,
    [freshUscc(), name, ...cols.map((c) => profile[c])],
  );
  return r.rows[0] as { id: string; uscc: string };
}

/** Runs SQL on a tenant table as the owner, pinned to a college (FORCE RLS applies to the owner too). */
export async function asCollege<T = any>(f: IdentityFactory, tenantId: string, sql: string, params: unknown[] = []): Promise<T[]> {
  await f.query('BEGIN');
  try {
    await f.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const r = await f.query(sql, params);
    await f.query('COMMIT');
    return r.rows as T[];
  } catch (e) {
    await f.query('ROLLBACK');
    throw e;
  }
}

export async function programmeIn(f: IdentityFactory, tenantId: string, name = '数控加工（数控车工）'): Promise<string> {
  const rows = await asCollege(f, tenantId, `INSERT INTO programmes (code, name, occupation_code, occupation_name) VALUES ($1, $2, '6-18-01-01', '车工') RETURNING id`, [
    `P${randomBytes(4).toString('hex')}`,
    name,
  ]);
  return rows[0].id;
}

export async function linkToCollege(f: IdentityFactory, tenantId: string, enterpriseId: string): Promise<void> {
  await asCollege(f, tenantId, 'INSERT INTO college_enterprises (enterprise_id) VALUES ($1) ON CONFLICT DO NOTHING', [enterpriseId]);
}

export async function partnershipIn(f: IdentityFactory, tenantId: string, enterpriseId: string, status = 'proposed', programmeId?: string): Promise<string> {
  const programme = programmeId ?? (await programmeIn(f, tenantId));
  await linkToCollege(f, tenantId, enterpriseId);
  const rows = await asCollege(f, tenantId, `INSERT INTO partnerships (programme_id, enterprise_id, status, started_on) VALUES ($1, $2, $3::varchar, CASE WHEN $3::varchar = 'active' THEN DATE '2026-03-01' END) RETURNING id`, [
    programme,
    enterpriseId,
    status,
  ]);
  return rows[0].id;
}

/** A USCC whose check character is wrong (R-ENT-0: refused unless overridden). */
export function offByOne(uscc: string): string {
  return uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
}

/** An attachment row of a college whose bytes (a small PDF) are on the local disk storage. */
export async function attachmentIn(f: IdentityFactory, tenantId: string, uploadedBy: string, enterpriseId: string | null = null): Promise<string> {
  const key = `fixture/${randomBytes(8).toString('hex')}`;
  const path = join(resolve(process.env.STORAGE_DIR ?? '.data/files'), ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, SAMPLE_PDF);
  const rows = await asCollege(
    f,
    tenantId,
    `INSERT INTO attachments (filename, content_type, size_bytes, sha256, storage_key, uploaded_by, enterprise_id)
     VALUES ('校企合作协议.pdf', 'application/pdf', $1, $2, $3, $4, $5) RETURNING id`,
    [SAMPLE_PDF.length, createHash('sha256').update(SAMPLE_PDF).digest('hex'), key, uploadedBy, enterpriseId],
  );
  return rows[0].id;
}

export async function agreementIn(f: IdentityFactory, tenantId: string, partnershipId: string, values: { status?: string; termStart?: string; termEnd?: string; attachmentId?: string } = {}) {
  const rows = await asCollege(
    f,
    tenantId,
    `INSERT INTO agreements (partnership_id, college_party_name, enterprise_party_name, term_start, term_end, rights_and_duties, status, signed_on, signed_file_attachment_id)
     VALUES ($1, '测试技师学院', '测试企业', $2, $3, '双方共同培养学制技师', $4::varchar, CASE WHEN $4::varchar <> 'draft' THEN DATE '2026-02-26' END, $5) RETURNING id`,
    [partnershipId, values.termStart ?? '2026-03-01', values.termEnd ?? monthsFromToday(48), values.status ?? 'draft', values.attachmentId ?? null],
  );
  return rows[0].id as string;
}

/** A minimal stored (uncompressed) ZIP: enough to be a real docx/xlsx container. */
export function zipOf(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text, 'utf8');
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    locals.push(local, nameBuf, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const SAMPLE_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
export const SAMPLE_DOCX = zipOf({
  // a real docx declares its main part; file-type (issue 10) types OOXML by it
  '[Content_Types].xml':
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
});

// ---- matrix fixtures

/** The enterprise an actor may see: its own for enterprise roles, the world's enterprise E (linked to college A) otherwise. */
async function visibleEnterprise(w: MatrixWorld): Promise<string> {
  await linkToCollege(w.f, w.tenantA, w.enterpriseE);
  return w.enterpriseE;
}

/** An enterprise of college B only (→ 404 for college A users and for enterprise E's users). */
async function foreignEnterprise(w: MatrixWorld): Promise<string> {
  const e = await registryEnterprise(w.f, '矩阵外校企业有限公司');
  await linkToCollege(w.f, w.tenantB, e.id);
  return e.id;
}

async function enterpriseVersion(w: MatrixWorld, id: string): Promise<number> {
  return (await w.f.query('SELECT version FROM enterprises WHERE id = $1', [id])).rows[0].version;
}

async function proposal(w: MatrixWorld, tenantId: string, enterpriseId: string): Promise<string> {
  const rows = await asCollege(w.f, tenantId, `INSERT INTO enterprise_change_proposals (enterprise_id, changes) VALUES ($1, '{"headcount": 1300}') RETURNING id`, [enterpriseId]);
  return rows[0].id;
}

async function offering(w: MatrixWorld, tenantId: string, enterpriseId: string): Promise<{ id: string }> {
  const rows = await asCollege(w.f, tenantId, `INSERT INTO enterprise_offerings (enterprise_id, kind, title, capacity) VALUES ($1, 'post', '数控车床操作岗', 4) RETURNING id`, [enterpriseId]);
  return rows[0];
}

async function cooperation(w: MatrixWorld, enterpriseId: string): Promise<string> {
  const r = await w.f.query(
    `INSERT INTO enterprise_cooperations (enterprise_id, kind, partner_college, title, started_on) VALUES ($1, 'order-class', '矩阵技师学院', '订单班', '2025-09-01') RETURNING id`,
    [enterpriseId],
  );
  return r.rows[0].id;
}

const forActor = (w: MatrixWorld, a: Actor) => (a.role.startsWith('enterprise-') ? a.enterpriseId! : w.enterpriseE);
const firstUser = async (w: MatrixWorld) => (await w.f.query('SELECT id FROM users LIMIT 1')).rows[0].id as string;

export const ENTERPRISES_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/enterprises': {
    build: async () => ({ path: '/api/v1/enterprises', body: { uscc: freshUscc(), name: '矩阵新登记企业有限公司', industry: '通用设备制造业' } }),
  },
  'POST /api/v1/enterprises/uscc-override': {
    build: async () => ({
      path: '/api/v1/enterprises/uscc-override',
      body: { uscc: offByOne(freshUscc()), name: '矩阵早期代码企业', usccOverrideReason: '早期代码，经市场监管部门核实' },
    }),
  },
  'GET /api/v1/enterprises': { build: async () => ({ path: '/api/v1/enterprises' }) },
  'GET /api/v1/enterprises/:id': {
    build: async (w) => ({ path: `/api/v1/enterprises/${await visibleEnterprise(w)}` }),
    foreign: async (w) => ({ path: `/api/v1/enterprises/${await foreignEnterprise(w)}` }),
  },
  'PATCH /api/v1/enterprises/:id': {
    build: async (w, a) => {
      const id = forActor(w, a);
      return { path: `/api/v1/enterprises/${id}`, body: { headcount: 800, version: await enterpriseVersion(w, id) } };
    },
    foreign: async (w) => {
      const id = await foreignEnterprise(w);
      return { path: `/api/v1/enterprises/${id}`, body: { headcount: 800, version: 1 } };
    },
  },
  'GET /api/v1/enterprises/:id/criteria': {
    build: async (w) => ({ path: `/api/v1/enterprises/${await visibleEnterprise(w)}/criteria`, query: { referenceDate: '2026-03-31' } }),
    foreign: async (w) => ({ path: `/api/v1/enterprises/${await foreignEnterprise(w)}/criteria` }),
  },
  'POST /api/v1/enterprises/:id/change-proposals': {
    build: async (w) => ({ path: `/api/v1/enterprises/${await visibleEnterprise(w)}/change-proposals`, body: { changes: { headcount: 1350 }, note: '按年报更新' } }),
    foreign: async (w) => ({ path: `/api/v1/enterprises/${await foreignEnterprise(w)}/change-proposals`, body: { changes: { headcount: 1 } } }),
  },
  'GET /api/v1/enterprises/:id/change-proposals': {
    build: async (w) => ({ path: `/api/v1/enterprises/${await visibleEnterprise(w)}/change-proposals` }),
    foreign: async (w) => ({ path: `/api/v1/enterprises/${await foreignEnterprise(w)}/change-proposals` }),
  },
  'GET /api/v1/enterprises/:id/cooperations': {
    build: async (w) => ({ path: `/api/v1/enterprises/${await visibleEnterprise(w)}/cooperations` }),
    foreign: async (w) => ({ path: `/api/v1/enterprises/${await foreignEnterprise(w)}/cooperations` }),
  },
  'POST /api/v1/enterprises/:id/cooperations': {
    build: async (w, a) => ({
      path: `/api/v1/enterprises/${forActor(w, a)}/cooperations`,
      body: { kind: 'order-class', partnerCollege: '广州市工贸技师学院', title: '数控订单班', startedOn: '2025-09-01' },
    }),
    foreign: async (w) => ({
      path: `/api/v1/enterprises/${await foreignEnterprise(w)}/cooperations`,
      body: { kind: 'order-class', partnerCollege: '广州市工贸技师学院', title: '数控订单班', startedOn: '2025-09-01' },
    }),
  },
  'DELETE /api/v1/enterprises/:id/cooperations/:cooperationId': {
    build: async (w, a) => {
      const id = forActor(w, a);
      return { path: `/api/v1/enterprises/${id}/cooperations/${await cooperation(w, id)}` };
    },
    foreign: async (w) => {
      const id = await foreignEnterprise(w);
      return { path: `/api/v1/enterprises/${id}/cooperations/${await cooperation(w, id)}` };
    },
  },
  'POST /api/v1/enterprise-change-proposals/:id/accept': {
    build: async (w, a) => ({ path: `/api/v1/enterprise-change-proposals/${await proposal(w, w.tenantA, forActor(w, a))}/accept` }),
    foreign: async (w, a) => ({ path: `/api/v1/enterprise-change-proposals/${await proposal(w, w.tenantB, forActor(w, a))}/accept` }),
  },
  'POST /api/v1/enterprise-change-proposals/:id/reject': {
    build: async (w, a) => ({ path: `/api/v1/enterprise-change-proposals/${await proposal(w, w.tenantA, forActor(w, a))}/reject`, body: { reason: '数据有误' } }),
    foreign: async (w, a) => ({ path: `/api/v1/enterprise-change-proposals/${await proposal(w, w.tenantB, forActor(w, a))}/reject`, body: { reason: '数据有误' } }),
  },

  'GET /api/v1/offerings': { build: async () => ({ path: '/api/v1/offerings' }) },
  'GET /api/v1/offerings/:id': {
    build: async (w, a) => ({ path: `/api/v1/offerings/${(await offering(w, w.tenantA, forActor(w, a))).id}` }),
    foreign: async (w, a) => ({ path: `/api/v1/offerings/${(await offering(w, w.tenantB, forActor(w, a))).id}` }),
  },
  'POST /api/v1/offerings': {
    build: async () => ({ path: '/api/v1/offerings', body: { kind: 'project', title: '智能产线改造技术项目', skillItems: ['PLC 编程'], capacity: 3 } }),
  },
  'PATCH /api/v1/offerings/:id': {
    build: async (w, a) => ({ path: `/api/v1/offerings/${(await offering(w, w.tenantA, forActor(w, a))).id}`, body: { capacity: 5, version: 1 } }),
    foreign: async (w, a) => ({ path: `/api/v1/offerings/${(await offering(w, w.tenantB, forActor(w, a))).id}`, body: { capacity: 5, version: 1 } }),
  },
  'DELETE /api/v1/offerings/:id': {
    build: async (w, a) => ({ path: `/api/v1/offerings/${(await offering(w, w.tenantA, forActor(w, a))).id}` }),
    foreign: async (w, a) => ({ path: `/api/v1/offerings/${(await offering(w, w.tenantB, forActor(w, a))).id}` }),
  },

  'POST /api/v1/partnerships': {
    build: async (w) => {
      const e = await registryEnterprise(w.f);
      return { path: '/api/v1/partnerships', body: { programmeId: await programmeIn(w.f, w.tenantA), enterpriseId: e.id } };
    },
  },
  'GET /api/v1/partnerships': { build: async () => ({ path: '/api/v1/partnerships' }) },
  'GET /api/v1/partnerships/:id': {
    build: async (w, a) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantA, forActor(w, a))}` }),
    foreign: async (w, a) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantB, forActor(w, a))}` }),
  },
  'POST /api/v1/partnerships/:id/activate': {
    build: async (w) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantA, w.enterpriseE)}/activate`, body: { version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantB, w.enterpriseE)}/activate`, body: { version: 1 } }),
  },
  'POST /api/v1/partnerships/:id/end': {
    build: async (w) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantA, w.enterpriseE, 'active')}/end`, body: { version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantB, w.enterpriseE, 'active')}/end`, body: { version: 1 } }),
  },
  'POST /api/v1/partnerships/:id/agreements': {
    build: async (w) => ({
      path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantA, w.enterpriseE)}/agreements`,
      body: { termStart: monthsFromToday(-1), termEnd: monthsFromToday(48), rightsAndDuties: '学院负责教学，企业提供岗位与导师' },
    }),
    foreign: async (w) => ({
      path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantB, w.enterpriseE)}/agreements`,
      body: { termStart: monthsFromToday(-1), termEnd: monthsFromToday(48), rightsAndDuties: '学院负责教学，企业提供岗位与导师' },
    }),
  },
  'GET /api/v1/partnerships/:id/agreements': {
    build: async (w, a) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantA, forActor(w, a))}/agreements` }),
    foreign: async (w, a) => ({ path: `/api/v1/partnerships/${await partnershipIn(w.f, w.tenantB, forActor(w, a))}/agreements` }),
  },
  'GET /api/v1/agreements/:id': {
    build: async (w, a) => ({ path: `/api/v1/agreements/${await agreementIn(w.f, w.tenantA, await partnershipIn(w.f, w.tenantA, forActor(w, a)))}` }),
    foreign: async (w, a) => ({ path: `/api/v1/agreements/${await agreementIn(w.f, w.tenantB, await partnershipIn(w.f, w.tenantB, forActor(w, a)))}` }),
  },
  'PATCH /api/v1/agreements/:id': {
    build: async (w) => ({ path: `/api/v1/agreements/${await agreementIn(w.f, w.tenantA, await partnershipIn(w.f, w.tenantA, w.enterpriseE))}`, body: { termEnd: monthsFromToday(60), version: 1 } }),
    foreign: async (w) => ({ path: `/api/v1/agreements/${await agreementIn(w.f, w.tenantB, await partnershipIn(w.f, w.tenantB, w.enterpriseE))}`, body: { termEnd: monthsFromToday(60), version: 1 } }),
  },
  'POST /api/v1/agreements/:id/sign': {
    build: async (w, a) => {
      const agreement = await agreementIn(w.f, w.tenantA, await partnershipIn(w.f, w.tenantA, w.enterpriseE));
      return { path: `/api/v1/agreements/${agreement}/sign`, body: { signedOn: '2026-02-26', signedFileAttachmentId: await attachmentIn(w.f, w.tenantA, a.userId), version: 1 } };
    },
    foreign: async (w, a) => {
      const agreement = await agreementIn(w.f, w.tenantB, await partnershipIn(w.f, w.tenantB, w.enterpriseE));
      return { path: `/api/v1/agreements/${agreement}/sign`, body: { signedOn: '2026-02-26', signedFileAttachmentId: await attachmentIn(w.f, w.tenantB, a.userId), version: 1 } };
    },
  },
  'POST /api/v1/agreements/:id/terminate': {
    build: async (w) => {
      const p = await partnershipIn(w.f, w.tenantA, w.enterpriseE);
      const agreement = await agreementIn(w.f, w.tenantA, p, { status: 'signed', attachmentId: await attachmentIn(w.f, w.tenantA, await firstUser(w)) });
      return { path: `/api/v1/agreements/${agreement}/terminate`, body: { reason: '双方协商一致提前终止', version: 1 } };
    },
    foreign: async (w) => {
      const p = await partnershipIn(w.f, w.tenantB, w.enterpriseE);
      const agreement = await agreementIn(w.f, w.tenantB, p, { status: 'signed', attachmentId: await attachmentIn(w.f, w.tenantB, await firstUser(w)) });
      return { path: `/api/v1/agreements/${agreement}/terminate`, body: { reason: '双方协商一致提前终止', version: 1 } };
    },
  },

  'POST /api/v1/attachments': {
    build: async () => ({ path: '/api/v1/attachments', files: { file: { content: SAMPLE_PDF, filename: '矩阵测试.pdf' } } }),
  },
  'GET /api/v1/attachments/:id': {
    build: async (w, a) => ({ path: `/api/v1/attachments/${await attachmentIn(w.f, w.tenantA, a.userId, a.enterpriseId ?? null)}` }),
    foreign: async (w, a) => ({ path: `/api/v1/attachments/${await attachmentIn(w.f, w.tenantB, a.userId, a.enterpriseId ?? null)}` }),
  },
  'GET /api/v1/attachments/:id/download': {
    build: async (w, a) => ({ path: `/api/v1/attachments/${await attachmentIn(w.f, w.tenantA, a.userId, a.enterpriseId ?? null)}/download` }),
    foreign: async (w, a) => ({ path: `/api/v1/attachments/${await attachmentIn(w.f, w.tenantB, a.userId, a.enterpriseId ?? null)}/download` }),
  },
};
