import ExcelJS from 'exceljs';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { maskIdNumber } from '../../src/privacy/mask';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { studentRow } from './matrix/cohorts.fixtures';
import { registryEnterprise } from './matrix/enterprises.fixtures';
import { addDays, placementRow, practiceWorld, PracticeWorld, today } from './matrix/practice.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const checkChar = (first17: string) => CHECK[[...first17].reduce((sum, d, i) => sum + Number(d) * WEIGHTS[i], 0) % 11];

/**
 * Every resident ID number consistent with what a reader saw: the masked number (known
 * characters), the birth date as given (a full date, year-month, or nothing), the gender
 * (parity of the 17th digit) and a valid check character. One candidate = rebuilt.
 */
export function candidates(masked: string, dateOfBirth: string | null, gender: 'male' | 'female'): number {
  if (masked.length !== 18) return Infinity;
  const known = (i: number, c: string) => masked[i] === '*' || masked[i] === c;
  const days: string[] = [];
  const [y, m, d] = (dateOfBirth ?? '').split('-');
  const years = y ? [Number(y)] : Array.from({ length: 30 }, (_, i) => 1990 + i);
  for (const year of years) {
    const months = m ? [Number(m)] : Array.from({ length: 12 }, (_, i) => i + 1);
    for (const month of months) {
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      for (let day = 1; day <= last; day++) if (!d || Number(d) === day) days.push(`${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`);
    }
  }
  let n = 0;
  for (const date of days) {
    if (![...date].every((c, i) => known(6 + i, c))) continue;
    for (let seq = 0; seq < 1000; seq++) {
      const s = String(seq).padStart(3, '0');
      if (Number(s[2]) % 2 !== (gender === 'male' ? 1 : 0)) continue;
      if (![...s].every((c, i) => known(14 + i, c))) continue;
      const first17 = masked.slice(0, 6) + date + s;
      if (![...masked.slice(0, 6)].every((c) => c !== '*')) return Infinity;
      if (known(17, checkChar(first17))) n++;
    }
  }
  return n;
}

/** Issue 9 items 3 and 5: enterprise scope inside a college, and an ID nobody without students.reveal-pii can rebuild. */
describe('student privacy and enterprise scope (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let e1: { id: string };
  let e2: { id: string };
  let w1: PracticeWorld;
  let w2: PracticeWorld;
  let cohortW1: string;
  /** placed with E1 and mentored by E1's mentor */
  let placed: { studentId: string; idNumber: string };
  /** same cohort and programme (E1 partners with it) but neither placed with nor mentored by E1 */
  let bystander: { studentId: string; idNumber: string };
  const tokens: Record<string, string> = {};

  const tok = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string }, userId?: (id: string) => void) => {
    const m = await f.member(role, place);
    userId?.(m.userId);
    return (await login(t, m.email, TEST_PASSWORD)).accessToken;
  };

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '隐私测试技师学院' });
    e1 = await registryEnterprise(f, '隐私测试一号精工有限公司');
    e2 = await registryEnterprise(f, '隐私测试二号竞争企业有限公司');
    let m1User = '';
    let m2User = '';
    tokens.mentorE1 = await tok('enterprise-mentor', { tenantId: college, enterpriseId: e1.id }, (id) => (m1User = id));
    tokens.mentorE2 = await tok('enterprise-mentor', { tenantId: college, enterpriseId: e2.id }, (id) => (m2User = id));
    tokens.idleMentorE1 = await tok('enterprise-mentor', { tenantId: college, enterpriseId: e1.id });
    tokens.adminE1 = await tok('enterprise-admin', { tenantId: college, enterpriseId: e1.id });
    tokens.adminE2 = await tok('enterprise-admin', { tenantId: college, enterpriseId: e2.id });
    tokens.collegeMentor = await tok('college-mentor', { tenantId: college });
    tokens.staff = await tok('college-staff', { tenantId: college });
    w1 = await practiceWorld(f, college, e1.id, { enterpriseUserId: m1User });
    w2 = await practiceWorld(f, college, e2.id, { enterpriseUserId: m2User });
    cohortW1 = (await inTenant(f, college, () => f.query('SELECT cohort_id FROM students WHERE id = $1', [w1.studentId]))).rows[0].cohort_id;
    placed = await studentRow(f, college, cohortW1, { status: 'enrolled' });
    await placementRow(f, college, placed.studentId, e1.id, addDays(today(), -10), addDays(today(), 30));
    await inTenant(f, college, () =>
      f.query(`INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, 'enterprise', $3, $4)`, [college, placed.studentId, w1.enterpriseMentorId, addDays(today(), -10)]),
    );
    bystander = await studentRow(f, college, cohortW1, { status: 'enrolled' });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const listIds = async (token: string, query: Record<string, string> = {}) =>
    ((await t.http().get('/api/v1/students').query({ limit: '200', ...query }).set(bearer(token)).expect(200)).body.items as { id: string }[]).map((s) => s.id);

  describe('issue 9 item 3: enterprise scope inside a college', () => {
    it('an enterprise admin lists only students placed with or mentored by its enterprise; the competitor’s and unplaced ones are absent', async () => {
      const e1Sees = await listIds(tokens.adminE1);
      expect(e1Sees.sort()).toEqual([w1.studentId, placed.studentId].sort());
      const e2Sees = await listIds(tokens.adminE2);
      expect(e2Sees).toEqual([w2.studentId]);
    });

    it('an enterprise mentor lists only their own mentees; a mentor with none sees none', async () => {
      expect((await listIds(tokens.mentorE1)).sort()).toEqual([w1.studentId, placed.studentId].sort());
      expect(await listIds(tokens.mentorE2)).toEqual([w2.studentId]);
      expect(await listIds(tokens.idleMentorE1)).toEqual([]);
    });

    it('detail of a student outside the scope is 404 for every enterprise principal; inside it is 200', async () => {
      const pairs: [string, string, number][] = [
        [tokens.adminE1, w2.studentId, 404],
        [tokens.adminE1, bystander.studentId, 404],
        [tokens.adminE2, w1.studentId, 404],
        [tokens.mentorE1, w2.studentId, 404],
        [tokens.mentorE1, bystander.studentId, 404],
        [tokens.idleMentorE1, w1.studentId, 404],
        [tokens.mentorE2, placed.studentId, 404],
        [tokens.adminE1, placed.studentId, 200],
        [tokens.mentorE1, placed.studentId, 200],
      ];
      for (const [token, id, status] of pairs) {
        const res = await t.http().get(`/api/v1/students/${id}`).set(bearer(token));
        expect([id, res.status]).toEqual([id, status]);
      }
    });

    it('the cohort export and the streaming summary hold only the students in scope', async () => {
      const exported = await t.http().get(`/api/v1/cohorts/${cohortW1}/students/export.xlsx`).set(bearer(tokens.adminE1)).buffer(true).parse(binary).expect(200);
      const text = await workbookText(exported.body);
      const names = (await inTenant(f, college, () => f.query('SELECT id, name FROM students WHERE id = ANY($1::uuid[])', [[placed.studentId, bystander.studentId]]))).rows;
      const nameOf = (id: string) => names.find((r) => r.id === id)!.name;
      expect(text).toContain(nameOf(placed.studentId));
      expect(text).not.toContain(nameOf(bystander.studentId));
      const summary = await t.http().get(`/api/v1/cohorts/${cohortW1}/streaming`).set(bearer(tokens.mentorE1)).expect(200);
      expect((summary.body.students as { id: string }[]).map((s) => s.id)).not.toContain(bystander.studentId);
    });
  });

  describe('issue 9 item 5: one masking rule, tested by trying to rebuild the ID', () => {
    it('the test’s rebuild works: the old mask (last four) plus the full birth date gives exactly one number', () => {
      const id = placed.idNumber;
      const oldMask = `${id.slice(0, 6)}********${id.slice(-4)}`;
      const dob = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
      expect(candidates(oldMask, dob, Number(id[16]) % 2 ? 'male' : 'female')).toBe(1);
      // the new mask with year and month leaves hundreds
      expect(candidates(maskIdNumber(id)!, dob.slice(0, 7), Number(id[16]) % 2 ? 'male' : 'female')).toBeGreaterThanOrEqual(100);
    });

    it('no role without students.reveal-pii rebuilds any ID from everything it can read (list, detail, export, streaming)', async () => {
      let attempts = 0;
      for (const role of ['collegeMentor', 'adminE1', 'mentorE1'] as const) {
        const token = tokens[role];
        const seen = new Map<string, { idNumber: string; dateOfBirth: string | null; gender: 'male' | 'female' }>();
        const list = (await t.http().get('/api/v1/students').query({ limit: '200' }).set(bearer(token)).expect(200)).body.items;
        for (const s of list) {
          const one = (await t.http().get(`/api/v1/students/${s.id}`).set(bearer(token)).expect(200)).body;
          for (const v of [s, one]) {
            const prev = seen.get(v.id);
            seen.set(v.id, { idNumber: v.idNumber, dateOfBirth: prev?.dateOfBirth && prev.dateOfBirth.length > (v.dateOfBirth ?? '').length ? prev.dateOfBirth : v.dateOfBirth, gender: v.gender });
          }
        }
        expect(seen.size).toBeGreaterThan(0);
        const exported = await t.http().get(`/api/v1/cohorts/${cohortW1}/students/export.xlsx`).set(bearer(token)).buffer(true).parse(binary).expect(200);
        const rows = await workbookRows(exported.body);
        for (const [, v] of seen) {
          attempts++;
          // whatever the export says about the same masked number counts too
          const fromExport = rows.find((r) => r.includes(v.idNumber));
          const dob = fromExport?.find((c) => /^\d{4}-\d{2}(-\d{2})?$/.test(c)) ?? v.dateOfBirth;
          const best = [v.dateOfBirth, dob].sort((a, b) => (b ?? '').length - (a ?? '').length)[0];
          expect(best === null || /^\d{4}-\d{2}$/.test(best)).toBe(true);
          expect(candidates(v.idNumber, best, v.gender)).toBeGreaterThanOrEqual(100);
        }
      }
      expect(attempts).toBeGreaterThanOrEqual(5);
    });

    it('college staff (who may reveal, with an audited reason) keep the full birth date', async () => {
      const one = (await t.http().get(`/api/v1/students/${placed.studentId}`).set(bearer(tokens.staff)).expect(200)).body;
      expect(one.dateOfBirth).toBe(`${placed.idNumber.slice(6, 10)}-${placed.idNumber.slice(10, 12)}-${placed.idNumber.slice(12, 14)}`);
    });
  });

  describe('issue 9 item 6: reveals are rate-limited per user and a burst is flagged', () => {
    it('5 reveals in a minute pass unflagged, the 6th is flagged once in the audit log; the 31st in an hour is 429 with Retry-After and reveals nothing', async () => {
      let staffUser = '';
      const staff = await tok('college-staff', { tenantId: college }, (id) => (staffUser = id));
      const reveal = () => t.http().post(`/api/v1/students/${placed.studentId}/reveal`).set(bearer(staff)).send({ reason: '核对学籍信息' });
      const bursts = async () =>
        (await inTenant(f, college, () => f.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'user' AND entity_id = $1 AND action = 'reveal-burst'`, [staffUser]))).rows[0].n;
      for (let i = 0; i < 5; i++) expect((await reveal()).status).toBe(200);
      expect(await bursts()).toBe(0);
      expect((await reveal()).status).toBe(200);
      expect(await bursts()).toBe(1);
      for (let i = 6; i < 30; i++) expect((await reveal()).status).toBe(200);
      expect(await bursts()).toBe(1);
      const refused = await reveal();
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('STUDENTS.REVEAL_RATE_LIMITED');
      expect(refused.body.idNumber).toBeUndefined();
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // another user is not limited by this one's reveals
      expect((await t.http().post(`/api/v1/students/${placed.studentId}/reveal`).set(bearer(tokens.staff)).send({ reason: '核对学籍信息' })).status).toBe(200);
    });
  });
});

function binary(res: any, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

async function workbookRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? ''))))));
  return rows;
}

async function workbookText(buf: Buffer): Promise<string> {
  return (await workbookRows(buf)).map((r) => r.join('\t')).join('\n');
}
