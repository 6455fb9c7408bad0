/** One e-mail message. Bodies may hold single-use links: never log them. */
export interface MailMessage {
  /** One recipient address. */
  to: string;
  subject: string;
  /** The plain-text body. */
  text: string;
  /** An optional HTML alternative of the same content. */
  html?: string;
}

/**
 * The port through which Gatehouse sends e-mail (verification and password-reset links).
 * Implementations: `createFileMailSender` (the default: a JSON-lines outbox),
 * `createConsoleMailSender` (development) and `createSmtpMailSender` (nodemailer).
 */
export interface MailSender {
  /**
   * Sends (or, for the file and console senders, records) one message. Rejects when it could
   * not be handed over; the rejection's message never contains the body.
   */
  send(message: MailMessage): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
