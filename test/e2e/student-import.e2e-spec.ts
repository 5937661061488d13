import ExcelJS from 'exceljs';
import { StudentImportService } from '../../modules/students';
import { ImportsRepository } from '../../modules/students/import/imports.repository';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { cohortRow, freshIdNumber, rosterCsv, studentRow } from './matrix/cohorts.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学生名单');
  ws.addRow(['姓名*', '性别', '出生日期', '身份证号*', '手机号', '入学起点*']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('student import and export (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let token: string;
  let userId: string;

  const upload = (cohortId: string, content: Buffer, filename: string, dryRun?: boolean) =>
    t
      .http()
      .post(`/api/v1/cohorts/${cohortId}/students/import`)
      .query(dryRun ? { dryRun: 'true' } : {})
      .set(bearer(token))
      .attach('file', content, filename);
  const count = async (cohortId: string) =>
    Number((await inTenant(f, college, () => f.query(`SELECT count(*) AS n FROM students WHERE cohort_id = $1`, [cohortId]))).rows[0].n);

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '导入测试技师学院' });
    const m = await f.member('college-staff', { tenantId: college });
    userId = m.userId;
    token = (await login(t, m.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  it('the Chinese template downloads as an .xlsx with the expected headers', async () => {
    const res = await t.http().get('/api/v1/students/import-template.xlsx').set(bearer(token)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    expect((wb.getWorksheet('学生名单')!.getRow(1).values as string[]).slice(1)).toEqual(['姓名*', '性别', '出生日期', '身份证号*', '手机号', '入学起点*']);
    expect(wb.getWorksheet('填写说明')).toBeDefined();
  });

  it('a dry run reports every row error (row, column, Chinese message) and writes nothing', async () => {
    const { cohortId } = await cohortRow(f, college);
    const good = freshIdNumber();
    const wrongCheck = (() => {
      const id = freshIdNumber();
      return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    })();
    const file = await xlsxOf([
      ['陈嘉豪', '男', '', good, '13912345678', '高中'],
      ['', '', '', freshIdNumber(), '', '高中'],
      ['李娜', '', '', wrongCheck, '', '高中'],
      ['王强', '', '', freshIdNumber(), '12345', '初中'],
      ['赵敏', '', '', good, '', '高中'],
      ['周杰', '', '', 440106200801011234, '', '高中'],
    ]);
    const res = await upload(cohortId, file, '学生名单.xlsx', true).expect(200);
    expect(res.body).toMatchObject({ dryRun: true, totalRows: 6, created: 1, unchanged: 0 });
    expect(res.body.errors).toEqual([
      { row: 3, column: '姓名', message: '姓名不能为空' },
      { row: 4, column: '身份证号', message: '身份证号校验位不正确，请核对' },
      { row: 5, column: '手机号', message: '手机号应为 11 位大陆手机号码' },
      { row: 5, column: '入学起点', message: expect.stringContaining('R-TRK-3') },
      { row: 6, column: '身份证号', message: '与第 2 行身份证号重复' },
      { row: 7, column: '身份证号', message: expect.stringContaining('文本格式') },
    ]);
    expect(await count(cohortId)).toBe(0);
    // the commit of the same file is all-or-nothing: 422 with the rows, nothing written
    const commit = await upload(cohortId, file, '学生名单.xlsx').expect(422);
    expect(commit.body.code).toBe('STUDENTS.IMPORT_INVALID');
    expect(commit.body.errors).toHaveLength(6);
    expect(commit.body.errors[0]).toEqual({ field: 'rows[3].姓名', message: '第 3 行「姓名」：姓名不能为空' });
    expect(await count(cohortId)).toBe(0);
  });

  it('a commit is idempotent: the same file twice changes nothing the second time (keyed on the ID blind index)', async () => {
    const { cohortId } = await cohortRow(f, college);
    const rows = Array.from({ length: 25 }, (_, i) => ['学生' + i, '', '', freshIdNumber(i % 2 ? 'male' : 'female'), `1391234${String(i).padStart(4, '0')}`, '高中']);
    const file = await xlsxOf(rows);
    const first = await upload(cohortId, file, 'roster.xlsx').expect(200);
    expect(first.body).toMatchObject({ dryRun: false, created: 25, unchanged: 0, errors: [] });
    const before = await inTenant(f, college, () => f.query(`SELECT id, version, updated_at FROM students WHERE cohort_id = $1 ORDER BY id`, [cohortId]));
    const second = await upload(cohortId, file, 'roster.xlsx').expect(200);
    expect(second.body).toMatchObject({ created: 0, unchanged: 25, errors: [] });
    const after = await inTenant(f, college, () => f.query(`SELECT id, version, updated_at FROM students WHERE cohort_id = $1 ORDER BY id`, [cohortId]));
    expect(after.rows).toEqual(before.rows);
    // the same people in another cohort of the college are refused row by row
    const other = await cohortRow(f, college);
    const clash = await upload(other.cohortId, file, 'roster.xlsx', true).expect(200);
    expect(clash.body.errors).toHaveLength(25);
    expect(clash.body.errors[0].message).toContain('已在本校');
  });

  it('CSV (UTF-8 with BOM, or GB18030 as saved by Excel) imports the same way; the export is masked', async () => {
    const { cohortId } = await cohortRow(f, college);
    const ids = [freshIdNumber(), freshIdNumber()];
    const res = await upload(cohortId, rosterCsv([{ name: '陈嘉豪', idNumber: ids[0], mobile: '13900001111' }, { name: '李娜', idNumber: ids[1] }]), '名单.csv').expect(200);
    expect(res.body).toMatchObject({ created: 2, errors: [] });
    const gbk = Buffer.from([...Buffer.from('姓名,身份证号,入学起点\r\n'), ...Buffer.from(`x,${freshIdNumber()},高中\r\n`)].slice(0));
    const gbkRes = await upload(cohortId, gbk, 'gb.csv', true).expect(200);
    expect(gbkRes.body.created).toBe(1);
    const exported = await t
      .http()
      .get(`/api/v1/cohorts/${cohortId}/students/export.xlsx`)
      .set(bearer(token))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.body);
    const text = JSON.stringify(wb.getWorksheet(1)!.getSheetValues());
    expect(text).toContain('陈嘉豪');
    expect(text).toContain(`${ids[0].slice(0, 6)}**********${ids[0].slice(-2)}`);
    expect(text).not.toContain(ids[0]);
    expect(text).not.toContain('13900001111');
  });

  it('a file above 2,000 rows runs as an imports job with progress; the job commits all-or-nothing', async () => {
    const { cohortId } = await cohortRow(f, college);
    const rows = Array.from({ length: 2001 }, (_, i) => [`学生${i}`, '', '', freshIdNumber(), '', '高中']);
    const unique = new Map(rows.map((r) => [r[3], r]));
    const file = await xlsxOf([...unique.values()].length === rows.length ? rows : [...unique.values(), ...Array.from({ length: 2001 - unique.size }, (_, i) => [`补${i}`, '', '', freshIdNumber('female', '440305'), '', '高中'])]);
    const queued = await upload(cohortId, file, 'big.xlsx').expect(202);
    expect(queued.body).toMatchObject({ status: 'queued', totalRows: 2001, processedRows: 0 });
    const outbox = await f.query(`SELECT job_name, payload FROM outbox WHERE job_id = $1`, [`student-import-${queued.body.importId}`]);
    expect(outbox.rows[0]).toMatchObject({ job_name: 'imports.process', payload: { tenantId: college, importId: queued.body.importId } });
    // the job, as the worker runs it
    const ran = await t.app.get(TenantContext).runAsTenant(college, () => t.app.get(StudentImportService).process(queued.body.importId));
    expect(ran).toMatchObject({ errors: [] });
    const done = await t.http().get(`/api/v1/imports/${queued.body.importId}`).set(bearer(token)).expect(200);
    expect(done.body).toMatchObject({ status: 'succeeded', processedRows: 2001, errors: [] });
    expect(done.body.created + done.body.unchanged).toBe(2001);
    expect(await count(cohortId)).toBe(done.body.created);
    const cleared = await inTenant(f, college, () => f.query(`SELECT file IS NULL AS cleared FROM student_imports WHERE id = $1`, [queued.body.importId]));
    expect(cleared.rows[0].cleared).toBe(true);
    expect(userId).toBeDefined();
  });

  it('an import job reports its progress while it runs; one bad row fails the whole job and writes nothing', async () => {
    // a college of its own: random ID numbers cannot collide with the other tests' students
    const own = await f.tenant({ name: '导入任务测试学院' });
    const ownToken = (await login(t, (await f.member('college-staff', { tenantId: own })).email, TEST_PASSWORD)).accessToken;
    const { cohortId } = await cohortRow(f, own);
    const ids = new Set<string>();
    while (ids.size < 2100) ids.add(freshIdNumber());
    const rows = [...ids].map((id, i) => [`学生${i}`, '', '', id, '', '高中']);
    rows[2050][0] = ''; // sheet row 2052: no name
    const queued = await t.http().post(`/api/v1/cohorts/${cohortId}/students/import`).set(bearer(ownToken)).attach('file', await xlsxOf(rows), 'big-bad.xlsx').expect(202);
    expect(queued.body).toMatchObject({ status: 'queued', totalRows: 2100, processedRows: 0 });
    // QUALITY §4: the waiting file holds ID numbers, so it is stored encrypted
    const waiting = await inTenant(f, own, () => f.query(`SELECT file FROM student_imports WHERE id = $1`, [queued.body.importId]));
    expect(waiting.rows[0].file.toString('latin1')).not.toContain(rows[0][3]);
    expect(waiting.rows[0].file.subarray(0, 2).toString('latin1')).not.toBe('PK');
    const progress = jest.spyOn(t.app.get(ImportsRepository, { strict: false }), 'progress');
    try {
      const ran = await t.app.get(TenantContext).runAsTenant(own, () => t.app.get(StudentImportService).process(queued.body.importId));
      expect(ran).toBeNull();
      expect(progress.mock.calls.map((c) => c[1])).toEqual([1000, 2000]);
    } finally {
      progress.mockRestore();
    }
    const failed = await t.http().get(`/api/v1/imports/${queued.body.importId}`).set(bearer(ownToken)).expect(200);
    expect(failed.body).toMatchObject({ status: 'failed', created: 0, errors: [{ row: 2052, column: '姓名', message: '姓名不能为空' }] });
    const written = await inTenant(f, own, () => f.query(`SELECT count(*)::int AS n FROM students WHERE cohort_id = $1`, [cohortId]));
    expect(written.rows[0].n).toBe(0);
  });

  it('an existing student of the cohort counts as unchanged', async () => {
    const { cohortId } = await cohortRow(f, college);
    const s = await studentRow(f, college, cohortId);
    const res = await upload(cohortId, rosterCsv([{ name: '已有', idNumber: s.idNumber }]), 'a.csv').expect(200);
    expect(res.body).toMatchObject({ created: 0, unchanged: 1 });
  });
});
