import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Propagation, Transactional } from '@nestjs-cls/transactional';
import { currentClock } from '../../src/time/clock';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { FileStorage } from '../attachments';
import { countsOfRow, KpiCounts, kpisOf } from '../kpis';
import { CONTENT_TYPES, EVALUATION_KIND_NAMES, KpiLine, KpiReportData, REPORT_LEVELS, reportStorageKey, ReportLevel } from './domain/report';
import { renderDossierPdf } from './render/dossier-pdf';
import { renderKpiPdf } from './render/kpi-pdf';
import { renderKpiXlsx } from './render/kpi-xlsx';
import { KpiSqlRow, ReportRow, ReportsRepository } from './reports.repository';

export const REPORT_STORAGE = Symbol('REPORT_STORAGE');

const EMPTY: KpiCounts = countsOfRow({});

function lineOf(r: KpiSqlRow): KpiLine {
  const counts = countsOfRow(r);
  const name = r.level === 'cohort' ? r.cohortName : r.level === 'programme' ? r.programmeName : r.level === 'college' ? r.collegeName : '广东省';
  const id = r.level === 'cohort' ? r.cohortId : r.level === 'programme' ? r.programmeId : r.level === 'college' ? r.tenantId : null;
  return { level: r.level, id, name: name ?? '', collegeName: r.collegeName, programmeName: r.programmeName, intakeYear: r.intakeYear, counts, kpis: kpisOf(counts) };
}

/**
 * Runs a report job (issue 13): claims the report, reads the live figures, renders the file,
 * stores it under the report's one key and marks the report done. A retried attempt (after a
 * crash or an error after part was written) claims the same report again and overwrites the
 * same key; a report already done is never generated twice.
 */
@Injectable()
export class ReportGenerator {
  private readonly logger = new Logger(ReportGenerator.name);

  constructor(
    private readonly reports: ReportsRepository,
    private readonly context: TenantContext,
    @Inject(REPORT_STORAGE) private readonly storage: FileStorage,
  ) {}

  /** The owner the job acts for: its college, or null (province scope). */
  private get owner(): string | null {
    return this.context.tenantId ?? null;
  }

  async generate(reportId: string): Promise<{ status: 'done'; sizeBytes: number } | null> {
    const owner = this.owner;
    const report = await this.claim(owner, reportId);
    if (!report) return null; // done, failed or gone: nothing to do twice
    const bytes = report.kind === 'kpi' ? await this.kpiFile(report) : await this.dossierFile(report);
    await this.setProgress(owner, reportId, 90);
    const key = reportStorageKey(owner, report.id, report.format);
    await this.storage.put(key, bytes, CONTENT_TYPES[report.format], bytes.length);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const finished = await this.finish(owner, reportId, { storageKey: key, sizeBytes: bytes.length, sha256 });
    if (!finished) this.logger.warn(`report ${reportId} was finished by another attempt`);
    return { status: 'done', sizeBytes: bytes.length };
  }

  @Transactional(Propagation.RequiresNew)
  private claim(owner: string | null, id: string): Promise<ReportRow | undefined> {
    return this.reports.claim(owner, id);
  }

  @Transactional(Propagation.RequiresNew)
  private setProgress(owner: string | null, id: string, progress: number): Promise<void> {
    return this.reports.progress(owner, id, Math.round(progress));
  }

  @Transactional(Propagation.RequiresNew)
  private finish(owner: string | null, id: string, f: { storageKey: string; sizeBytes: number; sha256: string }): Promise<boolean> {
    return this.reports.finish(owner, id, f);
  }

  /** A job that failed for good leaves its report `failed` with a reason, never `running` forever. */
  @Transactional(Propagation.RequiresNew)
  async failFinally(reportId: string, reason: string): Promise<boolean> {
    return this.reports.fail(this.owner, reportId, reason);
  }

  /** The KPI rows of the report's subject and every level below, from the KPI statement. */
  @Transactional()
  async kpiData(report: Pick<ReportRow, 'level' | 'collegeId' | 'subjectId' | 'title'>): Promise<KpiReportData> {
    const filter =
      report.level === 'cohort' ? { tenantId: report.collegeId!, cohortId: report.subjectId! }
      : report.level === 'programme' ? { tenantId: report.collegeId!, programmeId: report.subjectId! }
      : report.level === 'college' ? { tenantId: report.collegeId! }
      : {};
    const rows = await this.reports.kpiRows(filter);
    const lines = Object.fromEntries(REPORT_LEVELS.map((l) => [l, [] as KpiLine[]])) as Record<ReportLevel, KpiLine[]>;
    for (const r of rows) lines[r.level].push(lineOf(r));
    if (report.level === 'college' && lines.college.length === 0) {
      // a college without cohorts: "no data" throughout, never a missing sheet
      const college = await this.reports.college(report.collegeId!);
      const counts = EMPTY;
      lines.college.push({ level: 'college', id: report.collegeId, name: college?.name ?? '', collegeName: college?.name ?? null, programmeName: null, intakeYear: null, counts, kpis: kpisOf(counts) });
    }
    if (report.level === 'province' && lines.province.length === 0) lines.province.push({ level: 'province', id: null, name: '广东省', collegeName: null, programmeName: null, intakeYear: null, counts: EMPTY, kpis: kpisOf(EMPTY) });
    const own = lines[report.level][0];
    return { title: report.title, level: report.level, subjectName: own?.name ?? '', asOf: rows[0]?.asOf ?? currentClock().now(), generatedAt: currentClock().now(), lines };
  }

  private async kpiFile(report: ReportRow): Promise<Buffer> {
    const data = await this.kpiData(report);
    await this.setProgress(this.owner, report.id, 40);
    if (report.format === 'xlsx') return renderKpiXlsx(data);
    return renderKpiPdf(data, (share) => this.setProgress(this.owner, report.id, 40 + share * 45));
  }

  @Transactional()
  private async dossierData(report: ReportRow) {
    const programmeId = report.subjectId!;
    const p = await this.reports.dossierProgramme(programmeId);
    if (!p) throw new Error(`programme ${programmeId} of report ${report.id} not found`);
    const [team, partners, cohorts, assessments, evaluations, rows] = [
      await this.reports.dossierTeam(p.tenantId, programmeId),
      await this.reports.dossierPartners(p.tenantId, programmeId),
      await this.reports.dossierCohorts(p.tenantId, programmeId),
      await this.reports.dossierAssessments(p.tenantId, programmeId),
      await this.reports.dossierEvaluations(p.tenantId, programmeId, report.evaluationKind!),
      await this.reports.kpiRows({ tenantId: p.tenantId, programmeId }),
    ];
    const row = rows.find((r) => r.level === 'programme');
    const kpis: KpiLine = row ? lineOf(row) : { level: 'programme', id: programmeId, name: p.name, collegeName: p.collegeName, programmeName: p.name, intakeYear: null, counts: EMPTY, kpis: kpisOf(EMPTY) };
    return {
      title: report.title,
      evaluationName: EVALUATION_KIND_NAMES[report.evaluationKind!],
      generatedAt: currentClock().now(),
      programme: { ...p, occupation: `${p.occupationName}（${p.occupationCode}）` },
      team,
      partners,
      cohorts,
      kpis,
      assessments,
      evaluations,
    };
  }

  private async dossierFile(report: ReportRow): Promise<Buffer> {
    const data = await this.dossierData(report);
    await this.setProgress(this.owner, report.id, 50);
    return renderDossierPdf(data);
  }
}
