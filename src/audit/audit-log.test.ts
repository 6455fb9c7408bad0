import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import type { AuthEventInput } from '../core/events.js';
import { VERSION } from '../version.js';
import { REDACTED, REDACTED_FIELDS, createAuditLog, createMemoryAuditLog } from './audit-log.js';

const T0 = Date.UTC(2026, 0, 1, 12, 30, 45, 123);

const verifyEvent: AuthEventInput = {
  type: 'api_key.verify',
  outcome: 'success',
  reason: 'ok',
  severity: 'info',
  credential: { kind: 'api_key', id: 'key_01KDZZZZZZZZZZZZZZZZZZZZZZ', prefix: 'gk_live_AbCd1234' },
};

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Flushes (which resolves only once every line is written) and reads the file's lines. */
async function readLines(log: { flush(): Promise<void> }, file: string): Promise<string[]> {
  await log.flush();
  expect(existsSync(file)).toBe(true);
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.split('\n').filter((l) => l !== '');
}

describe('createAuditLog (JSON Lines file)', () => {
  it('creates the file readable by its owner only (events hold addresses and user ids)', async () => {
    const file = join(dir, 'private.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    log.emit(verifyEvent);
    await readLines(log, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes one JSON object per line, starting with the schema', async () => {
    const file = join(dir, 'nested', 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0), instance: 'node-1' });
    log.emit(verifyEvent);
    log.emit({ ...verifyEvent, outcome: 'failure', reason: 'revoked', severity: 'low' });
    const lines = await readLines(log, file);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.startsWith('{"schema":"gatehouse.event/1",')).toBe(true);

    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toEqual({
      schema: 'gatehouse.event/1',
      id: expect.stringMatching(/^evt_[0-9a-f]{12}_[0-9a-z]{8}$/),
      ts: '2026-01-01T12:30:45.123Z',
      ...verifyEvent,
      service: { name: 'gatehouse', version: VERSION, instance: 'node-1' },
    });
    expect(second).toMatchObject({ outcome: 'failure', reason: 'revoked', service: { instance: 'node-1' } });
    expect(second!.id).not.toBe(first!.id);
  });

  it('adds no logger fields (level, time, pid, hostname, msg)', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    log.emit(verifyEvent);
    const [line] = await readLines(log, file);
    const parsed = JSON.parse(line!) as Record<string, unknown>;
    for (const field of ['level', 'time', 'pid', 'hostname', 'msg']) expect(parsed).not.toHaveProperty(field);
    expect(parsed).toHaveProperty('id');
    expect(parsed).toHaveProperty('ts');
    expect(parsed).toHaveProperty('type', 'api_key.verify');
    expect(parsed).toHaveProperty('outcome', 'success');
    expect(parsed).toHaveProperty('service');
  });

  it('appends to an existing file', async () => {
    const file = join(dir, 'audit.log');
    const first = createAuditLog({ destination: file, clock: createManualClock(T0) });
    first.emit(verifyEvent);
    await readLines(first, file);
    const second = createAuditLog({ destination: file, clock: createManualClock(T0) });
    second.emit({ ...verifyEvent, reason: 'second' });
    const lines = await readLines(second, file);
    expect(lines.map((l) => (JSON.parse(l) as { reason: string }).reason)).toEqual(['ok', 'second']);
  });

  it('redacts secret-named fields in details as a second guard', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    log.emit({
      ...verifyEvent,
      details: {
        key: 'gk_live_THIS_MUST_NOT_APPEAR_1',
        token: 'THIS_MUST_NOT_APPEAR_2',
        password: 'THIS_MUST_NOT_APPEAR_3',
        secret: 'THIS_MUST_NOT_APPEAR_4',
        hash: 'THIS_MUST_NOT_APPEAR_5',
        authorization: 'Bearer THIS_MUST_NOT_APPEAR_6',
        refresh_token: 'THIS_MUST_NOT_APPEAR_7',
        kept: 'visible',
      },
    });
    const [line] = await readLines(log, file);
    expect(line).not.toContain('THIS_MUST_NOT_APPEAR');
    const parsed = JSON.parse(line!) as { details: Record<string, unknown> };
    expect(parsed.details).toEqual({
      key: '[REDACTED]',
      token: '[REDACTED]',
      password: '[REDACTED]',
      secret: '[REDACTED]',
      hash: '[REDACTED]',
      authorization: '[REDACTED]',
      refresh_token: '[REDACTED]',
      kept: 'visible',
    });
  });

  it('redacts what a class instance or a toJSON method would reveal, and passes clean plain details unchanged', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    class Leaky {
      toJSON() {
        return { password: 'TOJSON_SECRET' };
      }
    }
    log.emit({ ...verifyEvent, details: { wrapped: new Leaky(), direct: { toJSON: () => ({ token: 'TOJSON_SECRET_2' }) } } } as unknown as AuthEventInput);
    log.emit({ ...verifyEvent, details: { scope: ['a', 'b'], audience: ['https://api.example.com'], nested: { n: 1, flag: true, none: null } } } as unknown as AuthEventInput);
    const [leaky, clean] = await readLines(log, file);
    expect(leaky).not.toContain('TOJSON_SECRET');
    expect(JSON.parse(clean!)).toMatchObject({ details: { scope: ['a', 'b'], audience: ['https://api.example.com'], nested: { n: 1, flag: true, none: null } } });
  });

  it('redacts nested and differently-cased secret names in details', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    log.emit({
      ...verifyEvent,
      details: { Authorization: 'Bearer NESTED_SECRET_1', nested: { Token: 'NESTED_SECRET_2', list: [{ password: 'NESTED_SECRET_3' }] } },
    } as unknown as AuthEventInput);
    const [line] = await readLines(log, file);
    expect(line).not.toContain('NESTED_SECRET');
    expect(JSON.parse(line!)).toMatchObject({
      details: { Authorization: REDACTED, nested: { Token: REDACTED, list: [{ password: REDACTED }] } },
    });
  });

  it('writes only the documented members: an unknown top-level field is dropped', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    log.emit({ ...verifyEvent, password: 'TOP_LEVEL_SECRET' } as AuthEventInput);
    const [line] = await readLines(log, file);
    expect(line).not.toContain('TOP_LEVEL_SECRET');
    expect(line).not.toContain('password');
  });

  it('keeps strings that need escaping valid JSON', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0) });
    log.emit({ ...verifyEvent, source: { user_agent: 'a "quoted"\nagent\u2028' }, details: { note: '\\"}{' } });
    const [line] = await readLines(log, file);
    expect(JSON.parse(line!)).toMatchObject({ source: { user_agent: 'a "quoted"\nagent\u2028' }, details: { note: '\\"}{' } });
  });

  it('lists the credential-bearing names it redacts', () => {
    expect(REDACTED).toBe('[REDACTED]');
    for (const name of ['key', 'token', 'password', 'secret', 'hash', 'authorization', 'cookie', 'pepper']) {
      expect(REDACTED_FIELDS.has(name), name).toBe(true);
    }
  });
});

describe('createMemoryAuditLog', () => {
  it('fills schema, id, ts and service, and keeps events in order', () => {
    const clock = createManualClock(T0);
    const log = createMemoryAuditLog({ clock, instance: 'mem' });
    log.emit(verifyEvent);
    clock.advance(1);
    log.emit({ ...verifyEvent, reason: 'later' });
    expect(log.events.map((e) => [e.schema, e.ts, e.reason, e.service.instance])).toEqual([
      ['gatehouse.event/1', '2026-01-01T12:30:45.123Z', 'ok', 'mem'],
      ['gatehouse.event/1', '2026-01-01T12:30:45.124Z', 'later', 'mem'],
    ]);
    expect(new Set(log.events.map((e) => e.id)).size).toBe(2);
  });

  it('does not let a caller override the envelope fields, which stay first', () => {
    const log = createMemoryAuditLog({ clock: createManualClock(T0), instance: 'mem' });
    log.emit({ ...verifyEvent, service: { name: 'evil' }, schema: 'x', id: 'evt_forged', ts: 'then' } as unknown as AuthEventInput);
    const event = log.events[0]!;
    expect(event.service).toEqual({ name: 'gatehouse', version: VERSION, instance: 'mem' });
    expect([event.schema, event.ts]).toEqual(['gatehouse.event/1', '2026-01-01T12:30:45.123Z']);
    expect(event.id).toMatch(/^evt_[0-9a-f]{12}_[0-9a-z]{8}$/);
    expect(Object.keys(event).slice(0, 3)).toEqual(['schema', 'id', 'ts']);
  });
});

describe('createAuditLog envelope', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-envelope-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes its own schema, id and ts whatever members the input carries', async () => {
    const file = join(dir, 'audit.log');
    const log = createAuditLog({ destination: file, clock: createManualClock(T0), instance: 'file' });
    log.emit({ ...verifyEvent, schema: 'x', id: 'evt_forged', ts: 'then", "injected": "1' } as unknown as AuthEventInput);
    const [line] = await readLines(log, file);
    const event = JSON.parse(line!) as Record<string, unknown>;
    expect([event.schema, event.ts, event.injected]).toEqual(['gatehouse.event/1', '2026-01-01T12:30:45.123Z', undefined]);
    expect(event.id).toMatch(/^evt_[0-9a-f]{12}_[0-9a-z]{8}$/);
  });
});
