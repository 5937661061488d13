import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { makeResidentId } from '../domain/resident-id';
import { COLUMN_HEADERS, ENTRY_LEVEL_NAMES, StudentInput } from '../domain/student-input';
import { assertZipWithin, ZipGuardError } from './zip-guard';

export type RosterFormat = 'xlsx' | 'csv';

/** One data row: its number in the sheet (the header is row 1) and the typed values. */
export interface RosterRow {
  row: number;
  values: StudentInput;
  /** cells Excel stored as numbers where text is needed (an 18-digit ID loses digits as a number) */
  numericId?: boolean;
}

export class RosterFileError extends Error {
  constructor(
    readonly kind: 'unreadable' | 'headers' | 'too-many-rows' | 'too-large',
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Caps applied while the file is read (issue 8 item 10): the read stops as soon as one is passed. */
export interface RosterLimits {
  maxRows: number;
  /** what an .xlsx may unpack to, in bytes */
  maxInflatedBytes: number;
}

const tooManyRows = (max: number) => new RosterFileError('too-many-rows', String(max));

const KEYS = Object.keys(COLUMN_HEADERS) as (keyof StudentInput)[];
const REQUIRED: (keyof StudentInput)[] = ['name', 'idNumber', 'entryLevel'];

export function formatOf(filename: string, head: Buffer): RosterFormat | null {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (/\.csv$/i.test(filename)) return 'csv';
  return null;
}

function headerIndex(headers: string[]): Map<keyof StudentInput, number> {
  const index = new Map<keyof StudentInput, number>();
  headers.forEach((h, i) => {
    const clean = h.replace(/[*＊\s]/g, '').replace(/（.*）|\(.*\)/g, '');
    const key = KEYS.find((k) => COLUMN_HEADERS[k] === clean);
    if (key && !index.has(key)) index.set(key, i);
  });
  const missing = REQUIRED.filter((k) => !index.has(k)).map((k) => COLUMN_HEADERS[k]);
  if (missing.length) throw new RosterFileError('headers', missing.join('、'));
  return index;
}

export function cellText(value: ExcelJS.CellValue): { text: string; numeric: boolean } {
  if (value === null || value === undefined) return { text: '', numeric: false };
  if (typeof value === 'number') return { text: String(value), numeric: true };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), numeric: false };
  if (typeof value === 'object') {
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join(''), numeric: false };
    if ('text' in value) return { text: String(value.text), numeric: false };
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return { text: String(value), numeric: false };
}

/**
 * Reads the first worksheet of an .xlsx (streaming reader: a 10,000-row file stays small in
 * memory). The archive is checked first, so nothing inflates past `maxInflatedBytes`, and the
 * read stops at the first row beyond `maxRows`.
 */
export async function readXlsx(buffer: Buffer, limits: RosterLimits): Promise<RosterRow[]> {
  const out: RosterRow[] = [];
  let index: Map<keyof StudentInput, number> | undefined;
  try {
    await assertZipWithin(buffer, limits.maxInflatedBytes);
  } catch (e) {
    if (e instanceof ZipGuardError) throw new RosterFileError(e.kind === 'too-large' ? 'too-large' : 'unreadable', e.kind === 'too-large' ? String(limits.maxInflatedBytes) : e.message.slice(0, 200));
    throw e;
  }
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
    // exceljs names a worksheet from the workbook model; when the zip lists a sheet before
    // xl/workbook.xml (exceljs's own writer sometimes does) the model is not there yet and it throws
    withEmptyWorkbookModel(reader);
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!index) {
          index = headerIndex(cells.map((c) => c.text));
          continue;
        }
        if (cells.every((c) => !c.text.trim())) continue;
        const values: StudentInput = {};
        let numericId = false;
        for (const [key, i] of index) {
          values[key] = cells[i]?.text ?? '';
          if (key === 'idNumber' && cells[i]?.numeric) numericId = true;
        }
        if (out.length >= limits.maxRows) throw tooManyRows(limits.maxRows);
        out.push({ row: row.number, values, numericId });
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof RosterFileError) throw e;
    throw new RosterFileError('unreadable', (e as Error).message.slice(0, 200));
  }
  if (!index) throw new RosterFileError('headers', REQUIRED.map((k) => COLUMN_HEADERS[k]).join('、'));
  return out;
}

/** UTF-8 (with or without BOM), or GB18030 as Excel for Chinese Windows saves CSV. */
function decode(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

/**
 * RFC 4180 CSV read by `csv-parse` (issue 10): quoted fields, doubled quotes, CRLF, LF or CR
 * (mixed), ragged rows. Parsing stops after the first record beyond `maxRows` data rows
 * (`to`), so an oversized file is never parsed whole; an unclosed quote is unreadable (4xx).
 * NUL characters are kept in the cells and refused per cell by the row validation.
 */
export function readCsv(buffer: Buffer, limits: Pick<RosterLimits, 'maxRows'>): RosterRow[] {
  const text = decode(buffer);
  let records: string[][];
  try {
    records = parseCsv(text, {
      relax_column_count: true,
      relax_quotes: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      skip_empty_lines: false,
      to: limits.maxRows + 2, // the header, maxRows data rows, and one more to know the cap is passed
    }) as string[][];
  } catch (e) {
    throw new RosterFileError('unreadable', (e as Error).message.slice(0, 200));
  }
  if (records.length > limits.maxRows + 1) throw tooManyRows(limits.maxRows); // + the header (blank lines count too)
  if (!records.length) throw new RosterFileError('headers', REQUIRED.map((k) => COLUMN_HEADERS[k]).join('、'));
  const index = headerIndex(records[0]);
  const out: RosterRow[] = [];
  records.slice(1).forEach((cells, i) => {
    if (cells.every((c) => !c.trim())) return;
    const values: StudentInput = {};
    for (const [key, col] of index) values[key] = (cells[col] ?? '').replace(/^'/, '');
    out.push({ row: i + 2, values });
  });
  if (out.length > limits.maxRows) throw tooManyRows(limits.maxRows);
  return out;
}

export async function readRoster(format: RosterFormat, buffer: Buffer, limits: RosterLimits): Promise<RosterRow[]> {
  return format === 'xlsx' ? readXlsx(buffer, limits) : readCsv(buffer, limits);
}

const TEMPLATE_COLUMNS: { key: keyof StudentInput; header: string; width: number; note: string }[] = [
  { key: 'name', header: '姓名*', width: 14, note: '必填' },
  { key: 'gender', header: '性别', width: 8, note: '男/女，可不填（按身份证号）' },
  { key: 'dateOfBirth', header: '出生日期', width: 14, note: 'YYYY-MM-DD，可不填（按身份证号）' },
  { key: 'idNumber', header: '身份证号*', width: 22, note: '18 位，文本格式，末位可为 X' },
  { key: 'mobile', header: '手机号', width: 14, note: '11 位大陆手机号' },
  { key: 'entryLevel', header: '入学起点*', width: 14, note: '初中/高中/中技/中职/高技/高职/本科/研究生，须与班级学制一致' },
];

/** The downloadable Chinese template: header row, the ID column formatted as text, a level list and an instructions sheet. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jishi 学制技师培养管理';
  const ws = wb.addWorksheet('学生名单');
  ws.columns = TEMPLATE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.key === 'idNumber' || c.key === 'mobile' ? { numFmt: '@' } : {} }));
  ws.getRow(1).font = { bold: true };
  ws.addRow({ name: '陈嘉豪（示例，导入前请删除）', gender: '男', dateOfBirth: '2008-05-17', idNumber: makeResidentId('440106', '2008-05-17', 231), mobile: '13912345678', entryLevel: '高中' });
  const levels = Object.values(ENTRY_LEVEL_NAMES).map((l) => l.zh.split('/')[0]);
  for (let r = 2; r <= 2001; r++) {
    ws.getCell(`F${r}`).dataValidation = { type: 'list', allowBlank: false, formulae: [`"${levels.join(',')}"`] };
    ws.getCell(`B${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"男,女"'] };
  }
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 14 }, { header: '说明', width: 70 }];
  for (const c of TEMPLATE_COLUMNS) help.addRow([c.header, c.note]);
  help.addRow(['', '带 * 的列必填；同一文件重复导入不会重复登记（按身份证号识别）；任何一行有误则整份文件不写入。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Gives a streaming reader an empty workbook model until xl/workbook.xml is read (see the callers). */
export function withEmptyWorkbookModel(reader: object): void {
  const r = reader as { model?: { sheets?: unknown[] } };
  r.model ??= { sheets: [] };
}
