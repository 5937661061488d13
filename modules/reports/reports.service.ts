import { Inject, Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import type { Readable } from 'node:stream';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, toPage } from '../../src/http/pagination';
import { OutboxService, QUEUES } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { currentClock } from '../../src/time/clock';
import { AuditService } from '../audit';
import type { FileStorage } from '../attachments';
import { DownloadLinkSigner, LINK_TTL_MS } from './domain/download-link';
import { CONTENT_TYPES, EVALUATION_KIND_NAMES, LEVEL_NAMES, ReportFormat } from './domain/report';
import { ReportLinkView, ReportListQuery, ReportPage, ReportView, RequestReportDto } from './dto/report.dto';
import { REPORT_STORAGE } from './report-generator.service';
import { ReportErrors } from './reports.errors';
import { ReportRow, ReportsRepository, SubjectRef } from './reports.repository';

/** Deterministic: the outbox relays a report's job once, however often the relay retries. */
export const reportJobId = (reportId: string) => `report-${reportId}`;

/** A pilot programme: one the province approved (DOMAIN §5), whatever became of it since. */
const PILOT_STATUSES = new Set(['active', 'midterm-passed', 'completed', 'suspended', 'revoked']);

export function toReportView(r: ReportRow): ReportView {
  return {
    id: r.id,
    kind: r.kind,
    level: r.level,
    collegeId: r.collegeId,
    subjectId: r.subjectId,
    evaluationKind: r.evaluationKind,
    format: r.format,
    title: r.title,
    status: r.status,
    progress: r.progress,
    sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
    error: r.error,
    scheduled: r.scheduleKey !== null,
    createdAt: new Date(r.createdAt).toISOString(),
    finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
  };
}

/**
 * Report requests, lists, status and downloads (issue 13). A college's staff report on their
 * own college (its cohorts, programmes, itself); province users on any college and on the
 * province. A college's reports are its tenant rows; a province user's are province-owned
 * rows (no college), so neither side ever lists the other's, and another college's report
 * id answers 404 like any id that does not exist.
 */
@Injectable()
export class ReportsService {
  private readonly signer: DownloadLinkSigner;

  constructor(
    private readonly reports: ReportsRepository,
    private readonly context: TenantContext,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @Inject(REPORT_STORAGE) private readonly storage: FileStorage,
    config: AppConfig,
  ) {
    this.signer = new DownloadLinkSigner(config.JWT_SECRET);
  }

  /** The caller's reports live here: its college, or null for the province. */
  private get owner(): string | null {
    return this.context.requireActor().scope === 'province' ? null : this.context.requireTenantId();
  }

  @Transactional()
  async request(dto: RequestReportDto): Promise<ReportView> {
    const actor = this.context.requireActor();
    const province = actor.scope === 'province';
    const owner = this.owner;
    const { level } = dto.scope;
    if (dto.kind === 'evaluation-dossier' && (level !== 'programme' || dto.format !== 'pdf' || !dto.evaluationKind)) throw new AppException(ReportErrors.DOSSIER_NEEDS_PROGRAMME);
    if (level === 'province' && !province) throw new AppException(ReportErrors.PROVINCE_ONLY);
    const subject = await this.subjectOf(level, dto.scope.id, owner);
    let title: string;
    if (dto.kind === 'evaluation-dossier') {
      if (!PILOT_STATUSES.has(subject!.pilotStatus ?? '')) throw new AppException(ReportErrors.NOT_A_PILOT, { status: subject!.pilotStatus });
      title = `${subject!.collegeName} ${subject!.name} ${EVALUATION_KIND_NAMES[dto.evaluationKind!]}材料汇编`;
    } else {
      title = level === 'province' ? '广东省学制技师培养关键指标报表' : `${level === 'college' ? subject!.name : `${subject!.collegeName} ${subject!.name}`} ${LEVEL_NAMES[level]}关键指标报表`;
    }
    const row = await this.reports.insert({
      tenantId: owner,
      kind: dto.kind,
      level,
      collegeId: subject?.tenantId ?? null,
      subjectId: level === 'province' ? null : level === 'college' ? subject!.tenantId : dto.scope.id!,
      evaluationKind: dto.kind === 'evaluation-dossier' ? dto.evaluationKind! : null,
      format: dto.format,
      title: title.slice(0, 200),
      requestedBy: actor.userId,
    });
    await this.outbox.enqueue(QUEUES.reports, 'reports.generate', { tenantId: owner, reportId: row.id }, { jobId: reportJobId(row.id) });
    await this.audit.record({ entity: 'report', entityId: row.id, action: 'request', after: { kind: row.kind, level, subjectId: row.subjectId, format: row.format, evaluationKind: row.evaluationKind } });
    return toReportView(row);
  }

  /** The subject through RLS: a college user only finds its own college's rows. */
  private async subjectOf(level: RequestReportDto['scope']['level'], id: string | undefined, owner: string | null): Promise<SubjectRef | undefined> {
    if (level === 'province') return undefined;
    if (level === 'college' && owner) {
      if (id && id !== owner) throw new AppException(ReportErrors.SUBJECT_NOT_FOUND);
      return this.reports.college(owner);
    }
    if (!id) throw new AppException(ReportErrors.SUBJECT_REQUIRED, { level: LEVEL_NAMES[level], levelEn: level });
    const found = level === 'college' ? await this.reports.college(id) : level === 'programme' ? await this.reports.programme(id) : await this.reports.cohort(id);
    if (!found || (owner && found.tenantId !== owner)) throw new AppException(ReportErrors.SUBJECT_NOT_FOUND);
    return found;
  }

  @Transactional()
  async list(q: ReportListQuery): Promise<ReportPage> {
    const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
    const rows = await this.reports.list(this.owner, { limit: q.limit, after, requestedBy: q.mine === 'true' ? this.context.requireActor().userId : undefined, status: q.status });
    return toPage(rows, q.limit, (r) => [new Date(r.createdAt).toISOString(), r.id], toReportView);
  }

  @Transactional()
  async get(id: string): Promise<ReportView> {
    return toReportView(await this.find(id));
  }

  private async find(id: string): Promise<ReportRow> {
    const row = await this.reports.find(this.owner, id);
    if (!row) throw new AppException(ReportErrors.NOT_FOUND);
    return row;
  }

  /** A signed link that works for LINK_TTL_MS without signing in (for a browser or a mail). */
  @Transactional()
  async link(id: string): Promise<ReportLinkView> {
    const row = await this.find(id);
    if (row.status !== 'done') throw new AppException(ReportErrors.NOT_READY, { status: row.status });
    const expires = currentClock().now().getTime() + LINK_TTL_MS;
    const token = this.signer.sign({ r: row.id, t: row.tenantId, e: expires });
    await this.audit.record({ entity: 'report', entityId: row.id, action: 'link', after: { expiresAt: new Date(expires).toISOString() } });
    return { url: `/api/v1/reports/files/${token}`, expiresAt: new Date(expires).toISOString() };
  }

  /** Follows a download link: the token names the report and its owner; the clock decides expiry. */
  async open(token: string): Promise<{ stream: Readable; filename: string; contentType: string; size: number }> {
    const check = this.signer.verify(token, currentClock().now());
    if (!check.ok) throw new AppException(check.reason === 'expired' ? ReportErrors.LINK_EXPIRED : ReportErrors.LINK_INVALID);
    const { r: id, t: owner } = check.claims;
    const read = () => this.readDone(owner, id);
    const row = owner ? await this.context.runAsTenant(owner, read) : await this.context.runAsProvinceSystem(read);
    if (!row) throw new AppException(ReportErrors.LINK_INVALID);
    return { stream: await this.storage.get(row.storageKey!), filename: `${row.title}.${row.format}`, contentType: CONTENT_TYPES[row.format as ReportFormat], size: Number(row.sizeBytes) };
  }

  @Transactional()
  private async readDone(owner: string | null, id: string): Promise<ReportRow | undefined> {
    const row = await this.reports.find(owner, id);
    return row?.status === 'done' ? row : undefined;
  }
}
