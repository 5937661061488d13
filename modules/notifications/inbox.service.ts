import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { KIND_NAMES, NOTIFICATION_KINDS, NotificationKind } from './domain/kinds';
import { InboxQuery, MarkedReadView, NotificationPage, NotificationPreferenceList, NotificationPreferenceView, NotificationView, UnreadCountView, UpdatePreferenceDto } from './dto/notifications.dto';
import { NotificationErrors } from './notifications.errors';
import { InboxRow, NotificationsRepository } from './notifications.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toView(r: InboxRow): NotificationView {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    tenantId: r.tenantId,
    title: r.title,
    body: r.body,
    link: r.link,
    readAt: r.readAt ? new Date(r.readAt).toISOString() : null,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/**
 * The signed-in user's own inbox and preferences. RLS shows a user their own rows only,
 * for the college they act for (and province-level ones); anyone else's id answers 404.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
  ) {}

  private get userId(): string {
    return this.context.requireActor().userId;
  }

  @Transactional()
  async list(query: InboxQuery): Promise<NotificationPage> {
    const cursor = decodeCursor(query.cursor, 2) as [string, string] | undefined;
    if (cursor && (Number.isNaN(Date.parse(String(cursor[0]))) || !UUID.test(String(cursor[1])))) throw new AppException(PaginationErrors.BAD_CURSOR);
    const rows = await this.repository.inbox(this.userId, query.limit, query.unread === true, cursor);
    return toPage(rows, query.limit, (r) => [new Date(r.createdAt).toISOString(), r.id], toView);
  }

  @Transactional()
  async unreadCount(): Promise<UnreadCountView> {
    return { count: await this.repository.unreadCount(this.userId) };
  }

  @Transactional()
  async markRead(id: string): Promise<void> {
    if (!(await this.repository.markRead(this.userId, id))) throw new AppException(NotificationErrors.NOT_FOUND);
  }

  @Transactional()
  async markAllRead(): Promise<MarkedReadView> {
    return { marked: await this.repository.markAllRead(this.userId) };
  }

  @Transactional()
  async preferences(): Promise<NotificationPreferenceList> {
    const saved = new Map((await this.repository.preferencesOf(this.userId)).map((p) => [p.kind, p]));
    return {
      items: NOTIFICATION_KINDS.map((kind) => {
        const p = saved.get(kind);
        return { kind, name: KIND_NAMES[kind], inApp: p?.inApp ?? true, email: p?.email ?? 'immediate', sms: p?.sms ?? false };
      }),
    };
  }

  @Transactional()
  async setPreference(dto: UpdatePreferenceDto): Promise<NotificationPreferenceView> {
    const k = dto.kind;
    await this.repository.savePreference(this.userId, { kind: k, inApp: dto.inApp, email: dto.email, sms: dto.sms });
    // marking read is not audited: read_at is its own record, and the inbox is the user's own
    await this.audit.record({ entity: 'notification-preference', entityId: this.userId, action: 'update', after: { kind: k, inApp: dto.inApp, email: dto.email, sms: dto.sms } });
    return { kind: k, name: KIND_NAMES[k], inApp: dto.inApp, email: dto.email, sms: dto.sms };
  }
}
