import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import ExcelJS from 'exceljs';
import { AppException } from '../../src/errors/app.exception';
import { toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { chinaToday } from '../../src/time/china-date';
import { AttachmentsService } from '../attachments';
import { AuditService } from '../audit';
import { KpiRefreshRequests } from '../kpis';
import { StaffService } from '../staff';
import { columnIndex, formatOf, PiiCipher, readXlsxTable, RosterFileError } from '../students';
import { CERTIFICATE_KINDS, CertificateKind, KIND_ZH, ROUTE_OF } from './certificate.entity';
import { CertificateErrors, STATUS_ZH } from './certificates.errors';
import { CertificateRow, CertificatesRepository, NewCertificate } from './certificates.repository';
import { CertificateImportView, CertificateListQuery, CertificatePage, StudentCertificateView, CreateCertificateDto } from './dto/certificate.dto';

const NOBODY = '00000000-0000-0000-0000-000000000000';

export function toCertificateView(r: CertificateRow): StudentCertificateView {
  return {
    id: r.id,
    student: { id: r.studentId, name: r.studentName, cohortId: r.cohortId },
    kind: r.kind,
    kindZh: KIND_ZH[r.kind],
    route: ROUTE_OF[r.kind],
    occupation: r.occupation,
    level: r.level,
    number: r.number,
    issuer: r.issuer,
    issuedOn: r.issuedOn,
    attachmentId: r.attachmentId,
    status: r.status,
    rejectReason: r.rejectReason,
    verifiedBy: r.verifiedBy,
    verifiedAt: r.verifiedAt ? new Date(r.verifiedAt).toISOString() : null,
    version: r.version,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

const HEADERS = {
  idNumber: '身份证号',
  name: '姓名',
  kind: '证书类别',
  occupation: '职业工种',
  level: '等级',
  number: '证书编号',
  issuer: '发证机构',
  issuedOn: '发证日期',
} as const;
type HeaderKey = keyof typeof HEADERS;
const KIND_BY_ZH = new Map<string, CertificateKind>(CERTIFICATE_KINDS.map((k) => [KIND_ZH[k], k]));

/**
 * Certificates toward technician attainment (R-EVA-3 ① national 技师 / level-2 vocational
 * skill certificate, ② industry- or enterprise-recognised technician-level certificate):
 * recorded by the college, verified by college staff (unverified → verified / rejected with
 * a reason); only verified ones count (the outcome view reads `status = 'verified'`).
 */
@Injectable()
export class CertificatesService {
  constructor(
    private readonly repo: CertificatesRepository,
    private readonly attachments: AttachmentsService,
    private readonly staff: StaffService,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly kpiRefresh: KpiRefreshRequests,
  ) {}

  /** A college mentor sees the certificates of active mentees only. */
  private async menteeOf(): Promise<string | undefined> {
    const a = this.context.requireActor();
    if (a.role !== 'college-mentor') return undefined;
    return (await this.staff.rowOfUser(a.userId))?.id ?? NOBODY;
  }

  @Transactional()
  async create(dto: CreateCertificateDto): Promise<StudentCertificateView> {
    if (!(await this.repo.studentExists(dto.studentId))) throw new AppException(CertificateErrors.STUDENT_NOT_FOUND);
    const today = chinaToday();
    if (dto.issuedOn > today) throw new AppException(CertificateErrors.FUTURE_DATE, { date: dto.issuedOn, today });
    if (dto.attachmentId && !(await this.attachments.findInTenant(dto.attachmentId))) throw new AppException(CertificateErrors.ATTACHMENT_NOT_FOUND);
    const existing = await this.repo.existing([{ kind: dto.kind, issuer: dto.issuer, number: dto.number }]);
    if (existing.size) throw new AppException(CertificateErrors.DUPLICATE, { issuer: dto.issuer, number: dto.number });
    const [id] = await this.repo.insertMany([{ ...dto, attachmentId: dto.attachmentId ?? null }], this.context.requireActor().userId);
    // Issue 9 item 2 (ADR 0008): only the uploader links the scan, once
    if (dto.attachmentId && !(await this.attachments.claim(dto.attachmentId, 'certificate', id, null))) throw new AppException(CertificateErrors.ATTACHMENT_NOT_FOUND);
    await this.audit.record({ entity: 'certificate', entityId: id, action: 'create', after: { studentId: dto.studentId, kind: dto.kind, number: dto.number, issuer: dto.issuer, issuedOn: dto.issuedOn } });
    return toCertificateView((await this.repo.row(id))!);
  }

  @Transactional()
  async list(q: CertificateListQuery): Promise<CertificatePage> {
    const rows = await this.repo.list(q, await this.menteeOf());
    return toPage(rows, q.limit, (r) => [new Date(r.createdAt).toISOString(), r.id], toCertificateView);
  }

  @Transactional()
  async get(id: string): Promise<StudentCertificateView> {
    const row = await this.repo.row(id, await this.menteeOf());
    if (!row) throw new AppException(CertificateErrors.NOT_FOUND);
    return toCertificateView(row);
  }

  /** R-EVA-3: college staff verify or reject (with a reason) an unverified certificate; audited. */
  @Transactional()
  async decide(id: string, version: number, decision: 'verified' | 'rejected', reason: string | null): Promise<StudentCertificateView> {
    const row = await this.repo.row(id, undefined, true);
    if (!row) throw new AppException(CertificateErrors.NOT_FOUND);
    if (row.version !== version) throw new AppException(CertificateErrors.STALE, { current: row.version });
    if (row.status !== 'unverified') throw new AppException(CertificateErrors.NOT_UNVERIFIED, { status: row.status, statusZh: STATUS_ZH[row.status] });
    await this.repo.decide(id, decision, this.context.requireActor().userId, reason);
    // R-EVA-3 ①②: only a verified certificate counts, so only a verification moves the KPIs
    if (decision === 'verified') await this.kpiRefresh.cohorts([row.cohortId]);
    await this.audit.record({ entity: 'certificate', entityId: id, action: decision === 'verified' ? 'verify' : 'reject', before: { status: row.status }, after: { status: decision, reason } });
    return toCertificateView((await this.repo.row(id))!);
  }

  // ---- Excel

  async template(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Jishi 学制技师培养管理';
    const ws = wb.addWorksheet('证书');
    const keys = Object.keys(HEADERS) as HeaderKey[];
    ws.columns = keys.map((k) => ({ header: `${HEADERS[k]}*`, key: k, width: k === 'issuer' ? 36 : k === 'idNumber' || k === 'number' ? 24 : 16, style: { numFmt: '@' } }));
    ws.getRow(1).font = { bold: true };
    ws.addRow({ idNumber: '440106200805172315', name: '陈嘉豪（示例，导入前请删除）', kind: KIND_ZH['vocational-level-2'], occupation: '数控车工', level: '二级/技师', number: 'Y000440100012345', issuer: '广东省职业技能鉴定指导中心', issuedOn: '2026-06-28' });
    for (let r = 2; r <= 1001; r++) ws.getCell(`C${r}`).dataValidation = { type: 'list', allowBlank: false, formulae: [`"${CERTIFICATE_KINDS.map((k) => KIND_ZH[k]).join(',')}"`] };
    const help = wb.addWorksheet('填写说明');
    help.columns = [{ header: '列', width: 14 }, { header: '说明', width: 80 }];
    help.addRow(['身份证号', '学生的 18 位身份证号（文本格式），用于识别本校学生；姓名须与登记一致']);
    help.addRow(['证书类别', CERTIFICATE_KINDS.map((k) => `${KIND_ZH[k]}（R-EVA-3 ${ROUTE_OF[k]}）`).join('；')]);
    help.addRow(['发证日期', 'YYYY-MM-DD，不能晚于今天']);
    help.addRow(['', '导入的证书为“待核验”，须由教务人员核验后才计入技师达成；同一发证机构与编号已登记的行跳过；任何一行有误则整份文件不写入。']);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** Bulk import with dry run: every row's errors, all-or-nothing, idempotent on (kind, issuer, number). */
  @Transactional()
  async import(file: { buffer: Buffer; originalname: string } | undefined, dryRun: boolean): Promise<CertificateImportView> {
    if (!file) throw new AppException(CertificateErrors.IMPORT_FILE_REQUIRED);
    if (formatOf(file.originalname, file.buffer) !== 'xlsx') throw new AppException(CertificateErrors.IMPORT_FORMAT);
    let table: Awaited<ReturnType<typeof readXlsxTable>>;
    let col: Record<HeaderKey, number>;
    try {
      table = await readXlsxTable(file.buffer);
      col = columnIndex<HeaderKey>(table.headers, HEADERS, Object.keys(HEADERS) as HeaderKey[]);
    } catch (e) {
      if (e instanceof RosterFileError) {
        throw e.kind === 'headers'
          ? new AppException(CertificateErrors.IMPORT_HEADERS, { columns: e.detail || Object.values(HEADERS).join('、') })
          : new AppException(CertificateErrors.IMPORT_UNREADABLE, { reason: e.detail });
      }
      throw e;
    }
    const today = chinaToday();
    const errors: { row: number; column: string; message: string }[] = [];
    const parsed: { row: number; idHash: Buffer; name: string; c: Omit<NewCertificate, 'studentId'> }[] = [];
    const firstOf = new Map<string, number>();
    for (const t of table.rows) {
      const v = (k: HeaderKey) => (t.cells[col[k]] ?? '').trim();
      const err = (k: HeaderKey, message: string) => errors.push({ row: t.row, column: HEADERS[k], message });
      const before = errors.length;
      const id = v('idNumber').replace(/\s+/g, '').toUpperCase();
      if (!/^\d{17}[\dX]$/.test(id)) err('idNumber', '身份证号须为 18 位（文本格式，末位可为 X）');
      const kind: CertificateKind | undefined = KIND_BY_ZH.get(v('kind')) ?? CERTIFICATE_KINDS.find((k) => k === v('kind'));
      if (!kind) err('kind', `证书类别须为：${CERTIFICATE_KINDS.map((k) => KIND_ZH[k]).join('、')}`);
      for (const [k, max] of [['name', 64], ['occupation', 100], ['level', 32], ['number', 64], ['issuer', 200]] as [HeaderKey, number][]) {
        if (!v(k)) err(k, '必填');
        else if (v(k).length > max) err(k, `不超过 ${max} 个字`);
      }
      const issuedOn = v('issuedOn');
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(issuedOn) && !Number.isNaN(Date.parse(`${issuedOn}T00:00:00Z`)) && new Date(`${issuedOn}T00:00:00Z`).toISOString().startsWith(issuedOn);
      if (!valid) err('issuedOn', '日期须为有效的 YYYY-MM-DD');
      else if (issuedOn > today) err('issuedOn', `发证日期晚于今天（北京时间 ${today}）`);
      if (errors.length > before) continue;
      const key = `${kind}|${v('issuer').toLowerCase()}|${v('number')}`;
      const first = firstOf.get(key);
      if (first !== undefined) {
        err('number', `与第 ${first} 行是同一证书`);
        continue;
      }
      firstOf.set(key, t.row);
      parsed.push({ row: t.row, idHash: this.cipher.idNumberHash(id), name: v('name'), c: { kind: kind!, occupation: v('occupation'), level: v('level'), number: v('number'), issuer: v('issuer'), issuedOn, attachmentId: null } });
    }
    const students = await this.repo.studentsByIdHash(parsed.map((p) => p.idHash));
    const existing = await this.repo.existing(parsed.map((p) => ({ kind: p.c.kind, issuer: p.c.issuer, number: p.c.number })));
    const rows: NewCertificate[] = [];
    let unchanged = 0;
    for (const p of parsed) {
      const s = students.get(p.idHash.toString('hex'));
      if (!s) {
        errors.push({ row: p.row, column: HEADERS.idNumber, message: '本校没有该身份证号的学生' });
        continue;
      }
      if (s.name !== p.name) {
        errors.push({ row: p.row, column: HEADERS.name, message: `姓名与该身份证号登记的学生（${s.name}）不一致` });
        continue;
      }
      const owner = existing.get(`${p.c.kind}|${p.c.issuer.toLowerCase()}|${p.c.number}`);
      if (owner === s.id) unchanged++;
      else if (owner) errors.push({ row: p.row, column: HEADERS.number, message: '该证书编号已登记在另一名学生名下' });
      else rows.push({ ...p.c, studentId: s.id });
    }
    errors.sort((a, b) => a.row - b.row);
    const result = { dryRun, totalRows: table.rows.length, created: rows.length, unchanged, errors };
    if (dryRun) return result;
    if (errors.length) {
      throw new AppException(
        CertificateErrors.IMPORT_INVALID,
        { count: errors.length },
        errors.map((e) => ({ field: `rows[${e.row}].${e.column}`, constraint: 'import', zh: `第 ${e.row} 行「${e.column}」：${e.message}`, en: `row ${e.row} ${e.column}: ${e.message}` })),
      );
    }
    const ids = await this.repo.insertMany(rows, this.context.requireActor().userId);
    if (ids.length) await this.audit.record({ entity: 'certificate', entityId: null, action: 'import', after: { created: ids.length, unchanged } });
    return result;
  }
}
