import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../../core/clock.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { CounterStore } from '../../rate-limit/store.js';
import { runCounterStoreConformance } from '../conformance/counters.suite.js';
import { createRedisCounterStore } from './redis.js';

/**
 * Redis runner of the CounterStore conformance suite, plus what only Redis has: TTLs on every
 * key, namespacing, failing closed while Redis is unreachable and recovering by itself.
 * Every store gets its own random keyPrefix (vitest runs files in parallel); its keys are
 * deleted afterwards.
 */
const url = process.env.GATEHOUSE_TEST_REDIS_URL;
const skipReason = 'skipped: GATEHOUSE_TEST_REDIS_URL is not set';
if (!url) console.warn(`Redis counter store tests ${skipReason}`);

/** The fault tests start (and kill) their own redis-server on a free port. */
const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (url && !hasRedisServer) console.warn('Redis counter store fault tests skipped: redis-server is not on PATH');

const START = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

const randomPrefix = () => `gh_test_${randomBytes(6).toString('hex')}:`;

/** Every key under `prefix`, by SCAN (never KEYS). */
async function keysWith(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  const keys = await keysWith(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}

/** Resolves with the rejection of `promise`, or fails the test if it takes longer than `ms`. */
async function rejectionWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise.then(() => new Error('resolved, expected a rejection'), (err: unknown) => err), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function expectUnavailable(err: unknown): void {
  expect(err).toBeInstanceOf(GatehouseError);
  expect((err as GatehouseError).code).toBe('storage.unavailable');
  expect((err as GatehouseError).status).toBe(503);
}

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `redis-server` on `port` and resolves once it answers PING. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      try {
        if (probe.status !== 'ready') await probe.connect();
        await probe.ping();
        return child;
      } catch (err) {
        probe.disconnect();
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    probe.disconnect();
  }
}

async function stopRedisServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

if (url) {
  const admin = new Redis(url, { lazyConnect: true });
  const prefixes: string[] = [];
  afterAll(async () => {
    if (admin.status === 'wait') await admin.connect();
    for (const prefix of prefixes) await deleteKeys(admin, prefix);
    await admin.quit();
  });

  runCounterStoreConformance('redis', async (clock) => {
    const keyPrefix = randomPrefix();
    prefixes.push(keyPrefix);
    return createRedisCounterStore({ url, clock, keyPrefix });
  });
}

describe.skipIf(!url)(url ? 'Redis counter store' : `Redis counter store (${skipReason})`, () => {
  /** A separate client for looking at (and cleaning up) what the stores wrote. */
  let admin: Redis;
  const prefixes: string[] = [];

  beforeAll(() => {
    admin = new Redis(url!);
  });
  const stores: CounterStore[] = [];

  async function open(options: { keyPrefix?: string; clock?: ReturnType<typeof createManualClock> } = {}): Promise<{ store: CounterStore; prefix: string }> {
    const prefix = options.keyPrefix ?? randomPrefix();
    prefixes.push(prefix);
    const store = await createRedisCounterStore({ url: url!, clock: options.clock ?? createManualClock(START), keyPrefix: prefix });
    stores.push(store);
    return { store, prefix };
  }

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const prefix of prefixes.splice(0)) await deleteKeys(admin, prefix);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('gives every key it creates a TTL (consume fixed and sliding, increment, setIfAbsent)', async () => {
    const { store, prefix } = await open();
    await store.consume({ key: 'rl:fixed', limit: 5, windowMs: MINUTE });
    await store.consume({ key: 'rl:sliding', limit: 5, windowMs: MINUTE, algorithm: 'sliding' });
    await store.increment('fail:alice', 10_000);
    await store.increment('fail:alice', 10_000, 3);
    await store.setIfAbsent('jti:abc', 5_000);
    await store.setIfAbsent('jti:abc', 5_000);
    const keys = await keysWith(admin, prefix);
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      const pttl = await admin.pttl(key);
      expect(pttl, key).toBeGreaterThan(0);
    }
    // Each TTL is bounded by its window (plus a small margin for clock skew between instances).
    for (const key of keys) expect(await admin.pttl(key), key).toBeLessThanOrEqual(2 * MINUTE + 2_000);
  });

  it('gives the counter and the lock of reserveSlot a TTL, and decrement creates no key', async () => {
    const { store, prefix } = await open();
    const req = { key: 'def:{id:x}:fail', lockKey: 'def:{id:x}:lock', limit: 1, windowMs: MINUTE, lockMs: 15 * MINUTE };
    await store.reserveSlot(req);
    await store.reserveSlot(req);
    expect(await store.decrement('def:{id:absent}:fail')).toBe(0);
    const keys = (await keysWith(admin, prefix)).sort();
    expect(keys).toEqual([`${prefix}def:{id:x}:fail`, `${prefix}def:{id:x}:lock`]);
    expect(await admin.pttl(`${prefix}def:{id:x}:fail`)).toBeGreaterThan(0);
    expect(await admin.pttl(`${prefix}def:{id:x}:fail`)).toBeLessThanOrEqual(MINUTE + 2_000);
    expect(await admin.pttl(`${prefix}def:{id:x}:lock`)).toBeGreaterThan(MINUTE);
    expect(await admin.pttl(`${prefix}def:{id:x}:lock`)).toBeLessThanOrEqual(15 * MINUTE + 2_000);
  });

  it('reserves atomically across two stores (instances) sharing a prefix: exactly `limit` of 100', async () => {
    const clock = createManualClock(START);
    const prefix = randomPrefix();
    const a = await open({ clock, keyPrefix: prefix });
    const b = await open({ clock, keyPrefix: prefix });
    const req = { key: 'def:{id:y}:fail', lockKey: 'def:{id:y}:lock', limit: 10, windowMs: MINUTE, lockMs: 15 * MINUTE };
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a.store : b.store).reserveSlot(req)));
    expect(results.filter((r) => r.reserved)).toHaveLength(10);
    expect(results.filter((r) => !r.reserved && r.lockedNow)).toHaveLength(1);
  });

  it('namespaces every key by keyPrefix and keeps two prefixes apart', async () => {
    const clock = createManualClock(START);
    const one = await open({ clock });
    const two = await open({ clock });
    await one.store.consume({ key: 'shared', limit: 1, windowMs: MINUTE });
    await one.store.increment('count', 10_000, 4);
    await one.store.setIfAbsent('once', 5_000);
    expect((await keysWith(admin, one.prefix)).length).toBe(3);
    expect(await keysWith(admin, two.prefix)).toEqual([]);
    // The same logical keys under the other prefix are untouched.
    expect((await two.store.consume({ key: 'shared', limit: 1, windowMs: MINUTE })).allowed).toBe(true);
    expect(await two.store.get('count')).toBe(0);
    expect(await two.store.setIfAbsent('once', 5_000)).toBe(true);
    for (const key of await keysWith(admin, one.prefix)) expect(key.startsWith(one.prefix)).toBe(true);
  });

  it('uses `gatehouse:` as the default prefix', async () => {
    const clock = createManualClock(START);
    const store = await createRedisCounterStore({ url: url!, clock });
    stores.push(store);
    const key = `gh_test_default_${randomBytes(6).toString('hex')}`;
    prefixes.push(`gatehouse:${key}`);
    await store.setIfAbsent(key, 5_000);
    expect(await admin.exists(`gatehouse:${key}`)).toBe(1);
  });

  it('rejects creation with storage.unavailable when nothing listens at the address', async () => {
    const port = await freePort();
    const err = await rejectionWithin(createRedisCounterStore({ url: `redis://127.0.0.1:${port}`, clock: systemClock, keyPrefix: randomPrefix() }), 5_000);
    expectUnavailable(err);
  });

  it('counts atomically across two stores (instances) sharing a prefix', async () => {
    const clock = createManualClock(START);
    const prefix = randomPrefix();
    const a = await open({ clock, keyPrefix: prefix });
    const b = await open({ clock, keyPrefix: prefix });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a.store : b.store).consume({ key: 'rl:shared', limit: 30, windowMs: MINUTE })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(30);
  });

  describe.skipIf(!hasRedisServer)(
    hasRedisServer ? 'against its own redis-server, when the connection or the server goes away' : 'faults (skipped: redis-server is not on PATH)',
    () => {
      let server: ChildProcess | undefined;
      let port: number;

      beforeAll(async () => {
        port = await freePort();
        server = await startRedisServer(port);
      });

      afterAll(async () => {
        await stopRedisServer(server);
      });

      it('fails closed at once when its connection is killed, then works again by itself', async () => {
        const store = await createRedisCounterStore({ url: `redis://127.0.0.1:${port}`, clock: createManualClock(START), keyPrefix: randomPrefix() });
        stores.push(store);
        expect((await store.consume({ key: 'rl:k', limit: 10, windowMs: MINUTE })).allowed).toBe(true);
        // Our own server: killing every normal connection touches no other test file.
        const killer = new Redis({ port, host: '127.0.0.1' });
        try {
          expect(Number(await killer.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'))).toBeGreaterThanOrEqual(1);
        } finally {
          killer.disconnect();
        }
        // The killed connection cannot carry a command: the next one is refused at once, not queued.
        expectUnavailable(await rejectionWithin(store.consume({ key: 'rl:k', limit: 10, windowMs: MINUTE }), 2_000));
        // Back by itself within the reconnect backoff, with the count kept on the server.
        await expect
          .poll(async () => (await store.consume({ key: 'rl:k', limit: 10, windowMs: MINUTE }).catch(() => null))?.remaining, { timeout: 10_000, interval: 50 })
          .toBe(8);
      });

      it('fails closed while its server is down and recovers by itself when it returns, without being recreated', async () => {
        const clock = createManualClock(START);
        const store = await createRedisCounterStore({ url: `redis://127.0.0.1:${port}`, clock, keyPrefix: randomPrefix(), commandTimeoutMs: 500 });
        stores.push(store);
        expect((await store.consume({ key: 'rl:down', limit: 10, windowMs: MINUTE })).allowed).toBe(true);

        await stopRedisServer(server);
        const started = Date.now();
        expectUnavailable(await rejectionWithin(store.consume({ key: 'rl:down', limit: 10, windowMs: MINUTE }), 3_000));
        expect(Date.now() - started).toBeLessThan(3_000);
        expectUnavailable(await rejectionWithin(store.ping(), 3_000));
        expectUnavailable(await rejectionWithin(store.increment('fail:x', 10_000), 3_000));
        expectUnavailable(await rejectionWithin(store.setIfAbsent('jti:x', 10_000), 3_000));
        expectUnavailable(await rejectionWithin(store.get('fail:x'), 3_000));
        expectUnavailable(await rejectionWithin(store.delete('fail:x'), 3_000));
        expectUnavailable(await rejectionWithin(store.reserveSlot({ key: 'fail:z', lockKey: 'lock:z', limit: 1, windowMs: MINUTE, lockMs: MINUTE }), 3_000));
        expectUnavailable(await rejectionWithin(store.decrement('fail:z'), 3_000));

        server = await startRedisServer(port);
        // The client reconnects with backoff (at most 2 s between attempts).
        await expect
          .poll(async () => (await store.consume({ key: 'rl:up', limit: 10, windowMs: MINUTE }).catch(() => null))?.allowed, { timeout: 10_000, interval: 100 })
          .toBe(true);
        await expect(store.ping()).resolves.toBeUndefined();
        // A fresh server has an empty script cache: the Lua scripts must load again by themselves.
        expect(await store.increment('fail:y', 10_000)).toEqual({ count: 1, resetAtMs: START + 10_000 });
        expect(await store.setIfAbsent('jti:y', 10_000)).toBe(true);
      });
    },
  );
});
