import { Processor } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobHandlers, JobPayload, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { Transactional } from '@nestjs-cls/transactional';
import { pilotEventMessage } from '../domain/pilot-events';
import { DeliveryRepository } from '../delivery.repository';
import { DeliveryService } from '../delivery.service';
import { NotificationsService } from '../notifications.service';

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

/** The notifications queue: deliveries, direct messages, pilot events and the daily digest. */
@Processor(QUEUES.notifications, { concurrency: 4 })
export class NotificationsProcessor extends TenantJobProcessor<'notifications'> {
  constructor(
    tenantContext: TenantContext,
    private readonly delivery: DeliveryService,
    private readonly pilotEvents: PilotEventNotifier,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'notifications'> {
    return {
      'notifications.deliver': (p) => this.delivery.deliver(p.notificationId),
      'notifications.send-direct': (p) => this.delivery.deliverDirect(p.messageId),
      'notifications.pilot-event': (p) => this.pilotEvents.handle(p),
      'notifications.digest': () => this.delivery.sendDigests(),
    };
  }
}
