import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../../../src/audit/audit-log.js';
import { createManualClock } from '../../../src/core/clock.js';
import { loadConfig } from '../../../src/core/config/load.js';
import { GatehouseError } from '../../../src/core/errors/gatehouse-error.js';
import { createGatehouse, type Gatehouse } from '../../../src/gatehouse.js';
import { buildServer } from '../../../src/http/server.js';
import type { CounterStore } from '../../../src/rate-limit/store.js';
import { createMemoryCounterStore } from '../../../src/storage/counters/memory.js';
import { CHEAP_ARGON2, GOOD_PASSWORD, postLogin } from '../../helpers/defense.js';
import { PROBLEM_JSON } from '../../helpers/server.js';

/**
 * Invariant: when the counters store cannot be reached, login fails closed: 503 with
 * `storage.unavailable` and `Retry-After`, for the right password too, and no session or
 * device cookie is issued; no attempt is ever evaluated uncounted. It works again as soon as
 * the counters answer.
 */
describe('POST /auth/login fails closed when the counters are down', () => {
  let dir: string;
  let gatehouse: Gatehouse;
  let app: FastifyInstance;
  let url: string;
  let down = false;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-defense-http-'));
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const base = createMemoryCounterStore({ clock });
    const failing = <K extends 'reserveSlot' | 'decrement'>(op: K): CounterStore[K] =>
      ((...args: Parameters<CounterStore[K]>) =>
        down ? Promise.reject(new GatehouseError('storage.unavailable', { detail: `counters.${op} failed` })) : (base[op] as (...a: unknown[]) => unknown)(...args)) as CounterStore[K];
    const counters: CounterStore = { ...base, reserveSlot: failing('reserveSlot'), decrement: failing('decrement') };
    const config = loadConfig({ env: {}, cwd: dir, overrides: { dataDir: dir, database: { url: 'sqlite::memory:' }, server: { port: 0 }, accounts: { argon2: CHEAP_ARGON2 }, sessions: { cookie: { secure: true } }, apiKeys: { bootstrapAdminKey: false } } });
    gatehouse = await createGatehouse({ config, clock, counters, audit: createMemoryAuditLog({ clock }) });
    app = await buildServer({ gatehouse });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await gatehouse.accounts.create({ email: 'alice@example.com', password: GOOD_PASSWORD });
  });

  afterEach(async () => {
    await app.close();
    await gatehouse.close();
    rmSync(dir, { recursive: true, force: true });
    down = false;
  });

  it('answers 503 for the right password while the counters are down, and 200 once they are back', async () => {
    down = true;
    const refused = await postLogin({ url }, 'alice@example.com', GOOD_PASSWORD);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'storage.unavailable' });
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(refused.text).not.toContain('alice');
    down = false;
    const ok = await postLogin({ url }, 'alice@example.com', GOOD_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.deviceCookie).toMatch(/^v1\./);
  });
});
