/**
 * Invariant: audit events are never lost silently. When the audit destination fails (disk
 * full, file gone, closed pipe) or cannot keep up, the events that cannot be written are
 * dropped (an auth decision must never wait for, or fail because of, the audit log), but the
 * operational log says so: the destination's error (its message only) and the first dropped
 * event at once, then at most one warning per 10 s with the running count, so an operator
 * learns that the audit trail has a gap and how large it is without a flood of log lines.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../core/clock.js';
import type { AuthEventInput } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { createGatehouse } from '../gatehouse.js';
import { createAuditLog } from './audit-log.js';

const event: AuthEventInput = {
  type: 'api_key.verify',
  outcome: 'success',
  reason: 'ok',
  severity: 'info',
  credential: { kind: 'api_key', id: 'key_01KDZZZZZZZZZZZZZZZZZZZZZZ', prefix: 'gk_live_AbCd1234' },
};

interface Entry {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const at = (level: Entry['level']) => (obj: object, msg?: string) => entries.push({ level, obj: obj as Record<string, unknown>, msg });
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

const warnings = (logger: { entries: Entry[] }) => logger.entries.filter((e) => e.level === 'warn');
const errors = (logger: { entries: Entry[] }) => logger.entries.filter((e) => e.level === 'error');

afterEach(() => {
  vi.useRealTimers();
});

describe('dropped audit events are reported', () => {
  it('a failing destination (/dev/full): the error and the first drop at once, then one warning per 10 s with the count', async () => {
    // Only timeouts are faked: the writer's setImmediate and the file I/O stay real. The audit
    // log's clock and the timers move together.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = createManualClock();
    const advance = (ms: number) => {
      clock.advance(ms);
      vi.advanceTimersByTime(ms);
    };
    const logger = recordingLogger();
    const log = createAuditLog({ destination: '/dev/full', clock, logger });

    log.emit(event);
    log.emit(event);
    await vi.waitFor(() => expect(errors(logger)).toHaveLength(1));
    const [failure] = errors(logger);
    expect(failure!.obj).toEqual({ err: { message: expect.stringContaining('ENOSPC') }, destination: '/dev/full' });
    expect(warnings(logger)).toHaveLength(1);
    expect(warnings(logger)[0]!.obj).toMatchObject({ dropped: 2 });

    // Everything after the failure is dropped and counted, but not reported line by line.
    for (let i = 0; i < 500; i++) log.emit(event);
    advance(9_000);
    expect(warnings(logger)).toHaveLength(1);
    advance(1_000);
    expect(warnings(logger)).toHaveLength(2);
    expect(warnings(logger)[1]!.obj).toMatchObject({ dropped: 502 });

    // Quiet while nothing more is dropped; the next drop after the interval is reported at once.
    advance(60_000);
    expect(warnings(logger)).toHaveLength(2);
    log.emit(event);
    expect(warnings(logger)).toHaveLength(3);
    expect(warnings(logger)[2]!.obj).toMatchObject({ dropped: 503 });

    // A drop not yet reported when the log is closed (at shutdown) is reported then.
    log.emit(event);
    expect(warnings(logger)).toHaveLength(3);
    await log.flush();
    expect(warnings(logger)).toHaveLength(4);
    expect(warnings(logger)[3]!.obj).toMatchObject({ dropped: 504 });
    expect(errors(logger)).toHaveLength(1);
    expect(logger.entries.some((e) => JSON.stringify(e).includes('gk_live_AbCd1234'))).toBe(false);
  });

  it('createGatehouse passes its operational logger to the audit log', async () => {
    const logger = recordingLogger();
    const gatehouse = await createGatehouse({ config: { database: { url: 'sqlite::memory:' }, audit: { destination: '/dev/full' } }, logger });
    try {
      await gatehouse.apiKeys.create({ name: 'x' });
      await gatehouse.audit.flush();
      await vi.waitFor(() => expect(errors(logger).some((e) => e.msg?.includes('audit'))).toBe(true));
      await vi.waitFor(() => expect(warnings(logger).some((e) => typeof e.obj.dropped === 'number')).toBe(true));
    } finally {
      await gatehouse.close();
    }
  });
});
