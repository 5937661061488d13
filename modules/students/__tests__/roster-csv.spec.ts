import { readCsv, RosterFileError } from '../import/roster-file';

const header = '姓名,身份证号,入学起点';
const csv = (text: string) => Buffer.from(text, 'utf8');
const kindOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof RosterFileError ? e.kind : 'other';
  }
  return undefined;
};

describe('roster CSV (csv-parse)', () => {
  it('reads quoted fields with doubled quotes, commas and line breaks, mixed CRLF/LF line ends and a BOM', () => {
    const rows = readCsv(csv(`\uFEFF${header}\r\n"陈""嘉豪",A1,高中\n"李,娜",A2,"初\r\n中"\r\n`), { maxRows: 10 });
    expect(rows).toEqual([
      { row: 2, values: { name: '陈"嘉豪', idNumber: 'A1', entryLevel: '高中' } },
      { row: 3, values: { name: '李,娜', idNumber: 'A2', entryLevel: '初\r\n中' } },
    ]);
  });

  it('decodes GB18030 as saved by Excel for Chinese Windows', () => {
    const gb = Buffer.concat([Buffer.from('D0D5C3FB2CC9EDB7DDD6A4BAC52CC8EBD1A7C6F0B5E30D0A', 'hex'), Buffer.from('x,A1,'), Buffer.from('B8DFD6D0', 'hex')]);
    expect(readCsv(gb, { maxRows: 10 })).toEqual([{ row: 2, values: { name: 'x', idNumber: 'A1', entryLevel: '高中' } }]);
  });

  it('skips blank rows but keeps the sheet row numbers; strips the leading apostrophe Excel users type', () => {
    const rows = readCsv(csv(`${header}\n\n'张三,'A1,高中\n`), { maxRows: 10 });
    expect(rows).toEqual([{ row: 3, values: { name: '张三', idNumber: 'A1', entryLevel: '高中' } }]);
  });

  it('keeps a NUL character in the cell, for the row validation to refuse', () => {
    expect(readCsv(csv(`${header}\n陈\u0000嘉豪,A1,高中\n`), { maxRows: 10 })[0].values.name).toBe('陈\u0000嘉豪');
  });

  it('row cap: exactly maxRows data rows are read, one more is too-many-rows', () => {
    const body = (n: number) => `${header}\n` + Array.from({ length: n }, (_, i) => `n${i},A${i},高中`).join('\n');
    expect(readCsv(csv(body(5)), { maxRows: 5 })).toHaveLength(5);
    expect(kindOf(() => readCsv(csv(body(6)), { maxRows: 5 }))).toBe('too-many-rows');
  });

  it('an unclosed quote is unreadable, a missing required header is headers', () => {
    expect(kindOf(() => readCsv(csv(`${header}\n"陈嘉豪,A1,高中\n`), { maxRows: 5 }))).toBe('unreadable');
    expect(kindOf(() => readCsv(csv('姓名,入学起点\n陈嘉豪,高中\n'), { maxRows: 5 }))).toBe('headers');
  });
});
