import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { MailMessage, MailSender } from './types.js';

/** Options of {@link createFileMailSender}. */
export interface FileMailSenderOptions {
  /** The outbox file (created with mode 0600, its directory with 0700). */
  path: string;
  /** The From header recorded with each message. */
  from: string;
  clock: Clock;
  /** Gets one line per message, "mail written to <path>", never the body. */
  logger: Logger;
}

/**
 * A sender that appends each message as one JSON line
 * `{"date","from","to","subject","text","html"?}` to a file: the default, for development
 * and tests (read the links from the outbox). The file is private (0600) because bodies hold
 * live single-use links. Writes are serialised, so lines never interleave.
 *
 * @example
 * const mail = createFileMailSender({ path: './data/mail/outbox.jsonl', from: 'Gatehouse <no-reply@localhost>', clock: systemClock, logger });
 */
export function createFileMailSender(options: FileMailSenderOptions): MailSender {
  let queue: Promise<void> = Promise.resolve();
  let prepared = false;
  const append = async (line: string): Promise<void> => {
    if (!prepared) {
      await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
    }
    const handle = await open(options.path, 'a', 0o600);
    try {
      if (!prepared) {
        // The creation mode is filtered by the umask, and an existing file keeps its mode.
        await chmod(options.path, 0o600);
        prepared = true;
      }
      await handle.appendFile(line, 'utf8');
    } finally {
      await handle.close();
    }
  };
  return {
    send(message: MailMessage) {
      const line = `${JSON.stringify({
        date: new Date(options.clock.now()).toISOString(),
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
      })}\n`;
      const written = queue.then(() => append(line));
      queue = written.catch(() => undefined);
      return written.then(() => options.logger.info({ path: options.path }, `mail written to ${options.path}`));
    },
    close: () => queue,
  };
}
