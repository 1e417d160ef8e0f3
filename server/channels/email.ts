// E-mail through an SMTP server (nodemailer). Target: {type: "email", to: "a@b, c@d"}.
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Channel } from './index.js';

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  from: string;
}

export function emailChannel(smtp: SmtpSettings | null): Channel {
  if (!smtp) {
    return {
      async send() {
        throw new Error('未配置邮件服务器 (SMTP_URL is not set)');
      },
    };
  }
  const url = new URL(smtp.url);
  const domain = smtp.from.split('@').pop()?.replace(/[>\s]/g, '') || 'yishi.invalid';
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A stalled server must not hold a delivery for nodemailer's default ten minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message, target) {
      if (typeof target.to !== 'string' || !target.to) throw new Error('邮件渠道缺少收件人 to (email channel without "to")');
      // One Message-ID per delivery (its id hashed: ids hold characters a Message-ID may not): a copy
      // re-sent after a crash (accepted, not yet recorded) is the same message to the mail system.
      const local = crypto.createHash('sha256').update(message.id).digest('hex').slice(0, 32);
      await transport.sendMail({ from: smtp.from, to: target.to, subject: message.title, text: message.body, messageId: `<${local}@${domain}>` });
    },
  };
}
