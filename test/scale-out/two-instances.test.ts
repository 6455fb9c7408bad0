import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyWithCli, startServerProcess, type ServerProcess } from '../helpers/gatehouse-process.js';
import { call, PROBLEM_JSON } from '../helpers/server.js';
import {
  deleteRedisPrefix,
  dropSchema,
  pollUntil,
  redisKeysWithTtl,
  randomRedisPrefix,
  randomSchemaName,
  skipReason,
  sleep,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from '../helpers/services.js';

/*
 * Two real `gatehouse start` processes on different ports over one PostgreSQL schema and one
 * Redis key prefix, as behind a load balancer. Each caches verified keys in process
 * (apiKeys.cache, max age 1 s, invalidated by LISTEN/NOTIFY); the documented bound for a
 * revocation or rotation to reach every instance is one second, and this suite measures it.
 */

const skip = skipReason('two-instance scale-out tests', { database: true, redis: true });
/** The documented bound for a change to reach every instance. */
const PROPAGATION_BOUND_MS = 1000;
const POLL_MS = 20;
const ROUNDS = 5;

describe.skipIf(skip !== undefined)('two instances over one PostgreSQL and one Redis', () => {
  const databaseUrl = TEST_DATABASE_URL!;
  const redisUrl = TEST_REDIS_URL!;
  const schema = randomSchemaName();
  const prefix = randomRedisPrefix();
  let dir: string;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;
  let adminKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-scale-'));
    env = {
      GATEHOUSE_DATABASE_URL: databaseUrl,
      GATEHOUSE_DATABASE_SCHEMA: schema,
      GATEHOUSE_REDIS_URL: redisUrl,
      GATEHOUSE_REDIS_KEY_PREFIX: prefix,
      GATEHOUSE_DATA_DIR: join(dir, 'data'),
      GATEHOUSE_AUDIT_DESTINATION: join(dir, 'audit.log'),
      GATEHOUSE_BOOTSTRAP_ADMIN_KEY: 'false',
      GATEHOUSE_LOG_LEVEL: 'warn',
    };
    // Both start at once on an empty schema: one migrates, the other waits for it.
    const started = await Promise.allSettled([startServerProcess({ cwd: dir, env }), startServerProcess({ cwd: dir, env })]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    [a, b] = servers as [ServerProcess, ServerProcess];
    expect(a.port).not.toBe(b.port);
    adminKey = (await createKeyWithCli({ cwd: dir, env, name: 'admin', scopes: ['admin', 'keys:verify'], rateLimit: '1000000/60' })).key;
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.cli.stop(5000)));
    try {
      await dropSchema(databaseUrl, schema);
      await deleteRedisPrefix(redisUrl, prefix);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  async function createKey(on: ServerProcess, body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
    const res = await call(on, '/v1/keys', { key: adminKey, body: { name: 'k', scopes: ['read'], ...body } });
    expect(res.status, res.text).toBe(201);
    return { id: res.json.id as string, key: res.json.key as string };
  }

  /** Polls `on` with `key` every 20 ms from now until it answers 401; bounded by the documented second. */
  async function timeUntilRefused(on: ServerProcess, key: string): Promise<{ elapsedMs: number; attempts: number }> {
    const { elapsedMs, attempts } = await pollUntil(() => call(on, '/v1/whoami', { key }).then((r) => r.status), (status) => status === 401, {
      timeoutMs: PROPAGATION_BOUND_MS,
      intervalMs: POLL_MS,
      what: `401 from instance B within the documented ${PROPAGATION_BOUND_MS} ms`,
    });
    return { elapsedMs, attempts };
  }

  function summary(label: string, samples: Array<{ elapsedMs: number; attempts: number }>): string {
    const ms = samples.map((s) => s.elapsedMs.toFixed(1)).join(', ');
    const first = samples.filter((s) => s.attempts === 1).length;
    return `${label} reached instance B after [${ms}] ms (max ${Math.max(...samples.map((s) => s.elapsedMs)).toFixed(1)} ms; refused on the very next request in ${first}/${samples.length} rounds; bound ${PROPAGATION_BOUND_MS} ms)`;
  }

  it('both instances are ready and report PostgreSQL and Redis', async () => {
    for (const s of [a, b]) {
      const ready = await call(s, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.json.checks).toEqual({ storage: 'ok', counters: 'ok' });
      expect(s.cli.stdout()).toContain(`(schema ${schema})`);
      expect(s.cli.stdout()).toContain('counters: Redis at');
    }
  });

  it('a key created through A verifies through B, and one created through B through A', async () => {
    const fromA = await createKey(a, { name: 'made-on-a', scopes: ['orders:read'] });
    const whoB = await call(b, '/v1/whoami', { key: fromA.key });
    expect(whoB.status, whoB.text).toBe(200);
    expect(whoB.json.id).toBe(fromA.id);
    expect(whoB.json.scopes).toEqual(['orders:read']);

    const fromB = await createKey(b, { name: 'made-on-b' });
    const whoA = await call(a, '/v1/whoami', { key: fromB.key });
    expect(whoA.status).toBe(200);
    expect(whoA.json.id).toBe(fromB.id);
    // Management reads are shared too.
    expect((await call(b, `/v1/keys/${fromA.id}`, { key: adminKey })).json.name).toBe('made-on-a');
  });

  it(`a key revoked through A is refused by B within ${PROPAGATION_BOUND_MS} ms, though B had it cached`, async () => {
    const samples: Array<{ elapsedMs: number; attempts: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { id, key } = await createKey(a);
      // B verifies it (and caches it), just before the revocation.
      expect((await call(b, '/v1/whoami', { key })).status).toBe(200);
      expect((await call(b, '/v1/whoami', { key })).status).toBe(200);
      const revoked = await call(a, `/v1/keys/${id}`, { method: 'DELETE', key: adminKey });
      expect(revoked.status, revoked.text).toBe(200);
      expect(revoked.json.revoked_at).not.toBeNull();
      samples.push(await timeUntilRefused(b, key));
      // Refused for good: a 401 with the same body as any invalid key.
      const after = await call(b, '/v1/whoami', { key });
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect((await call(a, '/v1/whoami', { key })).status).toBe(401);
    }
    console.log(summary('revocation', samples));
    for (const s of samples) expect(s.elapsedMs).toBeLessThan(PROPAGATION_BOUND_MS);
  }, 60_000);

  it(`a key rotated through A with grace_period_seconds 0 is refused by B within ${PROPAGATION_BOUND_MS} ms; its successor verifies on B`, async () => {
    const samples: Array<{ elapsedMs: number; attempts: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { id, key } = await createKey(a, { scopes: ['deploy'] });
      expect((await call(b, '/v1/whoami', { key })).status).toBe(200);
      expect((await call(b, '/v1/whoami', { key })).status).toBe(200);
      const rotated = await call(a, `/v1/keys/${id}/rotate`, { key: adminKey, body: { grace_period_seconds: 0 } });
      expect(rotated.status, rotated.text).toBe(201);
      samples.push(await timeUntilRefused(b, key));
      const successor = await call(b, '/v1/whoami', { key: rotated.json.key });
      expect(successor.status).toBe(200);
      expect(successor.json.id).toBe(rotated.json.id);
      expect(successor.json.scopes).toEqual(['deploy']);
      expect((await call(a, '/v1/whoami', { key })).status).toBe(401);
    }
    console.log(summary('rotation (grace 0)', samples));
    for (const s of samples) expect(s.elapsedMs).toBeLessThan(PROPAGATION_BOUND_MS);
  }, 60_000);

  it('a per-key limit of N admits exactly N of 3N parallel requests split across both instances', async () => {
    const N = 50;
    const WINDOW_MS = 60_000;
    const { key } = await createKey(a, { rate_limit: { limit: N, window_seconds: WINDOW_MS / 1000 } });
    // Windows are aligned to multiples of 60 s since the epoch: keep the burst inside one.
    const left = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (left < 10_000) await sleep(left + 100);
    const windowBefore = Math.floor(Date.now() / WINDOW_MS);
    const responses = await Promise.all(
      Array.from({ length: 3 * N }, (_, i) =>
        call(i % 2 === 0 ? a : b, '/v1/whoami', { key }).then((r) => ({ instance: i % 2 === 0 ? 'A' : 'B', status: r.status, headers: r.headers })),
      ),
    );
    const windowAfter = Math.floor(Date.now() / WINDOW_MS);
    expect(windowAfter, 'the burst straddled a window boundary').toBe(windowBefore);

    const count = (status: number, instance?: string) => responses.filter((r) => r.status === status && (instance === undefined || r.instance === instance)).length;
    console.log(`rate limit N=${N}: ${count(200)} admitted (A ${count(200, 'A')}, B ${count(200, 'B')}), ${count(429)} refused of ${3 * N}`);
    expect(count(200)).toBe(N);
    expect(count(429)).toBe(2 * N);
    // Both instances admitted some: the counter is shared, not per instance.
    expect(count(200, 'A')).toBeGreaterThan(0);
    expect(count(200, 'B')).toBeGreaterThan(0);
    const refused = responses.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe(`"api_key";q=${N};w=60`);
    // Afterwards, still refused on both.
    expect((await call(a, '/v1/whoami', { key })).status).toBe(429);
    expect((await call(b, '/v1/whoami', { key })).status).toBe(429);
    // Every counter lives under this test's prefix, with a TTL.
    const stored = await redisKeysWithTtl(redisUrl, prefix);
    expect(stored.length).toBeGreaterThan(0);
    for (const { key: name, pttl } of stored) {
      expect(name.startsWith(prefix)).toBe(true);
      expect(pttl, name).toBeGreaterThan(0);
      expect(pttl, name).toBeLessThanOrEqual(WINDOW_MS + 1000);
    }
  }, 60_000);
});
