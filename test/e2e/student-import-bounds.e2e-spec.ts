import ExcelJS from 'exceljs';
import { constants, deflateRawSync } from 'node:zlib';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { cohortRow, freshIdNumber, rosterCsv } from './matrix/cohorts.fixtures';
import { inTenant } from './matrix/programmes.fixtures';

interface ZipEntry {
  name: string;
  /** raw deflate data */
  data: Buffer;
  /** the unpacked size the archive claims */
  declaredSize: number;
}

/** A minimal zip writer (deflate entries, CRC left 0: the guard refuses before any CRC matters). */
function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const deflated = (text: string) => deflateRawSync(Buffer.from(text, 'utf8'));

/**
 * An .xlsx whose worksheet inflates to `inflatedBytes` of identical rows while the file stays
 * a few MB: one 1 MiB block of rows compressed once with a full flush (which resets the
 * window, so the same input gives the same bytes) and repeated, then an empty final block.
 */
function zipBomb(inflatedBytes: number, declare: 'honest' | 'lying'): { file: Buffer; inflated: number } {
  const row = '<row><c t="inlineStr"><is><t>陈嘉豪</t></is></c><c t="inlineStr"><is><t>440106200805172317</t></is></c><c t="inlineStr"><is><t>高中</t></is></c></row>';
  const head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<row><c t="inlineStr"><is><t>姓名*</t></is></c><c t="inlineStr"><is><t>身份证号*</t></is></c><c t="inlineStr"><is><t>入学起点*</t></is></c></row>';
  const block = Buffer.from(row.repeat(Math.floor((1024 * 1024) / Buffer.byteLength(row))), 'utf8');
  const repeats = Math.ceil(inflatedBytes / block.length);
  const headData = deflateRawSync(Buffer.from(head), { finishFlush: constants.Z_FULL_FLUSH });
  const blockData = deflateRawSync(block, { finishFlush: constants.Z_FULL_FLUSH });
  const tailData = deflateRawSync(Buffer.from('</sheetData></worksheet>'));
  const sheet = Buffer.concat([headData, ...Array.from({ length: repeats }, () => blockData), tailData]);
  const inflated = Buffer.byteLength(head) + repeats * block.length + 24;
  const small = [
    { name: '[Content_Types].xml', text: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: '_rels/.rels', text: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>' },
    { name: 'xl/workbook.xml', text: '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="学生名单" sheetId="1"/></sheets></workbook>' },
  ].map((e) => ({ name: e.name, data: deflated(e.text), declaredSize: Buffer.byteLength(e.text) }));
  // the worksheet first: a streaming reader that meets it before the shared strings spools it to disk
  const file = zipOf([
    { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: declare === 'honest' ? Math.min(inflated, 0xfffffffe) : 4096 },
    ...small,
  ]);
  return { file, inflated };
}

/** Issue 8 item 10: roster imports are bounded in rows, unpacked bytes and reported errors. */
describe('student import bounds (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let college: string;
  let token: string;
  const MAX_ROWS = 30;
  const MAX_ERRORS = 5;
  const saved = { IMPORT_MAX_ROWS: process.env.IMPORT_MAX_ROWS, IMPORT_MAX_ERRORS: process.env.IMPORT_MAX_ERRORS };

  const upload = (cohortId: string, content: Buffer, filename: string, dryRun = true) =>
    t
      .http()
      .post(`/api/v1/cohorts/${cohortId}/students/import`)
      .query(dryRun ? { dryRun: 'true' } : {})
      .set(bearer(token))
      .attach('file', content, filename);
  const imports = async () => Number((await inTenant(f, college, () => f.query('SELECT count(*) AS n FROM student_imports'))).rows[0].n);
  const students = async (cohortId: string) =>
    Number((await inTenant(f, college, () => f.query('SELECT count(*) AS n FROM students WHERE cohort_id = $1', [cohortId]))).rows[0].n);

  beforeAll(async () => {
    Object.assign(process.env, { IMPORT_MAX_ROWS: String(MAX_ROWS), IMPORT_MAX_ERRORS: String(MAX_ERRORS) });
    try {
      t = await bootApp();
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    f = await IdentityFactory.open();
    college = await f.tenant({ name: '边界测试技师学院' });
    const m = await f.member('college-staff', { tenantId: college });
    token = (await login(t, m.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  for (const declare of ['honest', 'lying'] as const) {
    it(`a ${declare === 'honest' ? '' : 'lying '}zip bomb (a few MB inflating to 1.1 GB${declare === 'lying' ? ', declaring 4 KB' : ''}) is refused with 413 within seconds, without the memory it would take, and nothing is recorded`, async () => {
      const { cohortId } = await cohortRow(f, college);
      const { file, inflated } = zipBomb(1100 * 1024 * 1024, declare);
      expect(file.length).toBeLessThan(8 * 1024 * 1024);
      const before = { imports: await imports(), rss: process.memoryUsage().rss };
      const started = Date.now();
      const res = await upload(cohortId, file, 'bomb.xlsx');
      const ms = Date.now() - started;
      const rssGrowth = process.memoryUsage().rss - before.rss;
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('STUDENTS.IMPORT_TOO_LARGE');
      expect(res.body.title).toBe('导入文件解压后超过 64 MB 的上限，请拆分后分批导入');
      expect(ms).toBeLessThan(10_000);
      expect(rssGrowth).toBeLessThan(256 * 1024 * 1024);
      expect(await imports()).toBe(before.imports);
      console.log(`zip bomb (${declare}): ${(file.length / 1e6).toFixed(1)} MB → ${(inflated / 1e9).toFixed(2)} GB refused in ${ms} ms, RSS +${Math.round(rssGrowth / 1e6)} MB`);
    }, 60_000);
  }

  it(`a roster of exactly IMPORT_MAX_ROWS (${MAX_ROWS}) rows is read; one row more is refused with 413 STUDENTS.IMPORT_TOO_MANY_ROWS (CSV and XLSX), writing nothing`, async () => {
    const { cohortId } = await cohortRow(f, college);
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `学生${i}`, idNumber: freshIdNumber() }));
    const atCap = await upload(cohortId, rosterCsv(rows(MAX_ROWS)), 'ok.csv');
    expect(atCap.status).toBe(200);
    expect(atCap.body.totalRows).toBe(MAX_ROWS);

    const over = await upload(cohortId, rosterCsv(rows(MAX_ROWS + 1)), 'over.csv', false);
    expect(over.status).toBe(413);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.body.code).toBe('STUDENTS.IMPORT_TOO_MANY_ROWS');
    expect(over.body.title).toContain(String(MAX_ROWS));

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学生名单');
    ws.addRow(['姓名*', '身份证号*', '入学起点*']);
    for (const r of rows(MAX_ROWS + 1)) ws.addRow([r.name, r.idNumber, '高中']);
    const overXlsx = await upload(cohortId, Buffer.from(await wb.xlsx.writeBuffer()), 'over.xlsx', false);
    expect(overXlsx.status).toBe(413);
    expect(overXlsx.body.code).toBe('STUDENTS.IMPORT_TOO_MANY_ROWS');
    expect(await students(cohortId)).toBe(0);
  });

  it(`row errors are reported up to IMPORT_MAX_ERRORS (${MAX_ERRORS}) with the total in errorCount; a commit refuses with the full count`, async () => {
    const { cohortId } = await cohortRow(f, college);
    const bad = Array.from({ length: MAX_ERRORS + 3 }, (_, i) => ({ name: `学生${i}`, idNumber: '440106200805170000' }));
    const dry = await upload(cohortId, rosterCsv(bad), 'bad.csv');
    expect(dry.status).toBe(200);
    expect(dry.body.errorCount).toBe(MAX_ERRORS + 3);
    expect(dry.body.errors).toHaveLength(MAX_ERRORS);
    expect(dry.body.errors.map((e: { row: number }) => e.row)).toEqual([2, 3, 4, 5, 6]);

    const exact = await upload(cohortId, rosterCsv(bad.slice(0, MAX_ERRORS)), 'bad.csv');
    expect({ count: exact.body.errorCount, listed: exact.body.errors.length }).toEqual({ count: MAX_ERRORS, listed: MAX_ERRORS });

    const commit = await upload(cohortId, rosterCsv(bad), 'bad.csv', false);
    expect(commit.status).toBe(422);
    expect(commit.body.code).toBe('STUDENTS.IMPORT_INVALID');
    expect(commit.body.title).toContain(String(MAX_ERRORS + 3));
    expect(commit.body.errors).toHaveLength(MAX_ERRORS);
    expect(await students(cohortId)).toBe(0);
  });

  it('an upload over 10 MB is cut off by the upload limit with 413 problem+json', async () => {
    const { cohortId } = await cohortRow(f, college);
    const res = await upload(cohortId, Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 'huge.csv');
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
