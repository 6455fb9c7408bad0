import { Redis, type RedisOptions } from 'ioredis';
import type { Clock } from '../../core/clock.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { ConsumeRequest, ConsumeResult, CounterStore, ReserveSlotResult } from '../../rate-limit/store.js';

/** Options of {@link createRedisCounterStore}. */
export interface RedisCounterStoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  clock: Clock;
  /** Prepended to every key. Default `gatehouse:`. */
  keyPrefix?: string;
  /** Milliseconds a command may take before it fails (fail closed). Default 1000. */
  commandTimeoutMs?: number;
  logger?: Logger;
}

// Every script sets a TTL on any key it creates (or finds without one) in the same atomic step.
const CONSUME_FIXED = `
local limit = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current + cost > limit then return {0, current} end
local n = redis.call('INCRBY', KEYS[1], cost)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, n}`;

const CONSUME_SLIDING = `
local limit = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local used = math.floor(previous * tonumber(ARGV[4])) + current
if used + cost > limit then return {0, used} end
redis.call('INCRBY', KEYS[1], cost)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, used + cost}`;

// Counters made by increment and setIfAbsent are hashes {c = count, e = expiry in epoch ms by
// the injected clock}, like the memory store's entries: expiry follows the same clock as the
// rate-limit windows (and a test's manual clock), not the Redis server's. The key's TTL is
// only the clean-up: it outlives the logical expiry by a margin.
// increment: ARGV = by, now, expiresAt (if created now), ttlMs (if created now).
const INCREMENT = `
local raw = redis.call('HGET', KEYS[1], 'e')
if raw == false or tonumber(raw) <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'c', ARGV[1], 'e', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {tonumber(ARGV[1]), ARGV[3]}
end
local n = redis.call('HINCRBY', KEYS[1], 'c', ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return {n, raw}`;

// setIfAbsent: ARGV = now, expiresAt, ttlMs. Returns 1 if stored, 0 if a live entry exists.
const SET_IF_ABSENT = `
local raw = redis.call('HGET', KEYS[1], 'e')
if raw ~= false and tonumber(raw) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'c', '1', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// reserveSlot touches two keys in one script: under Redis Cluster they must share a hash slot,
// which callers get with a hash tag (`def:{id:…}:fail` / `def:{id:…}:lock`).
// reserveSlot: KEYS = counter, lock; ARGV = now, limit, counter expiresAt (if created now),
// counter ttlMs, lock expiresAt (if created now), lock ttlMs.
// Returns {reserved (1/0), expiresAt (counter's if reserved, else lock's), count or lockedNow}.
const RESERVE_SLOT = `
local now = tonumber(ARGV[1])
local lockExpiry = redis.call('HGET', KEYS[2], 'e')
if lockExpiry ~= false and tonumber(lockExpiry) > now then return {0, lockExpiry, 0} end
local raw = redis.call('HGET', KEYS[1], 'e')
local count
local expiry
if raw == false or tonumber(raw) <= now then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'c', '1', 'e', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  count = 1
  expiry = ARGV[3]
else
  count = redis.call('HINCRBY', KEYS[1], 'c', 1)
  if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
  expiry = raw
end
if count <= tonumber(ARGV[2]) then return {1, expiry, count} end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'c', '1', 'e', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return {0, ARGV[5], 1}`;

// decrement: ARGV = by, now. Never creates the key and never goes below 0.
const DECREMENT = `
local raw = redis.call('HGET', KEYS[1], 'e')
if raw == false or tonumber(raw) <= tonumber(ARGV[2]) then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'c', -tonumber(ARGV[1]))
if n < 0 then
  redis.call('HSET', KEYS[1], 'c', '0')
  n = 0
end
return n`;

interface ScriptedRedis extends Redis {
  ghConsumeFixed(key: string, limit: number, cost: number, ttlMs: number): Promise<[number, number]>;
  ghConsumeSliding(current: string, previous: string, limit: number, cost: number, ttlMs: number, weight: string): Promise<[number, number]>;
  ghIncrement(key: string, by: number, now: number, expiresAt: number, ttlMs: number): Promise<[number, string]>;
  ghSetIfAbsent(key: string, now: number, expiresAt: number, ttlMs: number): Promise<number>;
  ghReserveSlot(
    key: string,
    lockKey: string,
    now: number,
    limit: number,
    expiresAt: number,
    ttlMs: number,
    lockExpiresAt: number,
    lockTtlMs: number,
  ): Promise<[number, string, number]>;
  ghDecrement(key: string, by: number, now: number): Promise<number>;
}

/** Extra lifetime of a window key beyond its window, so clock skew between instances cannot expire it early. */
const TTL_MARGIN_MS = 1000;

/**
 * The Redis implementation of the counters port, for many instances. Each check is one
 * Lua script (atomic on the server); every key is namespaced by `keyPrefix` and carries a
 * TTL from the moment it exists. Commands are never queued while Redis is unreachable: they
 * fail at once (or after `commandTimeoutMs`) with `storage.unavailable`, so callers fail
 * closed, and the client reconnects by itself with backoff.
 *
 * Windows and counter expiries are computed from the injected clock (the key TTLs only clean
 * up, a margin later); instances should run NTP.
 *
 * @throws {GatehouseError} `storage.unavailable` from `connect` when Redis does not answer
 */
export async function createRedisCounterStore(options: RedisCounterStoreOptions): Promise<CounterStore> {
  const { clock } = options;
  const prefix = options.keyPrefix ?? 'gatehouse:';
  const logger = options.logger ?? silentLogger;
  const redisOptions: RedisOptions = {
    enableOfflineQueue: false,
    // Commands issued in the same event-loop turn go out in one write (and their replies come
    // back in one read): under load, one syscall pair per batch instead of per request.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: 2000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  };
  const redis = new Redis(options.url, redisOptions) as ScriptedRedis;
  let lastErrorLog = 0;
  redis.on('error', (err: Error) => {
    const now = clock.now();
    if (now - lastErrorLog > 5000) {
      lastErrorLog = now;
      logger.warn({ err: { message: err.message } }, 'redis counters: connection error; reconnecting');
    }
  });
  redis.defineCommand('ghConsumeFixed', { numberOfKeys: 1, lua: CONSUME_FIXED });
  redis.defineCommand('ghConsumeSliding', { numberOfKeys: 2, lua: CONSUME_SLIDING });
  redis.defineCommand('ghIncrement', { numberOfKeys: 1, lua: INCREMENT });
  redis.defineCommand('ghSetIfAbsent', { numberOfKeys: 1, lua: SET_IF_ABSENT });
  redis.defineCommand('ghReserveSlot', { numberOfKeys: 2, lua: RESERVE_SLOT });
  redis.defineCommand('ghDecrement', { numberOfKeys: 1, lua: DECREMENT });

  const guard = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new GatehouseError('storage.unavailable', { detail: `counters.${operation} failed`, cause: err });
    }
  };

  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new GatehouseError('storage.unavailable', { detail: 'counters: cannot connect to redis', cause: err });
  }

  async function consume(req: ConsumeRequest): Promise<ConsumeResult> {
    const now = clock.now();
    const cost = req.cost ?? 1;
    const windowIndex = Math.floor(now / req.windowMs);
    const windowEnd = (windowIndex + 1) * req.windowMs;
    const resetMs = Math.max(1, windowEnd - now);
    const key = `${prefix}${req.key}:${windowIndex}`;
    if (req.algorithm === 'sliding') {
      const weight = ((windowEnd - now) / req.windowMs).toFixed(6);
      const [allowed, used] = await guard('consume', () =>
        redis.ghConsumeSliding(key, `${prefix}${req.key}:${windowIndex - 1}`, req.limit, cost, resetMs + req.windowMs + TTL_MARGIN_MS, weight),
      );
      return allowed === 1 ? { allowed: true, remaining: Math.max(0, req.limit - used), resetMs } : { allowed: false, remaining: 0, resetMs };
    }
    const [allowed, count] = await guard('consume', () => redis.ghConsumeFixed(key, req.limit, cost, resetMs + TTL_MARGIN_MS));
    return allowed === 1 ? { allowed: true, remaining: Math.max(0, req.limit - count), resetMs } : { allowed: false, remaining: 0, resetMs };
  }

  return {
    consume,
    async increment(key, windowMs, by = 1) {
      const now = clock.now();
      const [count, expiresAt] = await guard('increment', () => redis.ghIncrement(prefix + key, by, now, now + windowMs, windowMs + TTL_MARGIN_MS));
      return { count: Number(count), resetAtMs: Number(expiresAt) };
    },
    async get(key) {
      const [count, expiresAt] = await guard('get', () => redis.hmget(prefix + key, 'c', 'e'));
      return !count || !expiresAt || Number(expiresAt) <= clock.now() ? 0 : Number(count);
    },
    async setIfAbsent(key, ttlMs) {
      const now = clock.now();
      const stored = await guard('setIfAbsent', () => redis.ghSetIfAbsent(prefix + key, now, now + ttlMs, ttlMs + TTL_MARGIN_MS));
      return stored === 1;
    },
    async delete(key) {
      await guard('delete', () => redis.del(prefix + key));
    },
    async reserveSlot(req): Promise<ReserveSlotResult> {
      const now = clock.now();
      const [reserved, expiresAt, n] = await guard('reserveSlot', () =>
        redis.ghReserveSlot(prefix + req.key, prefix + req.lockKey, now, req.limit, now + req.windowMs, req.windowMs + TTL_MARGIN_MS, now + req.lockMs, req.lockMs + TTL_MARGIN_MS),
      );
      return reserved === 1
        ? { reserved: true, count: Number(n), resetAtMs: Number(expiresAt) }
        : { reserved: false, lockedUntilMs: Number(expiresAt), lockedNow: Number(n) === 1 };
    },
    async decrement(key, by = 1) {
      const n = await guard('decrement', () => redis.ghDecrement(prefix + key, by, clock.now()));
      return Number(n);
    },
    async ping() {
      await guard('ping', () => redis.ping());
    },
    async close() {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
