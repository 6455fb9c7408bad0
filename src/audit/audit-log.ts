import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { AuditLog, AuthEvent, AuthEventInput } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { VERSION } from '../version.js';
import { LineWriter } from './line-writer.js';
import { serializeEventLine } from './serialize.js';

export { REDACTED, REDACTED_FIELDS } from './serialize.js';

/** Options for {@link createAuditLog}. */
export interface AuditLogOptions {
  /** `stdout`, `stderr`, or a file path appended to. */
  destination: string;
  clock: Clock;
  /** Instance name in `service.instance`. Default: a random per-process id. */
  instance?: string;
  /**
   * Operational logger, told when the destination fails and when events are dropped (the
   * first at once, then at most one warning per 10 s with the running count). Default: silent.
   */
  logger?: Logger;
}

function makeEventIds(): () => string {
  const processPart = randomBytes(6).toString('hex');
  let counter = 0;
  return () => `evt_${processPart}_${(++counter).toString(36).padStart(8, '0')}`;
}

/**
 * The production audit log: one JSON line per event (`docs/events.md`), serialised with
 * cached fragments for immutable parts and written in batches (every 10 ms or 64 KiB),
 * so emitting never waits on I/O. Fields named like secrets inside `details` are redacted
 * as a second guard.
 *
 * @example
 * const audit = createAuditLog({ destination: '/var/log/gatehouse/events.jsonl', clock: systemClock, logger });
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const writer = LineWriter.open(options.destination, { clock: options.clock, ...(options.logger ? { logger: options.logger } : {}) });
  return buildAuditLog(options, (id, ts, input, service) => writer.write(serializeEventLine(id, ts, input, service)), () => writer.close());
}

/**
 * An audit log keeping events in memory, for tests and for embedding callers that route
 * events elsewhere. `events` is the live array.
 */
export function createMemoryAuditLog(options: { clock: Clock; instance?: string }): AuditLog & { events: AuthEvent[] } {
  const events: AuthEvent[] = [];
  const log = buildAuditLog(options, (id, ts, input, service) => events.push(Object.assign({ schema: 'gatehouse.event/1', id, ts }, input, { schema: 'gatehouse.event/1', id, ts, service }) as AuthEvent), () => Promise.resolve());
  return Object.assign(log, { events });
}

/** Receives each event as its parts; the file log serialises them without building the event object. */
type EventSink = (id: string, ts: string, input: AuthEventInput, service: AuthEvent['service']) => void;

function buildAuditLog(options: { clock: Clock; instance?: string }, write: EventSink, flush: () => Promise<void>): AuditLog {
  const nextId = makeEventIds();
  const service = Object.freeze({ name: 'gatehouse' as const, version: VERSION, instance: options.instance ?? `gh-${randomBytes(4).toString('hex')}` });
  let lastMs = Number.NaN;
  let lastTs = '';
  return {
    emit(input: AuthEventInput): void {
      const now = options.clock.now();
      if (now !== lastMs) {
        lastMs = now;
        lastTs = new Date(now).toISOString();
      }
      try {
        write(nextId(), lastTs, input, service);
      } catch {
        // An audit failure must not turn into an auth decision.
      }
    },
    flush,
  };
}
