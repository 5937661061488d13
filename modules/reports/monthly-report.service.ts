import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { currentClock } from '../../src/time/clock';
import { ReportFormat } from './domain/report';
import { ReportGenerator } from './report-generator.service';
import { ReportsRepository } from './reports.repository';

/** The China month before the one `now` falls in, `YYYY-MM`. */
export function previousChinaMonth(now: Date): string {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const y = china.getUTCFullYear();
  const m = china.getUTCMonth(); // 0-based: the previous month, 1-based
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/**
 * The monthly province report (issue 13), run by the `reports.monthly-province` schedule on the
 * 1st of each month (China time). Each month's PDF and XLSX are created once (unique schedule
 * key), however often the job runs; each is then generated like a requested report.
 */
@Injectable()
export class MonthlyReportService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly generator: ReportGenerator,
  ) {}

  async run(now: Date = currentClock().now()): Promise<{ month: string; reportIds: string[] }> {
    const month = previousChinaMonth(now);
    const ids: string[] = [];
    for (const format of ['pdf', 'xlsx'] as ReportFormat[]) {
      const id = await this.ensure(month, format);
      await this.generator.generate(id);
      ids.push(id);
    }
    return { month, reportIds: ids };
  }

  @Transactional()
  private async ensure(month: string, format: ReportFormat): Promise<string> {
    const [y, m] = month.split('-');
    const { row } = await this.reports.insertScheduled({
      tenantId: null,
      kind: 'kpi',
      level: 'province',
      collegeId: null,
      subjectId: null,
      evaluationKind: null,
      format,
      title: `广东省学制技师培养关键指标月报（${y}年${Number(m)}月）`,
      requestedBy: null,
      scheduleKey: `monthly-province:${month}:${format}`,
    });
    return row.id;
  }
}
