/**
 * The counters port: short-lived, expiring counters shared by everything that must be fast
 * and, with several instances, shared across them (rate-limit windows, failure counters,
 * lockouts, replay caches). Implementations: `storage/counters/memory.ts` (one process)
 * and, for many instances, a Redis one. Every implementation passes
 * `storage/conformance/counters.suite.ts`.
 *
 * Times are milliseconds since the epoch, taken from the injected clock; durations are
 * milliseconds (`…Ms`).
 */
export interface CounterStore {
  /**
   * Rate-limit check: atomically, if the window's count plus `cost` would exceed `limit`,
   * refuses without counting; otherwise adds `cost` and admits. A window's expiry is set in
   * the same atomic step that creates it, so no counter outlives its window.
   *
   * - `fixed`: windows aligned to multiples of `windowMs` since the epoch; exact.
   * - `sliding`: the sliding-window-counter approximation: the previous fixed window's count,
   *   weighted by how much of it still overlaps the sliding window, plus the current one.
   */
  consume(request: ConsumeRequest): Promise<ConsumeResult>;
  /**
   * Optional: {@link consume} answered synchronously, for implementations that hold their
   * counters in process (memory). Same semantics; lets the API-key hot path skip a promise.
   * Implementations backed by a network service leave it undefined.
   */
  consumeNow?(request: ConsumeRequest): ConsumeResult;
  /**
   * Adds `by` (default 1) to a counter that expires `windowMs` after its first increment
   * (the TTL is set atomically when the counter is created). Returns the new count and
   * when it resets. Used for failure counting (lockouts, throttles).
   */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; resetAtMs: number }>;
  /** The current value of a counter made by {@link increment}, or 0 if absent/expired. */
  get(key: string): Promise<number>;
  /**
   * Atomically stores `key` for `ttlMs` if it is absent. Returns true if it was stored,
   * false if it already existed (a replay). Used for one-time-use caches.
   */
  setIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Removes a counter made by {@link increment} or {@link setIfAbsent}. Rate-limit windows made by
   * {@link consume} are not addressed by key; they expire with their window.
   */
  delete(key: string): Promise<void>;
  /**
   * Failure-slot reservation for lockouts and throttles, in one atomic step:
   *
   * 1. if `lockKey` is live, refuses with its expiry (`lockedNow: false`) and counts nothing;
   * 2. otherwise adds 1 to the counter `key` (a counter as made by {@link increment}: it
   *    expires `windowMs` after its first increment, the TTL set when it is created);
   * 3. if the new count exceeds `limit`, creates `lockKey` for `lockMs` and refuses with
   *    `lockedNow: true` (exactly one caller per lock sees this), else admits with the count.
   *
   * So of any number of concurrent callers, across instances sharing the backend, at most
   * `limit` are admitted per window, and one lock is created when the next one arrives. A
   * lock is a marker like {@link setIfAbsent}'s ({@link get} reads 1, {@link delete} removes it).
   * On Redis Cluster the two keys must share a hash slot: give them one hash tag (`x:{id}:fail`).
   */
  reserveSlot(request: ReserveSlotRequest): Promise<ReserveSlotResult>;
  /**
   * Atomically subtracts `by` (default 1) from a live counter made by {@link increment} or
   * {@link reserveSlot}, never below 0, keeping its expiry; an absent or expired counter is
   * left absent (never created). Returns the new count (0 when absent). Used to give back a
   * reserved failure slot after a success.
   */
  decrement(key: string, by?: number): Promise<number>;
  /** Resolves when the backend answers; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

/** Arguments of {@link CounterStore.consume}. */
export interface ConsumeRequest {
  /** Namespaced key, e.g. `rl:api_key:key_01J…`. */
  key: string;
  /** Most units admitted per window (≥ 1). */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** Units this request uses. Default 1. */
  cost?: number;
  /** Default `fixed`. */
  algorithm?: 'fixed' | 'sliding';
}

/** Outcome of {@link CounterStore.consume}. */
export interface ConsumeResult {
  allowed: boolean;
  /** Units left in the window after this request (0 when refused). */
  remaining: number;
  /** Milliseconds until the current window ends (≥ 1). */
  resetMs: number;
}

/** Arguments of {@link CounterStore.reserveSlot}. */
export interface ReserveSlotRequest {
  /** The failure counter, e.g. `def:fail:id:idh_…`. */
  key: string;
  /** The lock marker created when the counter exceeds `limit`, e.g. `def:lock:id:idh_…`. */
  lockKey: string;
  /** Most slots admitted per window (≥ 1). */
  limit: number;
  /** Counter window in milliseconds, from its first increment. */
  windowMs: number;
  /** Lock duration in milliseconds. */
  lockMs: number;
}

/** Outcome of {@link CounterStore.reserveSlot}. Times are epoch milliseconds by the injected clock. */
export type ReserveSlotResult =
  | { reserved: true; count: number; resetAtMs: number }
  | { reserved: false; lockedUntilMs: number; lockedNow: boolean };
