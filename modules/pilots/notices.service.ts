import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { OutboxService } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { ReferenceDataService } from '../reference-data';
import { MANDATORY_REVIEW_CRITERIA, ReviewCriterion } from './domain/process';
import { CreateNoticeDto, NoticeListQuery, PilotNoticeView, RecipientView, ReopenNoticeDto } from './dto/pilots.dto';
import { PilotErrors } from './pilots.errors';
import { NoticeRow, PilotsRepository, RecipientRow } from './pilots.repository';

function recipientView(r: RecipientRow): RecipientView {
  return {
    collegeId: r.collegeId,
    collegeName: r.collegeName,
    tier: r.tier,
    city: r.city,
    eligible: r.eligible,
    reason: r.reason,
    reopenedUntil: r.reopenedUntil,
    reopenReason: r.reopenReason,
  };
}

export function noticeView(n: NoticeRow, recipients: RecipientRow[]): PilotNoticeView {
  return {
    id: n.id,
    year: n.year,
    title: n.title,
    requirements: n.requirements,
    materials: n.materials,
    reviewCriteria: n.reviewCriteria,
    deadline: n.deadline,
    recipients: recipients.filter((r) => r.noticeId === n.id).map(recipientView),
    version: n.version,
    createdAt: new Date(n.createdAt).toISOString(),
  };
}

/** Pilot notices (R-APP-1) addressed by the rollout table (R-COL-2). */
@Injectable()
export class NoticesService {
  constructor(
    private readonly repo: PilotsRepository,
    private readonly referenceData: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * R-COL-2: by default every active college whose tier the rollout table allows in `year`;
   * a listed college outside it needs a recorded reason (extraColleges).
   */
  @Transactional()
  async create(dto: CreateNoticeDto): Promise<PilotNoticeView> {
    const criteria = this.criteria(dto.reviewCriteria);
    const tiers = await this.referenceData.eligibleTiers(dto.year);
    const recipients = new Map<string, { collegeId: string; eligible: boolean; reason: string | null }>();
    if (dto.collegeIds === undefined) {
      for (const c of await this.repo.activeCollegesOfTiers(tiers)) recipients.set(c.id, { collegeId: c.id, eligible: true, reason: null });
    } else {
      const found = await this.repo.collegesByIds(dto.collegeIds);
      for (const id of dto.collegeIds) {
        const c = found.find((x) => x.id === id);
        if (!c || c.status !== 'active') throw new AppException(PilotErrors.COLLEGE_NOT_FOUND, { collegeId: id });
        const eligible = (tiers as string[]).includes(c.tier);
        const extra = dto.extraColleges?.find((x) => x.collegeId === id);
        // R-COL-2: naming an ineligible college needs a recorded reason
        if (!eligible && !extra) throw new AppException(PilotErrors.INELIGIBLE_COLLEGE_NEEDS_REASON, { college: c.name, tier: c.tier, year: dto.year });
        recipients.set(id, { collegeId: id, eligible, reason: eligible ? null : extra!.reason });
      }
    }
    const extras = dto.extraColleges ?? [];
    const extraFound = await this.repo.collegesByIds(extras.map((x) => x.collegeId));
    for (const x of extras) {
      const c = extraFound.find((y) => y.id === x.collegeId);
      if (!c || c.status !== 'active') throw new AppException(PilotErrors.COLLEGE_NOT_FOUND, { collegeId: x.collegeId });
      const eligible = (tiers as string[]).includes(c.tier);
      recipients.set(c.id, { collegeId: c.id, eligible, reason: eligible ? null : x.reason });
    }
    if (!recipients.size) throw new AppException(PilotErrors.NO_RECIPIENTS);
    const actor = this.context.requireActor();
    const notice = await this.repo.insertNotice({
      year: dto.year,
      title: dto.title,
      requirements: dto.requirements,
      materials: dto.materials,
      reviewCriteria: criteria,
      deadline: dto.deadline,
      createdBy: actor.userId,
    });
    await this.repo.insertRecipients(notice.id, [...recipients.values()]);
    await this.audit.record({
      entity: 'pilot-notice',
      entityId: notice.id,
      action: 'create',
      after: { year: dto.year, title: dto.title, deadline: dto.deadline, recipients: [...recipients.values()] },
    });
    return noticeView(notice, await this.repo.recipients([notice.id]));
  }

  /** Colleges see only the notices addressed to them (RLS on pilot_notices). */
  @Transactional()
  async list(query: NoticeListQuery): Promise<Page<PilotNoticeView>> {
    const rows = await this.repo.listNotices({ year: query.year, limit: query.limit, cursor: query.cursor });
    const recipients = await this.repo.recipients(rows.map((r) => r.id));
    return toPage(rows, query.limit, (n) => [new Date(n.createdAt).toISOString(), n.id], (n) => noticeView(n, recipients));
  }

  @Transactional()
  async get(id: string): Promise<PilotNoticeView> {
    const notice = await this.repo.notice(id);
    if (!notice) throw new AppException(PilotErrors.NOTICE_NOT_FOUND);
    return noticeView(notice, await this.repo.recipients([id]));
  }

  /** After the deadline a college may submit only when the province reopens the notice for it (audited, notified). */
  async reopen(id: string, dto: ReopenNoticeDto): Promise<RecipientView> {
    const before = await this.reopenRow(id, dto);
    await this.context.runAsTenant(dto.collegeId, () => this.notifyReopen(id, dto.collegeId));
    return before;
  }

  @Transactional()
  private async reopenRow(id: string, dto: ReopenNoticeDto): Promise<RecipientView> {
    const notice = await this.repo.notice(id);
    if (!notice) throw new AppException(PilotErrors.NOTICE_NOT_FOUND);
    const recipient = await this.repo.recipient(id, dto.collegeId);
    if (!recipient) throw new AppException(PilotErrors.NOT_A_RECIPIENT);
    await this.repo.reopen(id, dto.collegeId, dto.until, dto.reason);
    await this.audit.record({
      entity: 'pilot-notice',
      entityId: id,
      action: 'reopen',
      before: { collegeId: dto.collegeId, reopenedUntil: recipient.reopenedUntil },
      after: { collegeId: dto.collegeId, reopenedUntil: dto.until, reason: dto.reason },
    });
    return recipientView((await this.repo.recipient(id, dto.collegeId))!);
  }

  @Transactional()
  private async notifyReopen(noticeId: string, collegeId: string): Promise<void> {
    await this.outbox.enqueue('notifications', 'notifications.pilot-event', { tenantId: collegeId, event: 'notice-reopened', subjectId: noticeId });
  }

  /** R-APP-4: the three mandatory criteria are always there; a notice may add more. */
  private criteria(custom: ReviewCriterion[] | undefined): ReviewCriterion[] {
    if (!custom) return MANDATORY_REVIEW_CRITERIA;
    const codes = new Set(custom.map((c) => c.code));
    const missing = MANDATORY_REVIEW_CRITERIA.filter((c) => !codes.has(c.code)).map((c) => c.code);
    if (missing.length) throw new AppException(PilotErrors.MISSING_REVIEW_CRITERIA, { codes: missing.join('、') });
    if (codes.size !== custom.length) throw new AppException(PilotErrors.MISSING_REVIEW_CRITERIA, { codes: '（重复的指标代码）' });
    return custom.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn }));
  }
}
