import nodemailer from 'nodemailer';
import type { ConnectionOptions } from 'node:tls';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { MailMessage, MailSender } from './types.js';

/** Options of {@link createSmtpMailSender}. */
export interface SmtpMailSenderOptions {
  /** `config.mail.smtp`. */
  smtp: GatehouseConfig['mail']['smtp'];
  from: string;
  /** Extra TLS options (e.g. a private CA for a relay's certificate). */
  tls?: ConnectionOptions;
}

/** An SMTP delivery failure; its message holds only the failing step's code, never the body or a password. */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  readonly code: string;
  constructor(code: string, cause: unknown) {
    super(`SMTP delivery failed (${code})`, { cause });
    this.code = code;
  }
}

/**
 * A sender that delivers through an SMTP server with nodemailer: implicit TLS when
 * `secure`, otherwise STARTTLS (required unless `requireTls` is false), SMTP AUTH when a user
 * is set. One pooled connection is reused across messages.
 *
 * @example
 * const mail = createSmtpMailSender({ smtp: config.mail.smtp, from: config.mail.from });
 */
export function createSmtpMailSender(options: SmtpMailSenderOptions): MailSender {
  const { smtp } = options;
  const timeoutMs = smtp.connectionTimeoutSeconds * 1000;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.requireTls,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    pool: true,
    maxConnections: 1,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  return {
    async send(message: MailMessage) {
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
        });
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        throw new MailDeliveryError(typeof code === 'string' ? code : 'ESEND', err);
      }
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
