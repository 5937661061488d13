import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readXlsxTable } from '../import/table-file';

/**
 * exceljs's streaming reader names a worksheet from the workbook model; a zip that lists a
 * worksheet after the shared strings but before xl/workbook.xml (exceljs's own writer does so
 * now and then: ~2 in 300 templates) made it throw "reading 'sheets'", and a valid upload
 * answered 422 IMPORT_UNREADABLE.
 */
describe('xlsx uploads whatever the order of the zip entries', () => {
  async function reordered(first: string[], last: string[]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成绩');
    ws.addRow(['学生编号', '姓名', '成绩', '考核日期', '考核人']);
    ws.addRow(['S-1', '张三', 80, '2026-11-01', '李四']);
    const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const middle = names.filter((n) => !first.includes(n) && !last.includes(n));
    const out = new JSZip();
    for (const name of [...first, ...middle, ...last]) out.file(name, await zip.files[name].async('nodebuffer'));
    return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  it('reads a sheet listed after the shared strings and before xl/workbook.xml', async () => {
    const file = await reordered(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'], ['xl/workbook.xml']);
    const table = await readXlsxTable(file);
    expect(table.headers).toEqual(['学生编号', '姓名', '成绩', '考核日期', '考核人']);
    expect(table.rows.map((r) => r.cells)).toEqual([['S-1', '张三', '80', '2026-11-01', '李四']]);
  });

  it('reads the order exceljs writes most of the time (workbook.xml last, sheets before shared strings)', async () => {
    const file = await reordered(['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml'], ['xl/workbook.xml']);
    expect((await readXlsxTable(file)).rows).toHaveLength(1);
  });
});
