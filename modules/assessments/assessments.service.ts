import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import ExcelJS from 'exceljs';
import { AppException } from '../../src/errors/app.exception';
import { FieldError } from '../../src/errors/app.exception';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AuditService } from '../audit';
import { KpiRefreshRequests } from '../kpis';
import { StaffService } from '../staff';
import { columnIndex, formatOf, readXlsxTable, RosterFileError } from '../students';
import { AssessmentErrors, SIDE_ZH } from './assessments.errors';
import { AssessmentsRepository, NewResult, ResultRow, SheetRow, StudentScope } from './assessments.repository';
import { judge, KIND_ZH, planItems, Side, SIDE_OF } from './domain/items';
import {
  AssessmentItemList,
  HistoryView,
  ImportRowError,
  OpenSheetsDto,
  ResultRowDto,
  ResultView,
  SheetImportView,
  SheetView,
  WriteSheetDto,
} from './dto/assessment.dto';

const NOBODY = '00000000-0000-0000-0000-000000000000';
const ACTIVE = ['admitted', 'enrolled', 'graduated'];
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toResultView(r: ResultRow): ResultView {
  return {
    id: r.id,
    versionNo: r.versionNo,
    isCurrent: r.isCurrent,
    status: r.status,
    score: r.score === null ? null : Number(r.score),
    passed: r.passed,
    judgedTechnician: r.judgedTechnician,
    assessedOn: r.assessedOn,
    assessor: r.assessor,
    remarks: r.remarks,
    correctionReason: r.correctionReason,
    enteredBy: r.enteredBy ? { id: r.enteredBy, name: r.enteredByName ?? '' } : null,
    enteredSide: r.enteredSide,
    submittedAt: iso(r.submittedAt),
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** Same values as the current submitted result: re-sending a whole sheet leaves such rows alone. */
function sameAs(cur: ResultRow, n: Omit<NewResult, 'versionNo' | 'status' | 'correctionReason'>): boolean {
  return (
    (cur.score === null ? null : Number(cur.score)) === n.score &&
    cur.passed === n.passed &&
    cur.judgedTechnician === n.judgedTechnician &&
    cur.assessedOn === n.assessedOn &&
    cur.assessor === n.assessor &&
    (cur.remarks ?? null) === n.remarks
  );
}

const TEMPLATE_HEADERS = {
  studentId: '学生编号',
  name: '姓名',
  score: '成绩',
  passed: '是否合格',
  judgedTechnician: '是否达到技师水平',
  assessedOn: '考核日期',
  assessor: '考核人',
  remarks: '备注',
  correctionReason: '更正原因',
} as const;
type TemplateKey = keyof typeof TEMPLATE_HEADERS;

/**
 * Assessment sheets (R-EVA-3, DOMAIN §5): one per cohort × item of its plan version,
 * entered only by the right side for the students it is responsible for; results go
 * draft → submitted (locked) and change afterwards only by a correction, a new version
 * with a reason. A college admin may reopen a submitted sheet (audited).
 */
@Injectable()
export class AssessmentsService {
  constructor(
    private readonly repo: AssessmentsRepository,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly kpiRefresh: KpiRefreshRequests,
  ) {}

  /** The caller's side and the students they may see (issue 11; mirrors practice's visibility). */
  private async scope(): Promise<{ side: Side; scope: StudentScope; whole: boolean }> {
    const a = this.context.requireActor();
    const me = a.role === 'college-mentor' || a.role === 'enterprise-mentor' ? ((await this.staff.rowOfUser(a.userId))?.id ?? NOBODY) : undefined;
    if (a.scope === 'enterprise') {
      return { side: 'enterprise', whole: false, scope: { enterpriseId: a.enterpriseId ?? NOBODY, enterpriseMentorStaffId: me } };
    }
    if (a.role === 'college-mentor') return { side: 'college', whole: false, scope: { collegeMentorStaffId: me } };
    return { side: 'college', whole: true, scope: {} };
  }

  private async cohortFor(cohortId: string, scope: StudentScope, whole: boolean) {
    const cohort = await this.repo.cohortPlan(cohortId);
    if (!cohort || (!whole && !(await this.repo.seesCohort(cohortId, scope)))) throw new AppException(AssessmentErrors.COHORT_NOT_FOUND);
    return cohort;
  }

  private async visibleSheet(id: string, lock = false) {
    const { side, scope, whole } = await this.scope();
    const sheet = await this.repo.sheet(id, lock);
    if (!sheet || (!whole && !(await this.repo.seesCohort(sheet.cohortId, scope)))) throw new AppException(AssessmentErrors.SHEET_NOT_FOUND);
    return { sheet, side, scope };
  }

  /** The items of the cohort's plan version with their sheets, if opened (one query for the sheets). */
  @Transactional()
  async items(cohortId: string): Promise<AssessmentItemList> {
    const { scope, whole } = await this.scope();
    const cohort = await this.cohortFor(cohortId, scope, whole);
    const sheets = new Map((await this.repo.sheetsOfCohort(cohortId, scope)).map((s) => [s.itemKey, s]));
    return {
      cohort: { id: cohort.id, name: cohort.name },
      items: planItems(cohort.content).map((i) => {
        const s = sheets.get(i.itemKey);
        return {
          itemKey: i.itemKey,
          kind: i.kind,
          name: i.name,
          scoring: i.scoring,
          passMark: i.passMark,
          side: SIDE_OF[i.kind],
          sheetId: s?.id ?? null,
          status: s?.status ?? null,
          counts: s ? { students: s.students, entered: s.entered, submitted: s.submitted } : null,
        };
      }),
    };
  }

  /** Opens the sheet of one item (or of every item not opened yet); the defence sheet is pre-filled from the projects' defence reviews as drafts. */
  @Transactional()
  async open(dto: OpenSheetsDto): Promise<AssessmentItemList> {
    const cohort = await this.repo.cohortPlan(dto.cohortId);
    if (!cohort) throw new AppException(AssessmentErrors.COHORT_NOT_FOUND);
    const all = planItems(cohort.content);
    const wanted = dto.itemKey ? all.filter((i) => i.itemKey === dto.itemKey) : all;
    if (dto.itemKey && !wanted.length) throw new AppException(AssessmentErrors.NO_SUCH_ITEM, { itemKey: dto.itemKey });
    const userId = this.context.requireActor().userId;
    const opened: string[] = [];
    for (const item of wanted) {
      const id = await this.repo.insertSheet(cohort, item, userId);
      if (!id) {
        if (dto.itemKey) throw new AppException(AssessmentErrors.SHEET_EXISTS, { name: item.name });
        continue;
      }
      opened.push(item.itemKey);
      if (item.kind === 'defence') await this.prefillDefence(id, cohort.id, userId);
      await this.audit.record({ entity: 'assessment-sheet', entityId: id, action: 'open', after: { cohortId: cohort.id, itemKey: item.itemKey, kind: item.kind, name: item.name } });
    }
    return this.items(dto.cohortId);
  }

  private async prefillDefence(sheetId: string, cohortId: string, userId: string) {
    const sheet = (await this.repo.sheet(sheetId))!;
    const rows: NewResult[] = (await this.repo.defences(cohortId))
      .filter((d) => d.score !== null)
      .map((d) => ({
        studentId: d.studentId,
        versionNo: 1,
        status: 'draft',
        score: Number(d.score),
        passed: Number(d.score) >= Number(sheet.passMark),
        judgedTechnician: null,
        assessedOn: d.on,
        assessor: '项目答辩评审组',
        remarks: (d.comment ?? '取自项目答辩评审').slice(0, 500),
        correctionReason: null,
      }));
    await this.repo.insertResults(sheet, rows, userId, 'college', null);
  }

  /** The sheet with every student the caller may see and their current result: one request for a phone. */
  @Transactional()
  async get(id: string): Promise<SheetView> {
    const { sheet, scope } = await this.visibleSheet(id);
    return this.view(sheet, scope);
  }

  private async view(sheet: SheetRow, scope: StudentScope): Promise<SheetView> {
    const students = await this.repo.sheetStudents(sheet, scope);
    return {
      id: sheet.id,
      cohort: { id: sheet.cohortId, name: sheet.cohortName },
      itemKey: sheet.itemKey,
      kind: sheet.kind,
      name: sheet.name,
      scoring: sheet.scoring,
      passMark: sheet.passMark === null ? null : Number(sheet.passMark),
      stageIndex: sheet.stageIndex,
      side: SIDE_OF[sheet.kind],
      status: sheet.status,
      submittedAt: iso(sheet.submittedAt),
      reopenedAt: iso(sheet.reopenedAt),
      reopenReason: sheet.reopenReason,
      counts: {
        students: students.length,
        entered: students.filter((s) => s.result).length,
        submitted: students.filter((s) => s.result?.status === 'submitted').length,
      },
      rows: students.map((s) => ({ student: { id: s.studentId, name: s.studentName, status: s.studentStatus }, result: s.result ? toResultView(s.result) : null })),
    };
  }

  /**
   * Batch entry of a whole sheet in one request (R-EVA-3): all-or-nothing, every bad row
   * reported. New rows are drafts (or submitted with `submit`); a draft is overwritten; a
   * submitted result is locked and changes only with `correctionReason`, as a new version.
   */
  @Transactional()
  async write(id: string, dto: WriteSheetDto, dryRun = false): Promise<SheetView & { written: number }> {
    const { sheet, side, scope } = await this.visibleSheet(id, true);
    const actor = this.context.requireActor();
    // R-EVA-3: only the right side enters each kind.
    const needed = SIDE_OF[sheet.kind];
    if (side !== needed) {
      throw new AppException(AssessmentErrors.WRONG_SIDE, { kind: sheet.kind, kindZh: KIND_ZH[sheet.kind], side: needed, sideZh: SIDE_ZH[needed] });
    }
    const students = new Map((await this.repo.sheetStudents(sheet, scope)).map((s) => [s.studentId, s]));
    const unknown: FieldError[] = [];
    const problems: FieldError[] = [];
    const seen = new Map<string, number>();
    const today = chinaToday();
    const drafts: NewResult[] = [];
    const inserts: NewResult[] = [];
    const corrections: { studentId: string; from: number; to: number; reason: string; before: unknown; after: unknown }[] = [];
    const status = dto.submit ? 'submitted' : 'draft';
    const bad = (i: number, field: string, zh: string, en: string) => problems.push({ field: `rows[${i}].${field}`, constraint: 'assessment', zh: `第 ${i + 1} 行：${zh}`, en: `row ${i + 1}: ${en}` });

    dto.rows.forEach((r: ResultRowDto, i) => {
      const s = students.get(r.studentId);
      if (!s) {
        unknown.push({ field: `rows[${i}].studentId`, constraint: 'assessment', zh: `第 ${i + 1} 行：学生不在本表或不是您负责的学生`, en: `row ${i + 1}: student not on this sheet or not yours` });
        return;
      }
      const dup = seen.get(r.studentId);
      if (dup !== undefined) return bad(i, 'studentId', `与第 ${dup + 1} 行是同一学生`, `same student as row ${dup + 1}`);
      seen.set(r.studentId, i);
      const verdict = judge({ kind: sheet.kind, scoring: sheet.scoring, passMark: sheet.passMark === null ? null : Number(sheet.passMark) }, r);
      if (Array.isArray(verdict)) verdict.forEach((p) => bad(i, p.field, p.zh, p.en));
      if (r.assessedOn > today) bad(i, 'assessedOn', `考核日期 ${r.assessedOn} 晚于今天（北京时间 ${today}）`, `assessed on ${r.assessedOn}, after today in China (${today})`);
      if (Array.isArray(verdict) || r.assessedOn > today) return;
      const values = { studentId: r.studentId, score: verdict.score, passed: verdict.passed, judgedTechnician: sheet.kind === 'terminal' ? r.judgedTechnician! : null, assessedOn: r.assessedOn, assessor: r.assessor, remarks: r.remarks || null };
      const cur = s.result;
      if (!cur) {
        if (!ACTIVE.includes(s.studentStatus)) return bad(i, 'studentId', '该生已退学或已分流，不能录入新成绩', 'the student has left or was streamed out');
        if (sheet.status === 'submitted') return bad(i, 'studentId', '成绩表已提交，补录须由院校管理员重新开放成绩表', 'the sheet is submitted; a college admin must reopen it first');
        if (r.correctionReason) return bad(i, 'correctionReason', '首次录入不填更正原因', 'a first entry has no correction reason');
        inserts.push({ ...values, versionNo: 1, status, correctionReason: null });
      } else if (cur.status === 'draft') {
        if (r.correctionReason) return bad(i, 'correctionReason', '草稿成绩可直接修改，不填更正原因', 'a draft is edited directly, without a correction reason');
        drafts.push({ ...values, versionNo: 1, status, correctionReason: null });
      } else if (!r.correctionReason) {
        if (sameAs(cur, values)) return; // unchanged
        bad(i, 'correctionReason', `该生成绩已于提交后锁定（第 ${cur.versionNo} 版），如需更正请填写更正原因，将生成新版本`, `the result is submitted and locked (version ${cur.versionNo}); give a correction reason to add a new version`);
      } else {
        const next = { ...values, versionNo: cur.versionNo + 1, status: 'submitted' as const, correctionReason: r.correctionReason };
        inserts.push(next);
        corrections.push({
          studentId: r.studentId,
          from: cur.versionNo,
          to: next.versionNo,
          reason: r.correctionReason,
          before: { score: cur.score === null ? null : Number(cur.score), passed: cur.passed, judgedTechnician: cur.judgedTechnician, assessedOn: cur.assessedOn, assessor: cur.assessor },
          after: { score: next.score, passed: next.passed, judgedTechnician: next.judgedTechnician, assessedOn: next.assessedOn, assessor: next.assessor },
        });
      }
    });
    if (unknown.length) throw new AppException(AssessmentErrors.STUDENTS_NOT_FOUND, { count: unknown.length }, unknown);
    if (problems.length) throw new AppException(AssessmentErrors.ROWS_INVALID, { count: problems.length }, problems);
    const written = drafts.length + inserts.length;
    if (dryRun) return { ...(await this.view(sheet, scope)), written };

    const enterpriseId = side === 'enterprise' ? (actor.enterpriseId ?? null) : null;
    await this.repo.updateDrafts(sheet.id, drafts, actor.userId);
    await this.repo.supersede(sheet.id, corrections.map((c) => c.studentId));
    await this.repo.insertResults(sheet, inserts, actor.userId, side, enterpriseId);
    let submitted = 0;
    if (dto.submit) submitted = await this.repo.submitDrafts(sheet.id, [...students.keys()], actor.userId);
    const closed = await this.repo.closeIfComplete(sheet.id);
    // only submitted results count (DOMAIN §4): a submission or a correction moves the cohort's KPIs
    if (submitted > 0 || inserts.some((r) => r.status === 'submitted')) await this.kpiRefresh.cohorts([sheet.cohortId]);
    await this.audit.record({
      entity: 'assessment-sheet',
      entityId: sheet.id,
      action: 'enter-results',
      after: { kind: sheet.kind, itemKey: sheet.itemKey, written, submitted, corrections, sheetSubmitted: closed },
    });
    return { ...(await this.view((await this.repo.sheet(sheet.id))!, scope)), written };
  }

  /** Every version of the sheet's results the caller may see, with who entered and submitted each. */
  @Transactional()
  async history(id: string, studentId?: string): Promise<HistoryView> {
    const { sheet, scope } = await this.visibleSheet(id);
    const rows = await this.repo.history(sheet, scope, studentId);
    return { items: rows.map((r) => ({ ...toResultView(r), student: { id: r.studentId, name: r.studentName, status: r.studentStatus } })) };
  }

  /** A college admin reopens a submitted sheet (audited): students without a result may be entered again; submitted results stay locked. */
  @Transactional()
  async reopen(id: string, reason: string): Promise<SheetView> {
    const { sheet, scope } = await this.visibleSheet(id, true);
    if (sheet.status !== 'submitted') throw new AppException(AssessmentErrors.NOT_SUBMITTED);
    await this.repo.reopen(sheet.id, this.context.requireActor().userId, reason);
    await this.audit.record({ entity: 'assessment-sheet', entityId: sheet.id, action: 'reopen', before: { status: 'submitted', submittedAt: iso(sheet.submittedAt) }, after: { status: 'draft', reason } });
    return this.view((await this.repo.sheet(sheet.id))!, scope);
  }

  /**
   * R-EVA-3 graduation check, in words: per student, the course items and practice stages of
   * the cohort's plan without a current submitted passing result (for the graduates module;
   * joins the caller's transaction).
   */
  @Transactional()
  async missingItems(studentIds: string[]): Promise<Map<string, { itemKey: string; kind: 'course' | 'practice'; name: string }[]>> {
    const out = new Map<string, { itemKey: string; kind: 'course' | 'practice'; name: string }[]>();
    for (const r of await this.repo.passedItems(studentIds)) {
      const passed = new Set(r.passed);
      out.set(
        r.studentId,
        planItems(r.content)
          .filter((i) => (i.kind === 'course' || i.kind === 'practice') && !passed.has(i.itemKey))
          .map((i) => ({ itemKey: i.itemKey, kind: i.kind as 'course' | 'practice', name: i.name })),
      );
    }
    return out;
  }

  // ---- Excel

  /** The sheet as an Excel template: the caller's students with their current results, ready to fill in and upload. */
  @Transactional()
  async template(id: string): Promise<{ filename: string; buffer: Buffer }> {
    const { sheet, scope } = await this.visibleSheet(id);
    const students = await this.repo.sheetStudents(sheet, scope);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Jishi 学制技师培养管理';
    const ws = wb.addWorksheet('成绩');
    const keys: TemplateKey[] = ['studentId', 'name', sheet.scoring === 'score' ? 'score' : 'passed', ...(sheet.kind === 'terminal' ? (['judgedTechnician'] as TemplateKey[]) : []), 'assessedOn', 'assessor', 'remarks', 'correctionReason'];
    ws.columns = keys.map((k) => ({ header: TEMPLATE_HEADERS[k], key: k, width: k === 'studentId' ? 38 : k === 'remarks' || k === 'correctionReason' ? 40 : 14, style: { numFmt: '@' } }));
    ws.getRow(1).font = { bold: true };
    const yn = (b: boolean | null | undefined) => (b === null || b === undefined ? '' : b ? '是' : '否');
    for (const s of students) {
      const r = s.result;
      ws.addRow({
        studentId: s.studentId,
        name: s.studentName,
        score: r?.score === null || r?.score === undefined ? '' : String(Number(r.score)),
        passed: r ? (r.passed ? '合格' : '不合格') : '',
        judgedTechnician: yn(r?.judgedTechnician),
        assessedOn: r?.assessedOn ?? '',
        assessor: r?.assessor ?? '',
        remarks: r?.remarks ?? '',
        correctionReason: '',
      });
    }
    const help = wb.addWorksheet('填写说明');
    help.columns = [{ header: '项目', width: 16 }, { header: '说明', width: 80 }];
    help.addRow(['考核项', `${sheet.name}（${KIND_ZH[sheet.kind]}，由${SIDE_ZH[SIDE_OF[sheet.kind]]}录入）`]);
    help.addRow(['成绩', sheet.scoring === 'score' ? `0–100，最小单位 0.5 分；及格线 ${Number(sheet.passMark)} 分` : '填“合格”或“不合格”']);
    if (sheet.kind === 'terminal') help.addRow(['是否达到技师水平', '填“是”或“否”（R-EVA-3 ③）']);
    help.addRow(['考核日期', 'YYYY-MM-DD，不能晚于今天']);
    help.addRow(['更正原因', '已提交的成绩只能更正：填写原因后生成新版本；未改动的行不必填写']);
    help.addRow(['', '成绩为空的行跳过；任何一行有误则整份文件不写入。学生编号列请勿修改。']);
    return { filename: `${sheet.cohortName}-${sheet.name}-成绩表.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  /** Upload of the filled template with dry run: the same all-or-nothing write as the JSON batch, errors by row and column. */
  async upload(id: string, file: { buffer: Buffer; originalname: string } | undefined, dryRun: boolean, submit: boolean): Promise<SheetImportView> {
    if (!file) throw new AppException(AssessmentErrors.IMPORT_FILE_REQUIRED);
    if (formatOf(file.originalname, file.buffer) !== 'xlsx') throw new AppException(AssessmentErrors.IMPORT_FORMAT);
    let table: Awaited<ReturnType<typeof readXlsxTable>>;
    let col: Record<TemplateKey, number>;
    try {
      table = await readXlsxTable(file.buffer);
      col = columnIndex<TemplateKey>(table.headers, TEMPLATE_HEADERS, ['studentId', 'assessedOn', 'assessor']);
    } catch (e) {
      if (e instanceof RosterFileError) {
        throw e.kind === 'headers' ? new AppException(AssessmentErrors.IMPORT_HEADERS, { columns: e.detail || '学生编号、考核日期、考核人' }) : new AppException(AssessmentErrors.IMPORT_UNREADABLE, { reason: e.detail });
      }
      throw e;
    }
    const errors: ImportRowError[] = [];
    const rows: ResultRowDto[] = [];
    const lineOf: number[] = [];
    const cell = (cells: string[], k: TemplateKey) => (col[k] >= 0 ? (cells[col[k]] ?? '').trim() : '');
    for (const t of table.rows) {
      const scoreText = cell(t.cells, 'score');
      const passedText = cell(t.cells, 'passed');
      if (!scoreText && !passedText) continue; // not assessed yet
      const r: ResultRowDto = { studentId: cell(t.cells, 'studentId'), assessedOn: cell(t.cells, 'assessedOn'), assessor: cell(t.cells, 'assessor') };
      if (!/^[0-9a-f-]{36}$/i.test(r.studentId)) errors.push({ row: t.row, column: TEMPLATE_HEADERS.studentId, message: '学生编号无效（请勿修改模板中的学生编号）' });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(r.assessedOn)) errors.push({ row: t.row, column: TEMPLATE_HEADERS.assessedOn, message: '日期格式须为 YYYY-MM-DD' });
      if (!r.assessor) errors.push({ row: t.row, column: TEMPLATE_HEADERS.assessor, message: '须填写考核人' });
      if (scoreText) {
        const n = Number(scoreText);
        if (Number.isFinite(n)) r.score = n;
        else errors.push({ row: t.row, column: TEMPLATE_HEADERS.score, message: '成绩须为数字' });
      }
      if (passedText) {
        if (passedText === '合格' || passedText === '不合格') r.passed = passedText === '合格';
        else errors.push({ row: t.row, column: TEMPLATE_HEADERS.passed, message: '填“合格”或“不合格”' });
      }
      const jt = cell(t.cells, 'judgedTechnician');
      if (jt) {
        if (jt === '是' || jt === '否') r.judgedTechnician = jt === '是';
        else errors.push({ row: t.row, column: TEMPLATE_HEADERS.judgedTechnician, message: '填“是”或“否”' });
      }
      const remarks = cell(t.cells, 'remarks');
      if (remarks) r.remarks = remarks.slice(0, 500);
      const reason = cell(t.cells, 'correctionReason');
      if (reason) r.correctionReason = reason.slice(0, 500);
      rows.push(r);
      lineOf.push(t.row);
    }
    if (!errors.length) {
      try {
        const res = await this.write(id, { rows, submit }, dryRun);
        return { dryRun, totalRows: table.rows.length, written: res.written, errors: [] };
      } catch (e) {
        if (!(e instanceof AppException) || !e.fieldErrors.length) throw e;
        for (const f of e.fieldErrors) {
          const m = /^rows\[(\d+)\]\.(\w+)$/.exec(f.field);
          const k = (m?.[2] ?? 'studentId') as TemplateKey;
          errors.push({ row: m ? lineOf[Number(m[1])] : 0, column: TEMPLATE_HEADERS[k] ?? k, message: (f.zh ?? '').replace(/^第 \d+ 行：/, '') });
        }
      }
    }
    if (!dryRun) {
      throw new AppException(
        AssessmentErrors.ROWS_INVALID,
        { count: errors.length },
        errors.map((e) => ({ field: `rows[${e.row}].${e.column}`, constraint: 'import', zh: `第 ${e.row} 行「${e.column}」：${e.message}`, en: `row ${e.row} ${e.column}: ${e.message}` })),
      );
    }
    return { dryRun, totalRows: table.rows.length, written: 0, errors };
  }
}
