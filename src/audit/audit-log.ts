import { randomBytes } from 'node:crypto';
import pino, { type DestinationStream } from 'pino';
import type { Clock } from '../core/clock.js';
import type { AuditLog, AuthEvent, AuthEventInput } from '../core/events.js';
import { VERSION } from '../version.js';

/**
 * Field names that must never carry a value in an event. Events are built from ids only;
 * this list is a second guard in case a future caller slips a secret into `details`.
 */
export const REDACTED_PATHS = [
  'key', '*.key', 'password', '*.password', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'cookie', '*.cookie', 'hash', '*.hash',
  'access_token', '*.access_token', 'refresh_token', '*.refresh_token', 'client_secret', '*.client_secret',
];

/** Options for {@link createAuditLog}. */
export interface AuditLogOptions {
  /** `stdout`, `stderr`, or a file path appended to. */
  destination: string;
  clock: Clock;
  /** Instance name in `service.instance`. Default: a random per-process id. */
  instance?: string;
}

function makeEventIds(): () => string {
  const processPart = randomBytes(6).toString('hex');
  let counter = 0;
  return () => `evt_${processPart}_${(++counter).toString(36).padStart(8, '0')}`;
}

/**
 * An audit log writing JSON Lines through pino (asynchronous, buffered), with a redaction
 * list as a second guard against secrets.
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const stream: DestinationStream & { flushSync?: () => void } =
    options.destination === 'stdout'
      ? pino.destination({ dest: 1, sync: false })
      : options.destination === 'stderr'
        ? pino.destination({ dest: 2, sync: false })
        : pino.destination({ dest: options.destination, sync: false, mkdir: true, append: true });
  const logger = pino(
    {
      base: undefined,
      timestamp: false,
      // pino always writes its level formatter's output first; use that slot for `schema`.
      formatters: { level: () => ({ schema: 'gatehouse.event/1' }) },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    },
    stream,
  );
  return buildAuditLog(options, ({ schema: _schema, ...event }) => logger.info(event), async () => {
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  });
}

/**
 * An audit log keeping events in memory, for tests and for embedding callers that route
 * events elsewhere. `events` is the live array.
 */
export function createMemoryAuditLog(options: { clock: Clock; instance?: string }): AuditLog & { events: AuthEvent[] } {
  const events: AuthEvent[] = [];
  const log = buildAuditLog(options, (event) => events.push(event), () => Promise.resolve());
  return Object.assign(log, { events });
}

function buildAuditLog(
  options: { clock: Clock; instance?: string },
  write: (event: AuthEvent) => void,
  flush: () => Promise<void>,
): AuditLog {
  const nextId = makeEventIds();
  const service = { name: 'gatehouse' as const, version: VERSION, instance: options.instance ?? `gh-${randomBytes(4).toString('hex')}` };
  return {
    emit(input: AuthEventInput): void {
      const event: AuthEvent = {
        schema: 'gatehouse.event/1',
        id: nextId(),
        ts: new Date(options.clock.now()).toISOString(),
        ...input,
        service,
      };
      try {
        write(event);
      } catch {
        // An audit write failure must not turn into an auth decision; pino reports its own stream errors.
      }
    },
    flush,
  };
}
