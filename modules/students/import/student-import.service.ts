import { Injectable, Logger } from '@nestjs/common';
import { Propagation, Transactional } from '@nestjs-cls/transactional';
import ExcelJS from 'exceljs';
import { AppException } from '../../../src/errors/app.exception';
import { OutboxService, QUEUES } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { AuditService } from '../../audit';
import { CohortRow, CohortsService } from '../../cohorts';

import { COLUMN_HEADERS, ENTRY_LEVEL_NAMES } from '../domain/student-input';
import { ImportResultView } from '../dto/student.dto';
import { PiiCipher } from '../pii-cipher';
import { StudentErrors } from '../students.errors';
import { NewStudentRow, StudentsRepository } from '../students.repository';
import { StudentsService } from '../students.service';
import { ImportError, ImportRow, ImportsRepository } from './imports.repository';
import { formatOf, readRoster, RosterFileError, RosterFormat, RosterLimits, RosterRow } from './roster-file';
import { AppConfig } from '../../../config/app-config';
import { interpolate } from '../../../src/errors/error-catalog';
import { chinaToday } from '../../../src/time/china-date';

/** Files with more data rows than this run as a job on the `imports` queue, with progress. */
export const IMPORT_JOB_THRESHOLD = 2000;

interface Analysis {
  rows: NewStudentRow[];
  unchanged: number;
  /** the first IMPORT_MAX_ERRORS, in row order */
  errors: ImportError[];
  errorCount: number;
}

/** The job of an import: deterministic, so the outbox relay and the sweeper make one job between them. */
export const importJobId = (importId: string) => `student-import-${importId}`;

/** The largest upload accepted for a roster (multer stops reading past it: 413). */
export const IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Roster import (XLSX or CSV) and export (issue 5). A dry run returns every row's errors
 * (row, column, message in Chinese) and writes nothing; a commit is all-or-nothing and
 * idempotent: students are keyed on the ID blind index, so the same file twice adds
 * nobody the second time. Large files run as a job with progress (`GET /imports/:id`).
 */
@Injectable()
export class StudentImportService {
  private readonly logger = new Logger(StudentImportService.name);

  constructor(
    private readonly students: StudentsRepository,
    private readonly studentsService: StudentsService,
    private readonly cohorts: CohortsService,
    private readonly imports: ImportsRepository,
    private readonly outbox: OutboxService,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly config: AppConfig,
  ) {}

  private get limits(): RosterLimits {
    return { maxRows: this.config.IMPORT_MAX_ROWS, maxInflatedBytes: this.config.IMPORT_MAX_INFLATED_BYTES };
  }

  /** Parses the upload; small files are imported at once, large ones queued as a job. */
  async upload(cohortId: string, file: { buffer: Buffer; originalname: string } | undefined, dryRun: boolean): Promise<{ status: 200 | 202; body: ImportResultView }> {
    if (!file) throw new AppException(StudentErrors.IMPORT_FILE_REQUIRED);
    const format = formatOf(file.originalname, file.buffer);
    if (!format) throw new AppException(StudentErrors.IMPORT_FORMAT);
    const rows = await this.parse(format, file.buffer);
    if (rows.length > IMPORT_JOB_THRESHOLD) return { status: 202, body: await this.enqueue(cohortId, file, format, rows.length, dryRun) };
    return { status: 200, body: await this.importRows(cohortId, rows, dryRun) };
  }

  async parse(format: RosterFormat, buffer: Buffer): Promise<RosterRow[]> {
    try {
      return await readRoster(format, buffer, this.limits);
    } catch (e) {
      throw rosterProblem(e, this.limits);
    }
  }

  /** Validates and (unless a dry run) writes all rows in one transaction. */
  @Transactional()
  async importRows(cohortId: string, rows: RosterRow[], dryRun: boolean, onProgress?: (n: number) => Promise<void>): Promise<ImportResultView> {
    const cohort = dryRun ? await this.cohorts.requireRow(cohortId) : await this.cohorts.lockRow(cohortId);
    if (cohort.status === 'completed') throw new AppException(StudentErrors.COHORT_CLOSED);
    const analysis = await this.analyse(cohort, rows, onProgress);
    const result = (created: number): ImportResultView => ({
      importId: null,
      status: 'succeeded',
      dryRun,
      totalRows: rows.length,
      processedRows: rows.length,
      created,
      unchanged: analysis.unchanged,
      errors: analysis.errors,
      errorCount: analysis.errorCount,
      warnings: [],
    });
    const settings = await this.cohorts.settings(cohort.tenantId);
    const warnings = this.cohorts.classSizeWarnings(cohort.studentCount + analysis.rows.length, settings);
    if (dryRun) return { ...result(analysis.rows.length), warnings };
    if (analysis.errorCount) {
      throw new AppException(
        StudentErrors.IMPORT_INVALID,
        { count: analysis.errorCount },
        analysis.errors.map((e) => ({ field: `rows[${e.row}].${e.column}`, constraint: 'import', zh: `第 ${e.row} 行「${e.column}」：${e.message}`, en: `row ${e.row} ${e.column}: ${e.message}` })),
      );
    }
    if (analysis.rows.length) {
      await this.students.insertMany(analysis.rows, this.context.actor?.userId ?? null, 'Excel 导入');
      await this.audit.record({ entity: 'cohort', entityId: cohortId, action: 'import-students', after: { created: analysis.rows.length, unchanged: analysis.unchanged } });
    }
    return { ...result(analysis.rows.length), warnings };
  }

  /** Every row's problems, duplicates inside the file, and the college's existing students (same cohort: unchanged; other cohort: an error). */
  private async analyse(cohort: CohortRow, rows: RosterRow[], onProgress?: (n: number) => Promise<void>): Promise<Analysis> {
    const errors: ImportError[] = [];
    const candidates: { row: number; sealed: NewStudentRow }[] = [];
    const firstRowOf = new Map<string, number>();
    const admittedOn = chinaToday();
    for (const [i, r] of rows.entries()) {
      if (r.numericId) {
        errors.push({ row: r.row, column: COLUMN_HEADERS.idNumber, message: '身份证号须以文本格式填写（数字格式会丢失末几位），请使用导入模板' });
        continue;
      }
      const valid = this.studentsService.validate(r.values, cohort);
      if (Array.isArray(valid)) {
        for (const p of valid) errors.push({ row: r.row, column: COLUMN_HEADERS[p.column], message: p.zh });
      } else {
        const first = firstRowOf.get(valid.idNumber);
        if (first !== undefined) errors.push({ row: r.row, column: COLUMN_HEADERS.idNumber, message: `与第 ${first} 行身份证号重复` });
        else {
          firstRowOf.set(valid.idNumber, r.row);
          candidates.push({ row: r.row, sealed: this.studentsService.seal(valid, cohort, admittedOn) });
        }
      }
      if (onProgress && (i + 1) % 1000 === 0) await onProgress(i + 1);
    }
    const existing = await this.students.byIdHashes(candidates.map((c) => c.sealed.idNumberHash));
    const out: NewStudentRow[] = [];
    let unchanged = 0;
    for (const c of candidates) {
      const found = existing.get(c.sealed.idNumberHash.toString('hex'));
      if (!found) out.push(c.sealed);
      else if (found.cohortId === cohort.id) unchanged++;
      else errors.push({ row: c.row, column: COLUMN_HEADERS.idNumber, message: `该身份证号已在本校「${found.cohortName}」登记，同一学院内不能重复` });
    }
    errors.sort((a, b) => a.row - b.row);
    // the list is capped (issue 8 item 10); the count is not
    return { rows: out, unchanged, errors: errors.slice(0, this.config.IMPORT_MAX_ERRORS), errorCount: errors.length };
  }

  @Transactional()
  private async enqueue(cohortId: string, file: { buffer: Buffer; originalname: string }, format: RosterFormat, totalRows: number, dryRun: boolean): Promise<ImportResultView> {
    await this.cohorts.requireRow(cohortId);
    const tenantId = this.context.requireTenantId();
    const importId = await this.imports.insert({ cohortId, fileName: file.originalname.slice(0, 255), format, file: this.cipher.encryptBytes(file.buffer), dryRun, totalRows, createdBy: this.context.actor?.userId ?? null });
    // ids only in the payload (QUALITY §3): the bytes wait in student_imports, encrypted (they hold ID numbers, QUALITY §4)
    await this.outbox.enqueue(QUEUES.imports, 'imports.process', { tenantId, importId }, { jobId: importJobId(importId) });
    return { importId, status: 'queued', dryRun, totalRows, processedRows: 0, created: 0, unchanged: 0, errors: [], errorCount: 0, warnings: [] };
  }

  @Transactional()
  async status(importId: string): Promise<ImportResultView> {
    const row = await this.imports.find(importId);
    if (!row) throw new AppException(StudentErrors.IMPORT_NOT_FOUND);
    return toImportView(row);
  }

  /** The job: claim, parse, validate with progress (own transactions), commit all-or-nothing, record the result. */
  async process(importId: string): Promise<ImportResultView | null> {
    const job = await this.claim(importId);
    if (!job || !job.file) return null;
    try {
      // sealed since issue 5's review; a file queued before that is still plain (xlsx starts 'PK', never the version byte 1)
      const bytes = job.file[0] === 1 ? this.cipher.decryptBytes(job.file) : job.file;
      const rows = await this.parse(job.format, bytes);
      const result = await this.importRows(job.cohortId, rows, job.dryRun, (n) => this.progress(importId, n));
      await this.finish(importId, { status: 'succeeded', processed: rows.length, created: result.created, unchanged: result.unchanged, errors: result.errors, errorCount: result.errorCount });
      return result;
    } catch (e) {
      const errorCount = e instanceof AppException && e.definition === StudentErrors.IMPORT_INVALID ? Number(e.params.count) : undefined;
      const errors: ImportError[] =
        e instanceof AppException && !e.fieldErrors.length
          ? [{ row: 0, column: '', message: interpolate(e.definition.zh, e.params) }]
          : e instanceof AppException
          ? e.fieldErrors.map((f) => {
              const m = /^rows\[(\d+)\]\.(.*)$/.exec(f.field);
              return { row: m ? Number(m[1]) : 0, column: m ? m[2] : f.field, message: (f.zh ?? '').replace(/^第 \d+ 行「[^」]*」：/, '') };
            })
          : [{ row: 0, column: '', message: '导入失败，请稍后重试或联系管理员' }];
      if (!(e instanceof AppException)) this.logger.warn(`import ${importId} failed: ${(e as Error).message}`);
      await this.finish(importId, { status: 'failed', processed: 0, created: 0, unchanged: 0, errors, errorCount });
      return null;
    }
  }

  /**
   * The job for an import failed for good (attempts used up, or stalled past the limit: a
   * worker that keeps dying on it): the import ends `failed` instead of staying `running`.
   */
  @Transactional()
  async failUnfinished(importId: string, reason: string): Promise<boolean> {
    return this.imports.failUnfinished(importId, [{ row: 0, column: '', message: reason }]);
  }

  @Transactional()
  private claim(importId: string) {
    return this.imports.claim(importId);
  }

  @Transactional(Propagation.RequiresNew)
  private progress(importId: string, n: number) {
    return this.imports.progress(importId, n);
  }

  @Transactional(Propagation.RequiresNew)
  private finish(importId: string, v: Parameters<ImportsRepository['finish']>[1]) {
    return this.imports.finish(importId, v);
  }

  /** Roster export (XLSX), masked like every other response (QUALITY §4). */
  @Transactional()
  async exportRoster(cohortId: string): Promise<{ filename: string; buffer: Buffer }> {
    const cohort = await this.cohorts.requireRow(cohortId);
    const rows = await this.students.roster(cohortId);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学生名单');
    ws.columns = [
      { header: '序号', width: 6 },
      { header: '姓名', width: 12 },
      { header: '性别', width: 6 },
      { header: '出生日期', width: 12 },
      { header: '身份证号（脱敏）', width: 22 },
      { header: '手机号（脱敏）', width: 14 },
      { header: '入学起点', width: 12 },
      { header: '状态', width: 12 },
      { header: '录取日期', width: 12 },
      { header: '入学日期', width: 12 },
      { header: '分流决定', width: 14 },
    ];
    ws.getRow(1).font = { bold: true };
    const STATUS_ZH: Record<string, string> = {
      admitted: '已录取',
      'senior-worker-stage': '高级工阶段',
      'technician-stage': '技师阶段',
      graduated: '已毕业',
      'streamed-out': '已分流',
      withdrawn: '已退学',
    };
    const DECISION_ZH: Record<string, string> = { continue: '继续技师阶段', 'senior-worker-route': '转高级工方向', leave: '离开' };
    rows.forEach((r, i) =>
      ws.addRow([
        i + 1,
        r.name,
        r.gender === 'male' ? '男' : '女',
        r.dateOfBirth,
        r.idNumberMasked,
        r.mobileMasked ?? '',
        ENTRY_LEVEL_NAMES[r.entryLevel]?.zh ?? r.entryLevel,
        STATUS_ZH[r.lifecycleStatus] ?? r.lifecycleStatus,
        r.admittedOn,
        r.enrolledOn ?? '',
        r.streamingDecision ? DECISION_ZH[r.streamingDecision] : '',
      ]),
    );
    return { filename: `${cohort.name}-学生名单.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
  }
}

export function toImportView(r: ImportRow): ImportResultView {
  return {
    importId: r.id,
    status: r.status,
    dryRun: r.dryRun,
    totalRows: r.totalRows,
    processedRows: r.processedRows,
    created: r.createdCount,
    unchanged: r.unchangedCount,
    errors: r.errors,
    errorCount: r.errorCount,
    warnings: [],
  };
}


/** A roster that cannot be read, or passes a cap, as the problem the uploader sees. */
export function rosterProblem(e: unknown, limits: RosterLimits): unknown {
  if (!(e instanceof RosterFileError)) return e;
  switch (e.kind) {
    case 'headers':
      return new AppException(StudentErrors.IMPORT_HEADERS, { columns: e.detail });
    case 'too-many-rows':
      return new AppException(StudentErrors.IMPORT_TOO_MANY_ROWS, { max: limits.maxRows });
    case 'too-large':
      return new AppException(StudentErrors.IMPORT_TOO_LARGE, { mb: Math.floor(limits.maxInflatedBytes / (1024 * 1024)) || 1 });
    default:
      return new AppException(StudentErrors.IMPORT_UNREADABLE, { reason: e.detail });
  }
}
