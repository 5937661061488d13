import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../../../config/app-config';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** E-mail over SMTP (nodemailer), configured by SMTP_* (config/app-config.ts). No SMTP_HOST: e-mail is off. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private transport?: Transporter;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return !!this.config.SMTP_HOST;
  }

  private get transporter(): Transporter {
    this.transport ??= createTransport({
      host: this.config.SMTP_HOST,
      port: this.config.SMTP_PORT,
      secure: this.config.SMTP_SECURE,
      auth: this.config.SMTP_USER ? { user: this.config.SMTP_USER, pass: this.config.SMTP_PASSWORD ?? '' } : undefined,
      // a local catcher or an internal relay may offer STARTTLS with a self-signed certificate
      tls: { rejectUnauthorized: this.config.isProduction },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    return this.transport;
  }

  /** Throws when the server refuses or cannot be reached: the job retries with backoff. */
  async send(mail: OutgoingMail): Promise<void> {
    if (!this.enabled) throw new Error('e-mail is not configured (SMTP_HOST)');
    await this.transporter.sendMail({ from: this.config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    this.logger.debug(`mail sent to ${maskEmail(mail.to)}`);
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

/** z***@example.com: enough to tell addresses apart in a log, not to write to them. */
export function maskEmail(address: string): string {
  const at = address.indexOf('@');
  return at <= 0 ? '***' : `${address[0]}***${address.slice(at)}`;
}
