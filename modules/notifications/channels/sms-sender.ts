import { Injectable, Logger } from '@nestjs/common';

/** Where SMS go. The platform has no provider yet: bind another implementation to SMS_SENDER when one is chosen. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

/** 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/**
 * The default SmsSender: writes a log line instead of sending (no provider configured).
 * The number is masked. The text is logged, because until a provider exists the log is the
 * only way an operator (or the demo) can read a code; the last few are kept in memory for
 * the demo mailbox and the tests.
 */
@Injectable()
export class LoggingSmsSender implements SmsSender {
  private readonly logger = new Logger('SMS');
  private static readonly recent: { phone: string; text: string; at: Date }[] = [];

  async send(phone: string, text: string): Promise<void> {
    this.logger.log(`SMS (no provider configured) to ${maskPhone(phone)}: ${text}`);
    LoggingSmsSender.recent.push({ phone, text, at: new Date() });
    if (LoggingSmsSender.recent.length > 50) LoggingSmsSender.recent.shift();
  }

  /** The messages "sent" most recently in this process, newest last (demo and tests only). */
  static sentMessages(): readonly { phone: string; text: string; at: Date }[] {
    return LoggingSmsSender.recent;
  }
}
