import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server inside the test process (npm smtp-server): the app's nodemailer talks
 * SMTP to it over a socket, and each message that arrives is parsed (mailparser), so a test
 * asserts what a person would receive — subject and body decoded, in Chinese.
 */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  /** the next N messages are refused with a 451 (a mail server having a bad moment) */
  rejectNext = 0;
  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(): Promise<MailCatcher> {
    let catcher: MailCatcher | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        if (catcher!.rejectNext > 0) {
          catcher!.rejectNext -= 1;
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })));
          return;
        }
        simpleParser(stream)
          .then((mail) => {
            catcher!.messages.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    catcher = new MailCatcher(server, (server.server.address() as AddressInfo).port);
    return catcher;
  }

  /** Points the app's configuration at this server (call before the app boots). */
  useForApp(): void {
    process.env.SMTP_HOST = '127.0.0.1';
    process.env.SMTP_PORT = String(this.port);
    process.env.SMTP_SECURE = 'false';
  }

  to(address: string): CaughtMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()) || m.to.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What the worker's `notifications.send-direct` job does, run in this process for the newest
 * unsent message to `address`: e2e tests boot the API without a worker, and the token of an
 * invitation or a password reset now reaches only the invitee's mailbox or phone (issue 13).
 */
export async function sendDirectTo(
  app: import('@nestjs/common').INestApplication,
  provinceQuery: (sql: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
  address: string,
): Promise<void> {
  const { DeliveryService } = await import('../../modules/notifications');
  const { TenantContext } = await import('../../src/tenancy/tenant-context');
  const rows = await provinceQuery(`SELECT id, tenant_id FROM direct_messages WHERE address = $1 AND sent_at IS NULL ORDER BY created_at DESC LIMIT 1`, [address]);
  if (!rows.rows.length) throw new Error(`no direct message to ${address}`);
  const id = rows.rows[0].id as string;
  const tenantId = rows.rows[0].tenant_id as string | null;
  const context = app.get(TenantContext);
  const delivery = app.get(DeliveryService, { strict: false });
  // as the worker would at 10:00 China time of the clock's day: an invitation sent in quiet hours
  // (22:00–07:00) is held until morning, and a suite may run with the clock at 01:00 China time
  const { Clock, currentClock, resetClock, setClock } = await import('../../src/time/clock');
  const previous = setClock(Clock.fixed(new Date(`${currentClock().today()}T10:00:00+08:00`)));
  try {
    await (tenantId ? context.runAsTenant(tenantId, () => delivery.deliverDirect(id)) : context.runAsProvinceSystem(() => delivery.deliverDirect(id)));
  } finally {
    if (previous) setClock(previous);
    else resetClock();
  }
}
