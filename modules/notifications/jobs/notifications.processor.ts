import { Processor } from '@nestjs/bullmq';
import { JobHandlers, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { DeliveryService } from '../delivery.service';
import { PilotEventNotifier } from '../pilot-event.notifier';

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
