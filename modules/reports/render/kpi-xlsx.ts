import ExcelJS from 'exceljs';
import { KPI_KEYS, KPI_DEFINITIONS } from '../../kpis';
import { KpiLine, KpiReportData, LEVEL_NAMES, levelsFrom, ReportLevel } from '../domain/report';

/** The columns naming a line at each level (the levels above it, then its own name). */
const NAME_COLUMNS: Record<ReportLevel, { header: string; value: (l: KpiLine) => string | number | null }[]> = {
  province: [{ header: '地区', value: (l) => l.name }],
  college: [{ header: '学院', value: (l) => l.name }],
  programme: [
    { header: '学院', value: (l) => l.collegeName },
    { header: '专业', value: (l) => l.name },
  ],
  cohort: [
    { header: '学院', value: (l) => l.collegeName },
    { header: '专业', value: (l) => l.programmeName },
    { header: '班级', value: (l) => l.name },
    { header: '入学年份', value: (l) => l.intakeYear },
  ],
};

const MET_TEXT = (met: boolean | null, hasTarget: boolean) => (!hasTarget ? '仅展示' : met === null ? '无数据' : met ? '达标' : '未达标');

/**
 * A KPI report as a workbook: one sheet per level (全省 / 学院 / 专业 / 班级), Chinese headers,
 * and for every KPI its numerator, denominator, ratio (a number formatted as a percentage;
 * empty when there is no data) and whether it meets its target.
 */
export async function renderKpiXlsx(data: KpiReportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '广东省学制技师培养管理平台';
  wb.created = data.generatedAt;
  wb.title = data.title;
  for (const level of levelsFrom(data.level)) {
    const ws = wb.addWorksheet(LEVEL_NAMES[level], { views: [{ state: 'frozen', ySplit: 1 }] });
    const names = NAME_COLUMNS[level];
    const headers = [...names.map((c) => c.header), '学生数', '毕业生数', '就业毕业生数', '离校或分流人数'];
    for (const key of KPI_KEYS) {
      const n = KPI_DEFINITIONS[key].nameZh;
      headers.push(`${n}·分子`, `${n}·分母`, `${n}`, `${n}·目标`, `${n}·是否达标`);
    }
    const header = ws.addRow(headers);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'middle' };
    header.height = 36;
    for (const line of data.lines[level]) {
      const values: (string | number | null)[] = [...names.map((c) => c.value(line)), line.counts.students, line.counts.graduates, line.counts.employed, line.counts.left];
      for (const key of KPI_KEYS) {
        const k = line.kpis[key];
        values.push(k.numerator, k.denominator, k.ratio, k.target, MET_TEXT(k.met, k.target !== null));
      }
      ws.addRow(values);
    }
    headers.forEach((h, i) => {
      const column = ws.getColumn(i + 1);
      column.width = i < names.length ? 24 : Math.min(18, Math.max(10, h.length * 1.2));
      if (h.endsWith('·目标') || KPI_KEYS.some((k) => KPI_DEFINITIONS[k].nameZh === h)) column.numFmt = '0.0%';
    });
  }
  const about = wb.addWorksheet('说明');
  about.addRows([
    ['报表', data.title],
    ['对象', data.subjectName],
    ['数据截至', data.asOf.toISOString()],
    ['生成时间', data.generatedAt.toISOString()],
    ['口径', '指标定义见 DOMAIN §4：比率 = 分子 / 分母（各班级计数求和）；分母为 0 时为“无数据”，不计为 0%，也不计为达标。'],
  ]);
  about.getColumn(1).width = 12;
  about.getColumn(2).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
