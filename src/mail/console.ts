import type { Logger } from '../core/logger.js';
import type { MailMessage, MailSender } from './types.js';

/** Options of {@link createConsoleMailSender}. */
export interface ConsoleMailSenderOptions {
  from: string;
  /** Where messages are printed. Default: `process.stderr`. */
  stream?: { write(text: string): unknown };
  /** Warned once at creation that message bodies (live links) go to the console. */
  logger: Logger;
}

/**
 * A development sender that prints each message, headers and body, to stderr. Bodies hold
 * live single-use links, so never use it where stderr is collected.
 *
 * @example const mail = createConsoleMailSender({ from: 'Gatehouse <no-reply@localhost>', logger });
 */
export function createConsoleMailSender(options: ConsoleMailSenderOptions): MailSender {
  const stream = options.stream ?? process.stderr;
  options.logger.warn({ transport: 'console' }, 'mail.transport is "console": e-mails, with their single-use links, are printed to stderr (development only)');
  return {
    send(message: MailMessage) {
      stream.write(`--- mail ---\nFrom: ${options.from}\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n--- end of mail ---\n`);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
