import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { cellText, RosterFileError, withEmptyWorkbookModel } from './roster-file';

/** One data row of a generic table upload: its number in the sheet (the header is row 1) and its cells as text. */
export interface TableRow {
  row: number;
  cells: string[];
}

/**
 * Reads the first worksheet of an .xlsx as header + text rows, with the roster reader's
 * cell handling (rich text, formulas, dates as YYYY-MM-DD). Other modules' Excel uploads
 * (assessment sheets, certificates) use it through the students index.
 */
export async function readXlsxTable(buffer: Buffer): Promise<{ headers: string[]; rows: TableRow[] }> {
  let headers: string[] | undefined;
  const rows: TableRow[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
    // exceljs names a worksheet from the workbook model; when the zip lists a sheet before
    // xl/workbook.xml (exceljs's own writer sometimes does) the model is not there yet and it throws
    withEmptyWorkbookModel(reader);
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v).text.trim());
        if (!headers) {
          headers = cells.map((h) => h.replace(/[*＊\s]/g, '').replace(/（.*）|\(.*\)/g, ''));
          continue;
        }
        if (cells.every((c) => !c)) continue;
        rows.push({ row: row.number, cells });
      }
      break; // the first worksheet only
    }
  } catch (e) {
    throw new RosterFileError('unreadable', (e as Error).message.slice(0, 200));
  }
  if (!headers) throw new RosterFileError('headers', '');
  return { headers, rows };
}

/** Column index by header name (headers compared without '*', spaces and bracketed notes); missing required ones throw. */
export function columnIndex<K extends string>(headers: string[], names: Record<K, string>, required: K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) out[key] = headers.indexOf(names[key]);
  const missing = required.filter((k) => out[k] < 0).map((k) => names[k]);
  if (missing.length) throw new RosterFileError('headers', missing.join('、'));
  return out;
}
