import PDFDocument from 'pdfkit';

/**
 * Noto Sans SC from npm (OFL): a full TrueType font, so a clean checkout renders Chinese.
 * pdfkit (through fontkit) embeds only the glyphs a document uses, so a report stays small.
 */
const FONT_REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

export interface TableColumn {
  header: string;
  /** share of the usable width; the shares of a table need not add up to 1 (they are normalised) */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface ChartBar {
  label: string;
  /** 0…1; null is "no data" */
  value: number | null;
  /** 0…1; null: the KPI is only shown, it has no target */
  target: number | null;
  met: boolean | null;
}

const COLOURS = { text: '#1f2933', muted: '#616e7c', rule: '#9aa5b1', headerFill: '#e4ecf7', zebra: '#f7f9fc', met: '#2f855a', notMet: '#c53030', neutral: '#3b6fb6', target: '#d69e2e' };
const CELL_PAD = 4;
const FONT_SIZE = 9;

/**
 * A report document: A4, Chinese text throughout, tables that break across pages with their
 * header repeated and every cell wrapped (a long name grows its row, never its column), bar
 * charts of KPIs against their targets, and "page x of y" footers.
 */
export class ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly left: number;
  private readonly width: number;

  constructor(title: string, private readonly footer: string) {
    this.doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 60, left: 50, right: 50 }, bufferPages: true, info: { Title: title, Author: '广东省学制技师培养管理平台' } });
    this.doc.registerFont('cjk', FONT_REGULAR);
    this.doc.registerFont('cjk-bold', FONT_BOLD);
    this.doc.font('cjk').fontSize(FONT_SIZE).fillColor(COLOURS.text);
    this.left = this.doc.page.margins.left;
    this.width = this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string, subtitle?: string): this {
    this.doc.font('cjk-bold').fontSize(18).fillColor(COLOURS.text).text(text, this.left, this.doc.y, { width: this.width, align: 'center' });
    if (subtitle) this.doc.moveDown(0.3).font('cjk').fontSize(10).fillColor(COLOURS.muted).text(subtitle, { width: this.width, align: 'center' });
    this.doc.moveDown(1).font('cjk').fontSize(FONT_SIZE).fillColor(COLOURS.text);
    return this;
  }

  heading(text: string): this {
    // a heading stays with what follows it: room for itself, a table header and a couple of rows
    this.ensureSpace(120);
    this.doc.moveDown(0.6).font('cjk-bold').fontSize(12).fillColor(COLOURS.text).text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3).font('cjk').fontSize(FONT_SIZE);
    return this;
  }

  paragraph(text: string, options: { muted?: boolean } = {}): this {
    this.doc.font('cjk').fontSize(FONT_SIZE + 1).fillColor(options.muted ? COLOURS.muted : COLOURS.text).text(text, this.left, this.doc.y, { width: this.width, lineGap: 2 });
    this.doc.moveDown(0.3).fillColor(COLOURS.text).fontSize(FONT_SIZE);
    return this;
  }

  /** Label–value pairs in two columns (basic facts of a programme). */
  facts(pairs: [string, string][]): this {
    return this.table([{ header: '项目', width: 0.28 }, { header: '内容', width: 0.72 }], pairs, { header: false });
  }

  table(columns: TableColumn[], rows: string[][], options: { header?: boolean; empty?: string } = {}): this {
    const showHeader = options.header ?? true;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const doc = this.doc;
    const heightOf = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(FONT_SIZE);
      return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * CELL_PAD }))) + 2 * CELL_PAD;
    };
    const drawRow = (cells: string[], y: number, height: number, kind: 'header' | 'body', zebra: boolean) => {
      let x = this.left;
      if (kind === 'header' || zebra) doc.save().rect(this.left, y, this.width, height).fill(kind === 'header' ? COLOURS.headerFill : COLOURS.zebra).restore();
      doc.font(kind === 'header' ? 'cjk-bold' : 'cjk').fontSize(FONT_SIZE).fillColor(COLOURS.text);
      cells.forEach((cell, i) => {
        doc.text(cell, x + CELL_PAD, y + CELL_PAD, { width: widths[i] - 2 * CELL_PAD, align: kind === 'header' ? 'left' : (columns[i].align ?? 'left') });
        x += widths[i];
      });
      doc.save().lineWidth(0.5).strokeColor(COLOURS.rule);
      doc.rect(this.left, y, this.width, height).stroke();
      x = this.left;
      for (const w of widths.slice(0, -1)) {
        x += w;
        doc.moveTo(x, y).lineTo(x, y + height).stroke();
      }
      doc.restore();
    };
    const headers = columns.map((c) => c.header);
    const headerHeight = showHeader ? heightOf(headers, true) : 0;
    const header = () => {
      if (!showHeader) return;
      const y = doc.y;
      drawRow(headers, y, headerHeight, 'header', false);
      doc.y = y + headerHeight; // text() moved y to its last line; the row's height decides
    };
    const body = rows.length ? rows : [[options.empty ?? '（无）', ...columns.slice(1).map(() => '')]];
    this.ensureSpace(headerHeight + heightOf(body[0], false));
    header();
    body.forEach((cells, index) => {
      const h = heightOf(cells, false);
      if (doc.y + h > this.bottom) {
        doc.addPage();
        header(); // repeated on every page the table runs onto
      }
      const y = doc.y;
      drawRow(cells, y, h, 'body', index % 2 === 1);
      doc.y = y + h;
    });
    doc.x = this.left;
    doc.moveDown(0.8);
    return this;
  }

  /** Horizontal bars, one per KPI: its value against a 0–100 % axis, the target as a marker. */
  barChart(title: string, bars: ChartBar[]): this {
    const doc = this.doc;
    const labelWidth = this.width * 0.3;
    const valueWidth = 60;
    const axisLeft = this.left + labelWidth + 8;
    const axisWidth = this.width - labelWidth - 8 - valueWidth;
    const barHeight = 14;
    const rowGap = 12;
    const height = 24 + bars.length * (barHeight + rowGap) + 30;
    this.ensureSpace(height);
    doc.font('cjk-bold').fontSize(10).fillColor(COLOURS.text).text(title, this.left, doc.y, { width: this.width });
    const top = doc.y + 8;
    // gridlines at 0, 20 … 100 %
    doc.save().lineWidth(0.4).strokeColor('#d9e2ec');
    for (let p = 0; p <= 100; p += 20) {
      const x = axisLeft + (axisWidth * p) / 100;
      doc.moveTo(x, top).lineTo(x, top + bars.length * (barHeight + rowGap)).stroke();
      doc.font('cjk').fontSize(7).fillColor(COLOURS.muted).text(`${p}%`, x - 12, top + bars.length * (barHeight + rowGap) + 2, { width: 24, align: 'center' });
    }
    doc.restore();
    bars.forEach((bar, i) => {
      const y = top + i * (barHeight + rowGap) + rowGap / 2;
      doc.font('cjk').fontSize(8).fillColor(COLOURS.text).text(bar.label, this.left, y + 1, { width: labelWidth, align: 'right', height: barHeight + rowGap - 2, ellipsis: true });
      if (bar.value === null) {
        doc.fontSize(8).fillColor(COLOURS.muted).text('无数据', axisLeft + 4, y + 2, { width: axisWidth });
      } else {
        const w = Math.max(1, axisWidth * Math.min(1, Math.max(0, bar.value)));
        const colour = bar.met === null ? COLOURS.neutral : bar.met ? COLOURS.met : COLOURS.notMet;
        doc.save().rect(axisLeft, y, w, barHeight).fill(colour).restore();
        doc.font('cjk').fontSize(8).fillColor(COLOURS.text).text(percent(bar.value), axisLeft + axisWidth + 4, y + 2, { width: valueWidth - 4 });
      }
      if (bar.target !== null) {
        const x = axisLeft + axisWidth * bar.target;
        doc.save().lineWidth(1.5).strokeColor(COLOURS.target).moveTo(x, y - 3).lineTo(x, y + barHeight + 3).stroke().restore();
      }
    });
    const legendY = top + bars.length * (barHeight + rowGap) + 14;
    const legend: [string, string][] = [[COLOURS.met, '达标'], [COLOURS.notMet, '未达标'], [COLOURS.neutral, '仅展示（无目标）'], [COLOURS.target, '目标值']];
    let x = axisLeft;
    for (const [colour, text] of legend) {
      doc.save().rect(x, legendY + 2, 8, 8).fill(colour).restore();
      doc.font('cjk').fontSize(7.5).fillColor(COLOURS.muted).text(text, x + 11, legendY + 1, { lineBreak: false });
      x += 11 + doc.widthOfString(text) + 14;
    }
    doc.fillColor(COLOURS.text);
    doc.x = this.left;
    doc.y = legendY + 18;
    return this;
  }

  /** Page footers, then the bytes. */
  async toBuffer(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const y = this.doc.page.height - this.doc.page.margins.bottom + 20;
      const bottomMargin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0; // writing inside the margin must not open a new page
      this.doc.font('cjk').fontSize(8).fillColor(COLOURS.muted).text(`${this.footer}    第 ${i + 1} 页 / 共 ${range.count} 页`, this.left, y, { width: this.width, align: 'center', lineBreak: false });
      this.doc.page.margins.bottom = bottomMargin;
    }
    this.doc.end();
    return done;
  }
}

export function percent(ratio: number | null): string {
  return ratio === null ? '无数据' : `${(ratio * 100).toFixed(1)}%`;
}
