import type { Clock } from '../../core/clock.js';
import type { ConsumeRequest, ConsumeResult, CounterStore, ReserveSlotRequest, ReserveSlotResult } from '../../rate-limit/store.js';

interface Entry {
  count: number;
  expiresAt: number;
}

/** Options for {@link createMemoryCounterStore}. */
export interface MemoryCounterStoreOptions {
  clock: Clock;
  /** How often, in milliseconds of real time, expired entries are swept. Default 10 000. */
  sweepIntervalMs?: number;
}

/**
 * The in-memory counters implementation for a single process. Every operation runs
 * synchronously inside one event-loop turn, which makes it atomic. Expired entries are
 * ignored on read and swept periodically.
 */
export function createMemoryCounterStore(options: MemoryCounterStoreOptions): CounterStore {
  const { clock } = options;
  const entries = new Map<string, Entry>();
  const sweep = setInterval(() => {
    const now = clock.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, options.sweepIntervalMs ?? 10_000);
  sweep.unref();

  function live(key: string, now: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function consumeSync(req: ConsumeRequest): ConsumeResult {
    const now = clock.now();
    const cost = req.cost ?? 1;
    const windowIndex = Math.floor(now / req.windowMs);
    const windowEnd = (windowIndex + 1) * req.windowMs;
    const currentKey = `${req.key}:${windowIndex}`;
    const current = live(currentKey, now);
    const currentCount = current?.count ?? 0;
    let used = currentCount;
    if (req.algorithm === 'sliding') {
      const previous = live(`${req.key}:${windowIndex - 1}`, now);
      const overlap = (windowEnd - now) / req.windowMs;
      used += Math.floor((previous?.count ?? 0) * overlap);
    }
    const resetMs = Math.max(1, windowEnd - now);
    if (used + cost > req.limit) return { allowed: false, remaining: 0, resetMs };
    if (current) current.count += cost;
    // The sliding algorithm reads the previous window, so keep each window for two lengths.
    else entries.set(currentKey, { count: cost, expiresAt: req.algorithm === 'sliding' ? windowEnd + req.windowMs : windowEnd });
    return { allowed: true, remaining: req.limit - used - cost, resetMs };
  }

  function reserveSlotSync(req: ReserveSlotRequest): ReserveSlotResult {
    const now = clock.now();
    const lock = live(req.lockKey, now);
    if (lock) return { reserved: false, lockedUntilMs: lock.expiresAt, lockedNow: false };
    let counter = live(req.key, now);
    if (counter) counter.count += 1;
    else entries.set(req.key, (counter = { count: 1, expiresAt: now + req.windowMs }));
    if (counter.count <= req.limit) return { reserved: true, count: counter.count, resetAtMs: counter.expiresAt };
    const lockedUntilMs = now + req.lockMs;
    entries.set(req.lockKey, { count: 1, expiresAt: lockedUntilMs });
    return { reserved: false, lockedUntilMs, lockedNow: true };
  }

  return {
    consume: (req) => Promise.resolve(consumeSync(req)),
    consumeNow: consumeSync,
    reserveSlot: (req) => Promise.resolve(reserveSlotSync(req)),
    decrement(key, by = 1) {
      const entry = live(key, clock.now());
      if (!entry) return Promise.resolve(0);
      entry.count = Math.max(0, entry.count - by);
      return Promise.resolve(entry.count);
    },
    increment(key, windowMs, by = 1) {
      const now = clock.now();
      const entry = live(key, now);
      if (entry) {
        entry.count += by;
        return Promise.resolve({ count: entry.count, resetAtMs: entry.expiresAt });
      }
      const created = { count: by, expiresAt: now + windowMs };
      entries.set(key, created);
      return Promise.resolve({ count: by, resetAtMs: created.expiresAt });
    },
    get: (key) => Promise.resolve(live(key, clock.now())?.count ?? 0),
    setIfAbsent(key, ttlMs) {
      const now = clock.now();
      if (live(key, now)) return Promise.resolve(false);
      entries.set(key, { count: 1, expiresAt: now + ttlMs });
      return Promise.resolve(true);
    },
    delete(key) {
      entries.delete(key);
      return Promise.resolve();
    },
    ping: () => Promise.resolve(),
    close() {
      clearInterval(sweep);
      entries.clear();
      return Promise.resolve();
    },
  };
}
