import { join, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { Logger } from '../core/logger.js';
import { createConsoleMailSender } from './console.js';
import { createFileMailSender } from './file.js';
import { createSmtpMailSender } from './smtp.js';
import type { MailSender } from './types.js';

export type { MailMessage, MailSender } from './types.js';
export { createConsoleMailSender } from './console.js';
export { createFileMailSender } from './file.js';
export { createSmtpMailSender, MailDeliveryError } from './smtp.js';

/** The file sender's outbox: `mail.file.path`, or `<dataDir>/mail/outbox.jsonl`. */
export function mailOutboxPath(config: Pick<GatehouseConfig, 'mail' | 'dataDir'>): string {
  return config.mail.file.path !== undefined ? resolve(config.dataDir, config.mail.file.path) : join(config.dataDir, 'mail', 'outbox.jsonl');
}

/**
 * The sender chosen by `mail.transport`.
 *
 * @example const mail = createMailSender(config, { clock: systemClock, logger });
 */
export function createMailSender(config: Pick<GatehouseConfig, 'mail' | 'dataDir'>, deps: { clock: Clock; logger: Logger }): MailSender {
  switch (config.mail.transport) {
    case 'smtp':
      return createSmtpMailSender({ smtp: config.mail.smtp, from: config.mail.from });
    case 'console':
      return createConsoleMailSender({ from: config.mail.from, logger: deps.logger });
    case 'file':
      return createFileMailSender({ path: mailOutboxPath(config), from: config.mail.from, clock: deps.clock, logger: deps.logger });
  }
}
