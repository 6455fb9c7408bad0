import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../helpers/gatehouse-process.js';
import { call, PROBLEM_JSON, type TestResponse } from '../helpers/server.js';
import { dropSchema, freePort, pollUntil, randomRedisPrefix, randomSchemaName, redisServerProcess, skipReason, TEST_DATABASE_URL, type RedisServerProcess } from '../helpers/services.js';

/*
 * Redis outage: this suite runs its own redis-server on a free port, kills it (SIGKILL, a
 * crash) under a running Gatehouse (PostgreSQL storage, Redis counters, in this process so
 * its memory can be measured), and brings it back on the same port.
 */

const skip = skipReason('Redis fault tests', { database: true, redis: true, redisServer: true });

/** A forced full collection when V8 allows it (flags set at run time); otherwise a no-op. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function heapAfterGc(gc: (() => void) | undefined): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Runs `total` calls of `fn` with at most `concurrency` in flight. */
async function burst<T>(total: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

describe.skipIf(skip !== undefined)('Redis goes down and comes back', () => {
  const databaseUrl = TEST_DATABASE_URL!;
  const schema = randomSchemaName();
  const prefix = randomRedisPrefix();
  let redis: RedisServerProcess | undefined;
  let server: InProcessServer | undefined;
  let key: string;
  let adminKey: string;

  beforeAll(async () => {
    redis = redisServerProcess(await freePort());
    await redis.start();
    server = await startInProcessServer({
      database: { url: databaseUrl, schema, poolSize: 4 },
      redis: { url: redis.url, keyPrefix: prefix, commandTimeoutMs: 1000 },
    });
    key = (await server.gatehouse.apiKeys.create({ name: 'client', scopes: ['read'], rateLimit: { limit: 1_000_000, windowSeconds: 60 } })).key;
    adminKey = (await server.gatehouse.apiKeys.create({ name: 'admin', scopes: ['admin'], rateLimit: { limit: 1_000_000, windowSeconds: 60 } })).key;
  }, 60_000);

  afterAll(async () => {
    try {
      await server?.close();
    } finally {
      await redis?.kill();
      await dropSchema(databaseUrl, schema);
    }
  }, 30_000);

  async function timed(path: string, options: Parameters<typeof call>[2] = {}): Promise<TestResponse & { ms: number }> {
    const t0 = performance.now();
    const res = await call(server!, path, options);
    return { ...res, ms: performance.now() - t0 };
  }

  function expectUnavailable(res: TestResponse & { ms: number }): void {
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.json.code).toBe('storage.unavailable');
    expect(res.json.status).toBe(503);
    // Fails closed quickly: within the 1 s command timeout plus slack, never hanging.
    expect(res.ms).toBeLessThan(2500);
  }

  it('fails closed with 503 while Redis is down, does not grow its heap, and recovers by itself', async () => {
    expect((await call(server!, '/v1/whoami', { key })).status).toBe(200);
    expect((await call(server!, '/readyz')).json.checks).toEqual({ storage: 'ok', counters: 'ok' });

    await redis!.kill();

    // Right after the crash and afterwards: 503 problem+json, never 200 or 500.
    for (let i = 0; i < 5; i++) expectUnavailable(await timed('/v1/whoami', { key }));
    const ready = await timed('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(ready.json.checks).toEqual({ storage: 'ok', counters: 'unavailable' });
    expect(ready.ms).toBeLessThan(2500);
    // The process is up.
    expect((await call(server!, '/healthz')).status).toBe(200);
    // Management needs only PostgreSQL, but its admin key's rate limit lives in Redis: it
    // fails closed too.
    expectUnavailable(await timed('/v1/keys', { key: adminKey, body: { name: 'x' } }));

    // 2,000 requests during the outage: all 503, bounded time each, no memory growth. A
    // warm-up burst first, so one-time allocations (JIT, connection pools) are not counted.
    const whoami = async () => {
      const start = performance.now();
      const res = await fetch(`${server!.url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - start };
    };
    const warmUp = await burst(500, 20, whoami);
    expect(warmUp.every((o) => o.status === 503)).toBe(true);
    const gc = exposeGc();
    const before = heapAfterGc(gc);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const outcomes = await burst(2000, 20, whoami);
    const elapsed = performance.now() - t0;
    const after = heapAfterGc(gc);
    const rssAfter = process.memoryUsage().rss;
    const statuses = new Map<number, number>();
    for (const o of outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    console.log(
      `Redis down: 2000 requests in ${elapsed.toFixed(0)} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))}, slowest ${slowest.toFixed(1)} ms; ` +
        `heapUsed ${((after - before) / 1048576).toFixed(2)} MB${gc ? ' (after gc)' : ' (no gc available)'}, rss ${((rssAfter - rssBefore) / 1048576).toFixed(2)} MB`,
    );
    expect(statuses.get(503)).toBe(2000);
    expect(slowest).toBeLessThan(2500);
    expect(after - before).toBeLessThan((gc ? 10 : 50) * 1048576);
    expect(rssAfter - rssBefore).toBeLessThan(100 * 1048576);

    // Back on the same port: recovers without a restart of Gatehouse.
    await redis!.start();
    const back = await pollUntil(() => call(server!, '/v1/whoami', { key }).then((r) => r.status), (s) => s === 200, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'whoami 200 after Redis returned',
    });
    console.log(`Redis back: whoami 200 again after ${back.elapsedMs.toFixed(0)} ms`);
    const readyAgain = await pollUntil(() => call(server!, '/readyz'), (r) => r.status === 200, { timeoutMs: 10_000, intervalMs: 100, what: 'readyz 200' });
    expect(readyAgain.value.json.checks).toEqual({ storage: 'ok', counters: 'ok' });
    expect((await call(server!, '/v1/keys', { key: adminKey, body: { name: 'after' } })).status).toBe(201);
    // Rate limiting works again on the fresh (empty) Redis.
    const limited = await server!.gatehouse.apiKeys.create({ name: 'limited', rateLimit: { limit: 2, windowSeconds: 3600 } });
    const statusesAfter: number[] = [];
    for (let i = 0; i < 3; i++) statusesAfter.push((await call(server!, '/v1/whoami', { key: limited.key })).status);
    expect(statusesAfter).toEqual([200, 200, 429]);
  }, 90_000);

  it('a second outage, this time a clean shutdown, behaves the same', async () => {
    expect((await call(server!, '/v1/whoami', { key })).status).toBe(200);
    await redis!.kill('SIGTERM');
    expectUnavailable(await timed('/v1/whoami', { key }));
    expect((await call(server!, '/readyz')).status).toBe(503);
    await redis!.start();
    await pollUntil(() => call(server!, '/v1/whoami', { key }).then((r) => r.status), (s) => s === 200, { timeoutMs: 10_000, intervalMs: 100, what: 'whoami 200 after Redis returned' });
    expect((await call(server!, '/readyz')).status).toBe(200);
  }, 60_000);

  it('a frozen Redis (SIGSTOP: connected, never answering) fails closed within the 1 s command timeout, then recovers on SIGCONT', async () => {
    expect((await call(server!, '/v1/whoami', { key })).status).toBe(200);
    redis!.signal('SIGSTOP');
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => timed('/v1/whoami', { key })));
      for (const res of results) {
        expectUnavailable(res);
        // It did wait for the timeout: the connection looked healthy.
        expect(res.ms).toBeGreaterThanOrEqual(900);
      }
      const ready = await timed('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json.checks).toEqual({ storage: 'ok', counters: 'unavailable' });
      expect(ready.ms).toBeLessThan(2500);
      console.log(`Redis frozen: 20 parallel whoami all 503 in ${Math.min(...results.map((r) => r.ms)).toFixed(0)}–${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms`);
    } finally {
      redis!.signal('SIGCONT');
    }
    await pollUntil(() => call(server!, '/v1/whoami', { key }).then((r) => r.status), (s) => s === 200, { timeoutMs: 10_000, intervalMs: 100, what: 'whoami 200 after SIGCONT' });
    expect((await call(server!, '/readyz')).status).toBe(200);
  }, 60_000);
});
