import { KPI_KEYS, KpiValue } from '../../kpis';
import { KpiLine, KpiReportData, LEVEL_NAMES, levelsFrom } from '../domain/report';
import { percent, ReportPdf, TableColumn } from './report-pdf';

export function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function resultText(k: KpiValue): string {
  if (k.target === null) return k.ratio === null ? '无数据' : '仅展示';
  if (k.met === null) return '无数据';
  return k.met ? '达标' : '未达标';
}

export function targetText(k: KpiValue): string {
  if (k.target === null) return '—';
  return `${k.comparison === 'more-than' ? '>' : '≥'} ${Math.round(k.target * 100)}%`;
}

/** The KPI table of one subject: every KPI with its counts, ratio, target and result. */
export function kpiTable(pdf: ReportPdf, line: KpiLine): void {
  const columns: TableColumn[] = [
    { header: '指标', width: 0.36 },
    { header: '分子', width: 0.09, align: 'right' },
    { header: '分母', width: 0.09, align: 'right' },
    { header: '比率', width: 0.14, align: 'right' },
    { header: '目标', width: 0.14, align: 'center' },
    { header: '结果', width: 0.18, align: 'center' },
  ];
  pdf.table(
    columns,
    KPI_KEYS.map((key) => {
      const k = line.kpis[key];
      return [`${k.name}（${k.rule}）`, String(k.numerator), String(k.denominator), percent(k.ratio), targetText(k), resultText(k)];
    }),
  );
  pdf.barChart(
    `${line.name}：各项指标与目标`,
    KPI_KEYS.map((key) => ({ label: line.kpis[key].name, value: line.kpis[key].ratio, target: line.kpis[key].target, met: line.kpis[key].met })),
  );
}

/**
 * A KPI report as a PDF: the subject's KPIs (table and chart against targets), then a
 * table per level below it, each line's ratios side by side; long names wrap in their cell.
 */
export async function renderKpiPdf(data: KpiReportData, onProgress?: (share: number) => Promise<void>): Promise<Buffer> {
  const pdf = new ReportPdf(data.title, data.title);
  pdf.title(data.title, `数据截至 ${chinaTime(data.asOf)}（北京时间） · 生成于 ${chinaTime(data.generatedAt)}`);
  const [own, ...below] = levelsFrom(data.level);
  for (const line of data.lines[own]) {
    pdf.heading(`${LEVEL_NAMES[own]}：${line.name}`);
    pdf.paragraph(`学生 ${line.counts.students} 人，毕业生 ${line.counts.graduates} 人，就业毕业生 ${line.counts.employed} 人，离校或分流 ${line.counts.left} 人。`);
    kpiTable(pdf, line);
  }
  let done = 0;
  for (const level of below) {
    await onProgress?.(done++ / Math.max(1, below.length));
    pdf.heading(`各${LEVEL_NAMES[level]}指标`);
    // the college is named once at the top of a college report; the province report names it on each line
    const withCollege = level === 'programme' && data.level === 'province';
    const nameColumns: TableColumn[] = [{ header: level === 'cohort' ? '专业 / 班级' : level === 'programme' ? (withCollege ? '学院 / 专业' : '专业') : '学院', width: 0.28 }];
    const columns = [...nameColumns, { header: '学生', width: 0.07, align: 'right' as const }, ...KPI_KEYS.map((key) => ({ header: data.lines[own][0]?.kpis[key].name ?? key, width: 0.108, align: 'right' as const }))];
    const nameOf = (l: KpiLine) => (level === 'cohort' ? `${l.programmeName ?? ''} / ${l.name}` : withCollege ? `${l.collegeName ?? ''} / ${l.name}` : l.name);
    pdf.table(
      columns,
      data.lines[level].map((l) => [nameOf(l), String(l.counts.students), ...KPI_KEYS.map((key) => `${percent(l.kpis[key].ratio)}${l.kpis[key].met === false ? '\n未达标' : ''}`)]),
      { empty: `（无${LEVEL_NAMES[level]}数据）` },
    );
  }
  pdf.paragraph('说明：比率 = 分子 / 分母，按各班级计数求和（DOMAIN §4）；分母为 0 时为“无数据”，不计为 0%，也不计为达标。未达到目标的比率后注“未达标”。', { muted: true });
  return pdf.toBuffer();
}
