import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

interface CaughtMail {
  at: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo's mail catcher (issue 13): an SMTP server (npm smtp-server, loaded only here)
 * that keeps what the app sends in memory, and a tiny HTTP page that shows it — with the
 * SMS the logging SmsSender "sent" in this process. Nothing leaves the machine.
 */
export class DemoMailbox {
  private readonly mails: CaughtMail[] = [];

  /** `smsSent`: the SMS the logging SmsSender kept (wired by src/demo.ts, the composition root). */
  constructor(private readonly smsSent: () => readonly { phone: string; text: string; at: Date }[] = () => []) {}

  private smtp?: { close(cb: () => void): void };
  private http?: Server;
  smtpPort = 0;
  httpPort = 0;

  async start(smtpPort: number, httpPort: number): Promise<void> {
    const { SMTPServer } = await import('smtp-server');
    const { simpleParser } = await import('mailparser').catch(() => ({ simpleParser: undefined }));
    const mails = this.mails;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 2 * 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          const parsed = simpleParser ? await simpleParser(raw).catch(() => undefined) : undefined;
          mails.push({
            at: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed?.subject ?? '',
            text: parsed?.text ?? raw.toString('utf8'),
          });
          if (mails.length > 500) mails.shift();
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(smtpPort, '127.0.0.1', () => resolve());
    });
    this.smtp = server;
    this.smtpPort = (server.server.address() as AddressInfo).port;

    this.http = createServer((req, res) => {
      if (req.url?.startsWith('/messages.json')) {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ mail: [...this.mails].reverse(), sms: this.sms() }, null, 2));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(this.page());
    });
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(httpPort, '127.0.0.1', () => resolve());
    });
    this.httpPort = (this.http.address() as AddressInfo).port;
  }

  private sms() {
    return [...this.smsSent()].reverse().map((m) => ({ at: m.at.toISOString(), to: m.phone, text: m.text }));
  }

  private page(): string {
    const mail = [...this.mails].reverse();
    const sms = this.sms();
    return `<!doctype html><meta charset="utf-8"><title>演示邮箱 demo mailbox</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}pre{white-space:pre-wrap}small{color:#666}</style>
<h1>演示邮箱 · demo mailbox</h1><p><small>本页每次打开显示最新内容；JSON: <a href="/messages.json">/messages.json</a></small></p>
<h2>邮件 e-mail (${mail.length})</h2>${mail.map((m) => `<article><b>${esc(m.subject)}</b><br><small>${esc(m.at)} · 收件人 ${esc(m.to.join(', '))}</small><pre>${esc(m.text)}</pre></article>`).join('') || '<p>暂无邮件</p>'}
<h2>短信 SMS (${sms.length})</h2>${sms.map((m) => `<article><small>${esc(m.at)} · ${esc(m.to)}</small><pre>${esc(m.text)}</pre></article>`).join('') || '<p>暂无短信</p>'}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.smtp ? this.smtp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
  }
}
