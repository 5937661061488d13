import ExcelJS from 'exceljs';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { addStudent, assessmentWorld, AssessmentWorld, certificateRow, sheetRow } from './matrix/assessments.fixtures';
import { addDays, today } from './matrix/practice.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

/**
 * Issue 11 part A: assessments entered by the right side (R-EVA-3), draft → submitted
 * (locked) with versioned corrections (DOMAIN §5), batch and Excel entry, certificates
 * verified by college staff, and the outcome view the graduation check and KPIs read.
 */

/** 200, or a failure that shows the problem the server answered (an upload once answered 422 in a full run, unexplained). */
const okWithProblem = (res: { status: number; body: unknown }) => {
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
};

describe('assessments and certificates (e2e, R-EVA-3)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let e1: string;
  let e2: string;
  let staff: string;
  let admin: string;
  let mentor1: string;
  let mentor2: string;
  let admin2: string;
  let collegeMentor: string;
  let w: AssessmentWorld;
  let s2: string;

  const member = async (role: Parameters<IdentityFactory['member']>[0], place: { tenantId?: string; enterpriseId?: string }) => {
    const m = await f.member(role, place);
    return { userId: m.userId, token: (await login(t, m.email, TEST_PASSWORD)).accessToken };
  };
  const get = (tok: string, path: string) => t.http().get(`/api/v1${path}`).set(bearer(tok));
  const put = (tok: string, sheetId: string, body: object) => t.http().put(`/api/v1/assessment-sheets/${sheetId}/results`).set(bearer(tok)).send(body);
  const outcome = (studentId: string) =>
    inTenant(f, college, async () => (await f.query(`SELECT * FROM student_evaluation_outcomes_v WHERE tenant_id = $1 AND student_id = $2`, [college, studentId])).rows[0]);
  const resultCount = (sheetId: string) => inTenant(f, college, async () => Number((await f.query(`SELECT count(*) FROM assessment_results WHERE tenant_id = $1 AND sheet_id = $2`, [college, sheetId])).rows[0].count));

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '考核测试技师学院' });
    e1 = await f.enterprise('考核测试精工数控有限公司');
    e2 = await f.enterprise('考核测试智能装备有限公司');
    staff = (await member('college-staff', { tenantId: college })).token;
    admin = (await member('college-admin', { tenantId: college })).token;
    const m1 = await member('enterprise-mentor', { tenantId: college, enterpriseId: e1 });
    const m2 = await member('enterprise-mentor', { tenantId: college, enterpriseId: e2 });
    const cm = await member('college-mentor', { tenantId: college });
    mentor1 = m1.token;
    mentor2 = m2.token;
    collegeMentor = cm.token;
    admin2 = (await member('enterprise-admin', { tenantId: college, enterpriseId: e2 })).token;
    // s1 (w.studentId): placed at e1 in practice stage 1, enterprise mentor m1, college mentor cm; s2: no placement, enterprise mentor of e2 (m2)
    w = await assessmentWorld(f, college, e1, { enterpriseUserId: m1.userId, collegeUserId: cm.userId });
    s2 = await addStudent(f, w, { enterpriseId: e2, enterpriseUserId: m2.userId });
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('R-EVA-3: a cohort’s items come from its plan version (each course, each practice stage, the terminal assessment, mid-term, defence) and college staff open their sheets', async () => {
    const opened = await t.http().post('/api/v1/assessment-sheets').set(bearer(staff)).send({ cohortId: w.cohortId }).expect(201);
    expect(opened.body.items.map((i: { itemKey: string }) => i.itemKey)).toEqual(['course:0:0', 'course:0:1', 'course:1:0', 'course:1:1', 'practice:0', 'practice:1', 'terminal:1', 'mid-term', 'defence']);
    expect(opened.body.items.every((i: { sheetId: string | null }) => i.sheetId)).toBe(true);
    expect(opened.body.items.find((i: { itemKey: string }) => i.itemKey === 'terminal:1')).toMatchObject({ kind: 'terminal', passMark: 70, scoring: 'score', side: 'enterprise' });
    expect(opened.body.items.find((i: { itemKey: string }) => i.itemKey === 'practice:1')).toMatchObject({ scoring: 'pass-fail', passMark: null, side: 'enterprise' });
    const again = await t.http().post('/api/v1/assessment-sheets').set(bearer(staff)).send({ cohortId: w.cohortId, itemKey: 'mid-term' });
    expect(again.status).toBe(409);
    const bad = await t.http().post('/api/v1/assessment-sheets').set(bearer(staff)).send({ cohortId: w.cohortId, itemKey: 'terminal:0' });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('ASSESSMENTS.NO_SUCH_ITEM');
  });

  it('R-EVA-3: the enterprise side sees and enters terminal results only for its own students (another enterprise’s student is 404, nothing written)', async () => {
    const sheet = await sheetRow(f, w, 'terminal:1');
    const mine = await get(mentor1, `/assessment-sheets/${sheet}`).expect(200);
    expect(mine.body.rows.map((r: { student: { id: string } }) => r.student.id)).toEqual([w.studentId]);
    const theirs = await get(admin2, `/assessment-sheets/${sheet}`).expect(200);
    expect(theirs.body.rows.map((r: { student: { id: string } }) => r.student.id)).toEqual([s2]);

    const row = (studentId: string) => ({ studentId, score: 88, judgedTechnician: true, assessedOn: today(), assessor: '企业考评组' });
    const foreign = await put(mentor1, sheet, { rows: [row(w.studentId), row(s2)] });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('ASSESSMENTS.STUDENTS_NOT_FOUND');
    expect(foreign.body.errors.map((e: { field: string }) => e.field)).toEqual(['rows[1].studentId']);
    expect(await resultCount(sheet)).toBe(0);

    const ok = await put(mentor1, sheet, { rows: [row(w.studentId)] }).expect(200);
    expect(ok.body.rows[0].result).toMatchObject({ status: 'draft', score: 88, passed: true, judgedTechnician: true, enteredSide: 'enterprise', versionNo: 1 });
    await put(mentor2, sheet, { rows: [row(s2)] }).expect(200);
    // the other enterprise's mentor never sees s1's result
    const after = await get(mentor2, `/assessment-sheets/${sheet}/history`).expect(200);
    expect(after.body.items.map((i: { student: { id: string } }) => i.student.id)).toEqual([s2]);
  });

  it('R-EVA-3: only the right side enters each kind — college staff cannot enter a terminal result, an enterprise mentor cannot enter a course result (403)', async () => {
    const terminal = await sheetRow(f, w, 'terminal:1');
    const course = await sheetRow(f, w, 'course:0:0');
    const a = await put(staff, terminal, { rows: [{ studentId: w.studentId, score: 90, judgedTechnician: true, assessedOn: today(), assessor: '教务' }] });
    expect(a.status).toBe(403);
    expect(a.body.code).toBe('ASSESSMENTS.WRONG_SIDE');
    const b = await put(mentor1, course, { rows: [{ studentId: w.studentId, score: 90, assessedOn: today(), assessor: '企业导师' }] });
    expect(b.status).toBe(403);
    expect(b.body.detail).toContain('院校方');
    // a college mentor enters course results for their mentee only
    const c = await put(collegeMentor, course, { rows: [{ studentId: s2, score: 90, assessedOn: today(), assessor: '院校导师' }] });
    expect(c.status).toBe(404);
  });

  it('R-EVA-3: the pass mark is met at exactly the mark and not at 0.5 below; scores step by 0.5; a batch with bad rows reports every one and writes nothing', async () => {
    const sheet = await sheetRow(f, w, 'course:0:1');
    const bad = await put(staff, sheet, {
      rows: [
        { studentId: w.studentId, score: 60.25, assessedOn: today(), assessor: '张老师' },
        { studentId: s2, score: 101, assessedOn: addDays(today(), 1), assessor: '张老师' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('ASSESSMENTS.ROWS_INVALID');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['rows[0].score', 'rows[1].assessedOn', 'rows[1].score']);
    expect(await resultCount(sheet)).toBe(0);

    const ok = await put(staff, sheet, {
      rows: [
        { studentId: w.studentId, score: 60, assessedOn: today(), assessor: '张老师' },
        { studentId: s2, score: 59.5, assessedOn: today(), assessor: '张老师' },
      ],
    }).expect(200);
    const passed = Object.fromEntries(ok.body.rows.map((r: { student: { id: string }; result: { passed: boolean } }) => [r.student.id, r.result.passed]));
    expect(passed).toEqual({ [w.studentId]: true, [s2]: false });
  });

  it('DOMAIN §5 / R-EVA-3: a submitted result is locked — changing it needs a reason and adds a version; history shows both and who; the database refuses a direct change', async () => {
    const sheet = await sheetRow(f, w, 'course:1:1');
    const rows = [
      { studentId: w.studentId, score: 58, assessedOn: today(), assessor: '李老师' },
      { studentId: s2, score: 75, assessedOn: today(), assessor: '李老师' },
    ];
    const submitted = await put(staff, sheet, { rows, submit: true }).expect(200);
    expect(submitted.body.status).toBe('submitted');
    // re-sending the same sheet changes nothing
    await put(staff, sheet, { rows }).expect(200);
    const locked = await put(staff, sheet, { rows: [{ ...rows[0], score: 85 }] });
    expect(locked.status).toBe(422);
    expect(locked.body.errors[0].field).toBe('rows[0].correctionReason');
    const corrected = await put(staff, sheet, { rows: [{ ...rows[0], score: 85, correctionReason: '录入时数字颠倒（85 误录为 58）' }] }).expect(200);
    const r1 = corrected.body.rows.find((r: { student: { id: string } }) => r.student.id === w.studentId).result;
    expect(r1).toMatchObject({ versionNo: 2, status: 'submitted', score: 85, passed: true, correctionReason: '录入时数字颠倒（85 误录为 58）' });
    const history = await get(admin, `/assessment-sheets/${sheet}/history?studentId=${w.studentId}`).expect(200);
    expect(history.body.items.map((i: { versionNo: number; isCurrent: boolean; score: number }) => [i.versionNo, i.isCurrent, i.score])).toEqual([[1, false, 58], [2, true, 85]]);
    expect(history.body.items.every((i: { enteredBy: { name: string } | null }) => i.enteredBy?.name)).toBe(true);
    // the trigger: a submitted row cannot be changed in place, even as the runtime role pinned to the college
    await expect(
      inTenant(f, college, () => f.query(`UPDATE assessment_results SET score = 99 WHERE tenant_id = $1 AND sheet_id = $2 AND student_id = $3 AND version_no = 2`, [college, sheet, w.studentId])),
    ).rejects.toThrow(/locked/);
    const audit = await inTenant(f, college, async () => (await f.query(`SELECT after FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 AND action = 'enter-results'`, [college, sheet])).rows);
    expect(audit.some((a: { after: { corrections: unknown[] } }) => a.after.corrections.length === 1)).toBe(true);
  });

  it('R-EVA-3: a college admin reopens a submitted sheet (audited) so a late student can be entered; college staff may not', async () => {
    const sheet = await sheetRow(f, w, 'mid-term');
    await put(staff, sheet, { rows: [w.studentId, s2].map((studentId) => ({ studentId, score: 80, assessedOn: today(), assessor: '教务处' })), submit: true }).expect(200);
    const late = await addStudent(f, w);
    const refused = await put(staff, sheet, { rows: [{ studentId: late, score: 70, assessedOn: today(), assessor: '教务处' }] });
    expect(refused.status).toBe(422);
    expect((await t.http().post(`/api/v1/assessment-sheets/${sheet}/reopen`).set(bearer(staff)).send({ reason: '补录' })).status).toBe(403);
    const reopened = await t.http().post(`/api/v1/assessment-sheets/${sheet}/reopen`).set(bearer(admin)).send({ reason: '插班生补录中期成绩' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'draft', reopenReason: '插班生补录中期成绩' });
    const done = await put(staff, sheet, { rows: [{ studentId: late, score: 70, assessedOn: today(), assessor: '教务处' }], submit: true }).expect(200);
    expect(done.body.status).toBe('submitted');
    const audit = await inTenant(f, college, async () => (await f.query(`SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 AND action = 'reopen'`, [college, sheet])).rows[0].count);
    expect(Number(audit)).toBe(1);
    await inTenant(f, college, () => f.query(`UPDATE students SET status = 'withdrawn', left_on = $3, left_reason = '测试' WHERE tenant_id = $1 AND id = $2`, [college, late, today()]));
  });

  it('R-EVA-3: the Excel template carries the caller’s students; a dry run reports bad rows by row and column and writes nothing; the upload writes', async () => {
    const sheet = await sheetRow(f, w, 'practice:1');
    const tpl = await get(mentor1, `/assessment-sheets/${sheet}/template.xlsx`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.body as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('成绩')!;
    expect(ws.getRow(1).values).toEqual([undefined, '学生编号', '姓名', '是否合格', '考核日期', '考核人', '备注', '更正原因']);
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe(w.studentId);
    ws.getRow(2).getCell(3).value = '优秀';
    ws.getRow(2).getCell(4).value = today();
    ws.getRow(2).getCell(5).value = '王师傅';
    const upload = (buf: Buffer, dryRun: boolean) =>
      t.http().post(`/api/v1/assessment-sheets/${sheet}/import`).query({ dryRun: String(dryRun) }).set(bearer(mentor1)).attach('file', buf, '成绩.xlsx');
    const dry = await upload(Buffer.from(await wb.xlsx.writeBuffer()), true).expect(okWithProblem);
    expect(dry.body.errors).toEqual([{ row: 2, column: '是否合格', message: '填“合格”或“不合格”' }]);
    ws.getRow(2).getCell(3).value = '合格';
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    const dry2 = await upload(good, true).expect(200);
    expect(dry2.body).toMatchObject({ dryRun: true, written: 1, errors: [] });
    expect(await resultCount(sheet)).toBe(0);
    await upload(good, false).expect(200);
    const read = await get(mentor1, `/assessment-sheets/${sheet}`).expect(200);
    expect(read.body.rows[0].result).toMatchObject({ passed: true, score: null, assessor: '王师傅', status: 'draft' });
  });

  it('R-EVA-3 ① ②: college staff verify or reject (with a reason) a certificate; only verified ones count in the outcome view', async () => {
    const created = await t.http().post('/api/v1/certificates').set(bearer(staff))
      .send({ studentId: s2, kind: 'vocational-level-2', occupation: '数控车工', level: '二级/技师', number: 'Y00044010099', issuer: '广东省职业技能鉴定指导中心', issuedOn: today() })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'unverified', route: '①', kindZh: '二级职业技能等级证书' });
    expect((await outcome(s2)).verified_national_certificate).toBe(false);
    const dup = await t.http().post('/api/v1/certificates').set(bearer(staff))
      .send({ studentId: s2, kind: 'vocational-level-2', occupation: '数控车工', level: '二级/技师', number: 'Y00044010099', issuer: '广东省职业技能鉴定指导中心', issuedOn: today() });
    expect(dup.status).toBe(409);
    const noReason = await t.http().post(`/api/v1/certificates/${created.body.id}/reject`).set(bearer(staff)).send({ version: 1 });
    expect(noReason.status).toBe(400);
    await t.http().post(`/api/v1/certificates/${created.body.id}/verify`).set(bearer(staff)).send({ version: 1 }).expect(200);
    expect((await outcome(s2)).verified_national_certificate).toBe(true);
    const again = await t.http().post(`/api/v1/certificates/${created.body.id}/reject`).set(bearer(staff)).send({ version: 2, reason: '查无此证' });
    expect(again.status).toBe(409);

    const industry = await certificateRow(f, college, w.studentId, { kind: 'industry-technician' });
    expect((await outcome(w.studentId)).verified_industry_certificate).toBe(false);
    const rejected = await t.http().post(`/api/v1/certificates/${industry}/reject`).set(bearer(staff)).send({ version: 1, reason: '证书编号查无记录' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '证书编号查无记录' });
    expect((await outcome(w.studentId)).verified_industry_certificate).toBe(false);
    // an enterprise mentor has no access to certificates
    expect((await get(mentor1, '/certificates')).status).toBe(403);
  });

  it('R-EVA-3: certificates import with dry run reports every bad row and writes nothing; a good file imports unverified certificates', async () => {
    const studentIdNumber = '440106200503180012';
    const hashRow = await inTenant(f, college, async () => (await f.query(`SELECT name FROM students WHERE tenant_id = $1 AND id = $2`, [college, s2])).rows[0]);
    // give s2 a known ID number through the app's blind index (PiiCipher) so the file can name her
    const { PiiCipher } = await import('../../modules/students');
    const cipher = t.app.get(PiiCipher);
    await inTenant(f, college, () => f.query(`UPDATE students SET id_number_hash = $3 WHERE tenant_id = $1 AND id = $2`, [college, s2, cipher.idNumberHash(studentIdNumber)]));
    const file = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('证书');
      ws.addRow(['身份证号*', '姓名*', '证书类别*', '职业工种*', '等级*', '证书编号*', '发证机构*', '发证日期*']);
      rows.forEach((r) => ws.addRow(r));
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const good = [studentIdNumber, hashRow.name, '企业认可技师级证书', '数控加工', '技师级', 'QY-JS-0001', '考核测试精工数控有限公司', today()];
    const badFile = await file([good, ['440106200503189999', '某某', '技师证', '', '技师级', 'X1', '某机构', addDays(today(), 1)]]);
    const dry = await t.http().post('/api/v1/certificates/import').query({ dryRun: 'true' }).set(bearer(staff)).attach('file', badFile, '证书.xlsx').expect(200);
    expect(dry.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['3:证书类别', '3:职业工种', '3:发证日期']);
    expect(dry.body.created).toBe(1);
    const real = await t.http().post('/api/v1/certificates/import').set(bearer(staff)).attach('file', badFile, '证书.xlsx');
    expect(real.status).toBe(422);
    const before = await get(staff, `/certificates?studentId=${s2}`).expect(200);
    expect(before.body.items.some((c: { number: string }) => c.number === 'QY-JS-0001')).toBe(false);
    const ok = await t.http().post('/api/v1/certificates/import').set(bearer(staff)).attach('file', await file([good]), '证书.xlsx').expect(okWithProblem);
    expect(ok.body).toMatchObject({ created: 1, unchanged: 0, errors: [] });
    const twice = await t.http().post('/api/v1/certificates/import').set(bearer(staff)).attach('file', await file([good]), '证书.xlsx').expect(200);
    expect(twice.body).toMatchObject({ created: 0, unchanged: 1 });
    const list = await get(staff, `/certificates?studentId=${s2}`).expect(200);
    expect(list.body.items.find((c: { number: string }) => c.number === 'QY-JS-0001')).toMatchObject({ status: 'unverified', kind: 'enterprise-technician', route: '②' });
  });

  it('R-EVA-3: the outcome view — all courses passed and every practice stage met on current submitted results; a draft or a failed item does not count; terminal judgement from the current version', async () => {
    const x = await assessmentWorld(f, college, e1);
    const items = ['course:0:0', 'course:0:1', 'course:1:0', 'course:1:1'];
    const enter = async (itemKey: string, values: Record<string, unknown>, submit = true) => {
      const id = await sheetRow(f, x, itemKey);
      await inTenant(f, college, () =>
        f.query(
          `INSERT INTO assessment_results (tenant_id, sheet_id, cohort_id, kind, student_id, status, score, passed, judged_technician, assessed_on, assessor, entered_side, submitted_at)
           SELECT $1, sh.id, sh.cohort_id, sh.kind, $3, $4, $5, $6, $7, $8, '考评组', 'college', $9 FROM assessment_sheets sh WHERE sh.tenant_id = $1 AND sh.id = $2`,
          [college, id, x.studentId, submit ? 'submitted' : 'draft', values.score ?? null, values.passed, values.judged ?? null, today(), submit ? new Date() : null],
        ),
      );
    };
    const missing = async () => {
      const { AssessmentsService } = await import('../../modules/assessments');
      const { TenantContext } = await import('../../src/tenancy/tenant-context');
      const svc = t.app.get(AssessmentsService);
      return (await t.app.get(TenantContext).runAsTenant(college, () => svc.missingItems([x.studentId]))).get(x.studentId)!.map((i) => i.itemKey);
    };
    expect(await missing()).toEqual([...items, 'practice:0', 'practice:1']);
    for (const k of items.slice(0, 3)) await enter(k, { score: 80, passed: true });
    await enter('course:1:1', { score: 90, passed: true }, false);
    let o = await outcome(x.studentId);
    expect(o).toMatchObject({ cohort_id: x.cohortId, course_items: 4, course_items_passed: 3, all_courses_passed: false, practice_met: false, terminal_technician: false });
    await inTenant(f, college, () => f.query(`UPDATE assessment_results SET status = 'submitted', submitted_at = now() WHERE tenant_id = $1 AND student_id = $2 AND status = 'draft'`, [college, x.studentId]));
    await enter('practice:0', { passed: true });
    o = await outcome(x.studentId);
    expect(o).toMatchObject({ course_items_passed: 4, all_courses_passed: true, practice_items: 2, practice_met: false });
    await enter('practice:1', { passed: true });
    await enter('terminal:1', { score: 72, passed: true, judged: true });
    o = await outcome(x.studentId);
    expect(o).toMatchObject({ practice_met: true, terminal_technician: true, verified_national_certificate: false });
    expect(await missing()).toEqual([]);
  });
});
