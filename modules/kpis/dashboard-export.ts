import ExcelJS from 'exceljs';
import { KPI_KEYS, KPI_DEFINITIONS } from './domain/kpi';
import type { CollegeDashboardView, KpiSetView, ProvinceDashboardView } from './dto/kpi.dto';

const RAG_ZH: Record<string, string> = { green: '绿（达标）', amber: '黄（接近）', red: '红（未达标）', 'no-data': '无数据', shown: '—' };

function kpiHeaders(): string[] {
  return KPI_KEYS.flatMap((k) => {
    const n = KPI_DEFINITIONS[k].nameZh;
    return [`${n}·分子`, `${n}·分母`, `${n}·比率`, `${n}·目标`, `${n}·达标`, `${n}·红黄绿`];
  });
}

function kpiCells(set: KpiSetView): (string | number | null)[] {
  return set.kpis.flatMap((k) => [
    k.numerator,
    k.denominator,
    k.ratio === null ? '无数据' : k.ratio,
    k.target === null ? '—' : `${k.comparison === 'more-than' ? '>' : '≥'}${Math.round(k.target * 100)}%`,
    k.met === null ? (k.denominator === 0 ? '无数据' : '—') : k.met ? '是' : '否',
    RAG_ZH[k.rag] ?? k.rag,
  ]);
}

function sheet(book: ExcelJS.Workbook, name: string, leading: string[], rows: (string | number | null)[][], asOf: string) {
  const ws = book.addWorksheet(name);
  ws.addRow([`计算时间：${asOf}`]);
  const header = ws.addRow([...leading, '学生数', '毕业生', '分流/退学', '就业毕业生', ...kpiHeaders()]);
  header.font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c, i) => (c.width = i < leading.length ? 24 : 14));
}

const counts = (s: KpiSetView) => [s.counts.students, s.counts.graduates, s.counts.left, s.counts.employed];

/** College dashboard as XLSX: one sheet per level (学院 / 专业 / 班级), Chinese headers. */
export async function collegeWorkbook(d: CollegeDashboardView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  sheet(book, '学院', ['院校'], [[d.college.name, ...counts(d.college), ...kpiCells(d.college)]], d.asOf);
  sheet(
    book,
    '专业',
    ['专业', '试点状态', '团队合规（R-EVA-2）'],
    d.programmes.map((p) => [p.name, p.pilotStatus, p.team.compliant ? '是' : '否', ...counts(p), ...kpiCells(p)]),
    d.asOf,
  );
  sheet(
    book,
    '班级',
    ['班级', '入学年度', '班级状态'],
    d.cohorts.map((c) => [c.name, c.intakeYear, c.status, ...counts(c), ...kpiCells(c)]),
    d.asOf,
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Province dashboard as XLSX: 全省 and 院校 sheets, Chinese headers. */
export async function provinceWorkbook(d: ProvinceDashboardView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  sheet(book, '全省', ['范围'], [[d.province.name, ...counts(d.province), ...kpiCells(d.province)]], d.asOf);
  sheet(
    book,
    '院校',
    ['院校', '层次', '城市', '试点专业（按状态）'],
    d.colleges.map((c) => [c.name, c.tier, c.city, c.pilots.map((p) => `${p.status}:${p.count}`).join('，'), ...counts(c), ...kpiCells(c)]),
    d.asOf,
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}
