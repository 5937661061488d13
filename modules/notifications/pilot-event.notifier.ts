import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import type { JobPayload } from '../../src/queue';
import { pilotEventMessage } from './domain/pilot-events';
import { DeliveryRepository } from './delivery.repository';
import { NotificationsService } from './notifications.service';

/** Issue 12's pilot events → an inbox notification for each college admin of that college. */
@Injectable()
export class PilotEventNotifier {
  constructor(
    private readonly repository: DeliveryRepository,
    private readonly notifications: NotificationsService,
  ) {}

  @Transactional()
  async handle(p: JobPayload<'notifications.pilot-event'>): Promise<{ created: number }> {
    const admins = await this.repository.activeCollegeAdmins(p.tenantId);
    const message = pilotEventMessage(p.event, p.subjectId);
    return this.notifications.notify({
      tenantId: p.tenantId,
      recipientUserIds: admins,
      kind: 'pilot-event',
      ...message,
      dedupeKey: `pilot-event:${p.event}:${p.subjectId}`,
    });
  }
}

