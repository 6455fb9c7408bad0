import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../core/clock.js';
import type { CounterStore } from '../../rate-limit/store.js';

/** A window-aligned start time: a multiple of every window length used below. */
const START = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/**
 * The behaviour every {@link CounterStore} implementation must show, run unchanged against
 * each one (memory now, Redis later). The factory gets a fresh {@link ManualClock} starting
 * at a window boundary and returns a fresh, empty store that reads time only from it.
 *
 * @example
 * runCounterStoreConformance('memory', (clock) => Promise.resolve(createMemoryCounterStore({ clock })));
 */
export function runCounterStoreConformance(name: string, factory: (clock: ManualClock) => Promise<CounterStore>): void {
  describe(`CounterStore conformance: ${name}`, () => {
    let clock: ManualClock;
    let store: CounterStore;
    let keySeq = 0;
    /** A key no other test touches, so shared backends (Redis) need no flush between tests. */
    const freshKey = (label: string) => `conformance:${label}:${process.pid}:${++keySeq}`;

    beforeEach(async () => {
      clock = createManualClock(START);
      store = await factory(clock);
    });

    afterEach(async () => {
      await store.close();
    });

    describe('consume, fixed window', () => {
      it('admits exactly `limit` requests, then refuses with remaining 0', async () => {
        const key = freshKey('fixed');
        const results = [];
        for (let i = 0; i < 6; i++) results.push(await store.consume({ key, limit: 5, windowMs: MINUTE }));
        expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
        expect(results.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
        for (const r of results) {
          expect(r.resetMs).toBeGreaterThan(0);
          expect(r.resetMs).toBeLessThanOrEqual(MINUTE);
        }
      });

      it('reports the time left until the aligned window ends', async () => {
        const key = freshKey('reset');
        clock.advance(15_000);
        expect((await store.consume({ key, limit: 3, windowMs: MINUTE })).resetMs).toBe(45_000);
        clock.advance(44_999);
        const last = await store.consume({ key, limit: 3, windowMs: MINUTE });
        expect(last).toEqual({ allowed: true, remaining: 1, resetMs: 1 });
      });

      it('does not count a refused request', async () => {
        const key = freshKey('refusal');
        expect((await store.consume({ key, limit: 10, windowMs: MINUTE, cost: 8 })).allowed).toBe(true);
        const refused = await store.consume({ key, limit: 10, windowMs: MINUTE, cost: 5 });
        expect(refused).toMatchObject({ allowed: false, remaining: 0 });
        // Had the refused 5 been counted, 8 + 5 + 2 > 10 would refuse this one.
        expect(await store.consume({ key, limit: 10, windowMs: MINUTE, cost: 2 })).toMatchObject({ allowed: true, remaining: 0 });
        expect((await store.consume({ key, limit: 10, windowMs: MINUTE })).allowed).toBe(false);
      });

      it('starts a new window once the clock passes the window end', async () => {
        const key = freshKey('window');
        for (let i = 0; i < 3; i++) await store.consume({ key, limit: 3, windowMs: MINUTE });
        clock.advance(MINUTE - 1);
        expect((await store.consume({ key, limit: 3, windowMs: MINUTE })).allowed).toBe(false);
        clock.advance(1);
        expect(await store.consume({ key, limit: 3, windowMs: MINUTE })).toEqual({ allowed: true, remaining: 2, resetMs: MINUTE });
      });

      it('charges `cost` units and refuses a cost above what is left', async () => {
        const key = freshKey('cost');
        expect(await store.consume({ key, limit: 10, windowMs: MINUTE, cost: 4 })).toMatchObject({ allowed: true, remaining: 6 });
        expect(await store.consume({ key, limit: 10, windowMs: MINUTE, cost: 6 })).toMatchObject({ allowed: true, remaining: 0 });
        expect(await store.consume({ key, limit: 10, windowMs: MINUTE, cost: 1 })).toMatchObject({ allowed: false, remaining: 0 });
      });

      it('refuses a cost larger than the whole limit', async () => {
        const key = freshKey('too-costly');
        expect((await store.consume({ key, limit: 3, windowMs: MINUTE, cost: 4 })).allowed).toBe(false);
        expect(await store.consume({ key, limit: 3, windowMs: MINUTE })).toMatchObject({ allowed: true, remaining: 2 });
      });

      it('keeps keys independent', async () => {
        const a = freshKey('a');
        const b = freshKey('b');
        await store.consume({ key: a, limit: 1, windowMs: MINUTE });
        expect((await store.consume({ key: a, limit: 1, windowMs: MINUTE })).allowed).toBe(false);
        expect((await store.consume({ key: b, limit: 1, windowMs: MINUTE })).allowed).toBe(true);
      });

      it('admits exactly `limit` of 200 concurrent requests', async () => {
        const key = freshKey('concurrent');
        const results = await Promise.all(Array.from({ length: 200 }, () => store.consume({ key, limit: 100, windowMs: MINUTE })));
        expect(results.filter((r) => r.allowed)).toHaveLength(100);
        const remaining = results.filter((r) => r.allowed).map((r) => r.remaining).sort((x, y) => x - y);
        expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => i));
      });
    });

    describe('consume, sliding window', () => {
      it('counts the previous window in proportion to its overlap', async () => {
        const key = freshKey('sliding');
        const req = { key, limit: 10, windowMs: MINUTE, algorithm: 'sliding' as const };
        for (let i = 0; i < 8; i++) expect((await store.consume(req)).allowed).toBe(true);

        // 25 % into the next window: 75 % of the previous 8 still counts, i.e. 6.
        clock.set(START + MINUTE + 15_000);
        const admitted: boolean[] = [];
        for (let i = 0; i < 5; i++) admitted.push((await store.consume(req)).allowed);
        expect(admitted).toEqual([true, true, true, true, false]);

        // 75 % in: 25 % of 8 = 2 from the previous window, plus 4 in this one.
        clock.set(START + MINUTE + 45_000);
        const later: boolean[] = [];
        for (let i = 0; i < 5; i++) later.push((await store.consume(req)).allowed);
        expect(later).toEqual([true, true, true, true, false]);
      });

      it('forgets a window once it no longer overlaps', async () => {
        const key = freshKey('sliding-forget');
        const req = { key, limit: 4, windowMs: MINUTE, algorithm: 'sliding' as const };
        for (let i = 0; i < 4; i++) await store.consume(req);
        clock.set(START + 2 * MINUTE);
        expect(await store.consume(req)).toMatchObject({ allowed: true, remaining: 3 });
      });

      it('is stricter than the fixed window right after a busy window', async () => {
        const fixedKey = freshKey('fixed-compare');
        const slidingKey = freshKey('sliding-compare');
        for (let i = 0; i < 8; i++) {
          await store.consume({ key: fixedKey, limit: 8, windowMs: MINUTE });
          await store.consume({ key: slidingKey, limit: 8, windowMs: MINUTE, algorithm: 'sliding' });
        }
        // 25 % in: the sliding window still holds 6 of the previous 8; the fixed one holds none.
        clock.set(START + MINUTE + 15_000);
        const fixed: boolean[] = [];
        const sliding: boolean[] = [];
        for (let i = 0; i < 3; i++) {
          fixed.push((await store.consume({ key: fixedKey, limit: 8, windowMs: MINUTE })).allowed);
          sliding.push((await store.consume({ key: slidingKey, limit: 8, windowMs: MINUTE, algorithm: 'sliding' })).allowed);
        }
        expect(fixed).toEqual([true, true, true]);
        expect(sliding).toEqual([true, true, false]);
      });
    });

    describe('increment and get', () => {
      it('counts up and reports a reset time fixed at the first increment', async () => {
        const key = freshKey('inc');
        expect(await store.increment(key, 10_000)).toEqual({ count: 1, resetAtMs: START + 10_000 });
        clock.advance(4_000);
        expect(await store.increment(key, 10_000)).toEqual({ count: 2, resetAtMs: START + 10_000 });
        expect(await store.increment(key, 10_000, 5)).toEqual({ count: 7, resetAtMs: START + 10_000 });
        expect(await store.get(key)).toBe(7);
      });

      it('expires exactly `windowMs` after the first increment, then starts over', async () => {
        const key = freshKey('inc-ttl');
        await store.increment(key, 10_000);
        clock.advance(9_999);
        await store.increment(key, 10_000);
        expect(await store.get(key)).toBe(2);
        clock.advance(1);
        expect(await store.get(key)).toBe(0);
        expect(await store.increment(key, 10_000)).toEqual({ count: 1, resetAtMs: START + 20_000 });
      });

      it('get returns 0 for a key never written', async () => {
        expect(await store.get(freshKey('absent'))).toBe(0);
      });
    });

    describe('setIfAbsent', () => {
      it('stores once, refuses a replay, and stores again after the TTL', async () => {
        const key = freshKey('once');
        expect(await store.setIfAbsent(key, 5_000)).toBe(true);
        expect(await store.setIfAbsent(key, 5_000)).toBe(false);
        clock.advance(4_999);
        expect(await store.setIfAbsent(key, 5_000)).toBe(false);
        clock.advance(1);
        expect(await store.setIfAbsent(key, 5_000)).toBe(true);
      });

      it('admits exactly one of many concurrent callers', async () => {
        const key = freshKey('once-concurrent');
        const results = await Promise.all(Array.from({ length: 50 }, () => store.setIfAbsent(key, 5_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('delete', () => {
      it('removes an incremented counter', async () => {
        const key = freshKey('del-inc');
        await store.increment(key, 10_000, 3);
        await store.delete(key);
        expect(await store.get(key)).toBe(0);
        expect((await store.increment(key, 10_000)).count).toBe(1);
      });

      it('removes a one-time marker', async () => {
        const key = freshKey('del-once');
        await store.setIfAbsent(key, 5_000);
        await store.delete(key);
        expect(await store.setIfAbsent(key, 5_000)).toBe(true);
      });

      it('is a no-op for an absent key', async () => {
        await expect(store.delete(freshKey('del-absent'))).resolves.toBeUndefined();
      });
    });

    describe('reserveSlot', () => {
      const request = (label: string, limit = 3) => {
        const base = freshKey(label);
        return { key: `${base}:fail`, lockKey: `${base}:lock`, limit, windowMs: MINUTE, lockMs: 15 * MINUTE };
      };

      it('admits exactly `limit` slots, then locks once and refuses with the lock expiry', async () => {
        const req = request('reserve');
        for (let i = 1; i <= 3; i++) expect(await store.reserveSlot(req)).toEqual({ reserved: true, count: i, resetAtMs: START + MINUTE });
        expect(await store.reserveSlot(req)).toEqual({ reserved: false, lockedUntilMs: START + 15 * MINUTE, lockedNow: true });
        clock.advance(1_000);
        expect(await store.reserveSlot(req)).toEqual({ reserved: false, lockedUntilMs: START + 15 * MINUTE, lockedNow: false });
        expect(await store.get(req.lockKey)).toBe(1);
      });

      it('counts nothing while locked, and starts over when the lock and the window have expired', async () => {
        const req = request('reserve-expiry', 2);
        for (let i = 0; i < 3; i++) await store.reserveSlot(req);
        clock.advance(MINUTE);
        // The window is over but the lock is not.
        expect(await store.reserveSlot(req)).toMatchObject({ reserved: false, lockedNow: false });
        expect(await store.get(req.key)).toBe(0);
        clock.set(START + 15 * MINUTE - 1);
        expect(await store.reserveSlot(req)).toMatchObject({ reserved: false, lockedUntilMs: START + 15 * MINUTE });
        clock.set(START + 15 * MINUTE);
        expect(await store.reserveSlot(req)).toEqual({ reserved: true, count: 1, resetAtMs: START + 16 * MINUTE });
      });

      it('counts slots within the window and forgets them once it expires', async () => {
        const req = request('reserve-window', 2);
        await store.reserveSlot(req);
        await store.reserveSlot(req);
        clock.advance(MINUTE - 1);
        expect(await store.reserveSlot(req)).toMatchObject({ reserved: false, lockedNow: true });
        const other = request('reserve-window-2', 2);
        await store.reserveSlot(other);
        await store.reserveSlot(other);
        clock.advance(MINUTE);
        expect(await store.reserveSlot(other)).toMatchObject({ reserved: true, count: 1 });
      });

      it('re-locks at once when a lock ends while the window still holds more than `limit`', async () => {
        const req = { ...request('reserve-short-lock', 1), lockMs: 10_000 };
        await store.reserveSlot(req);
        expect(await store.reserveSlot(req)).toMatchObject({ reserved: false, lockedNow: true, lockedUntilMs: START + 10_000 });
        clock.advance(10_000);
        expect(await store.reserveSlot(req)).toEqual({ reserved: false, lockedNow: true, lockedUntilMs: START + 20_000 });
      });

      it('of 50 concurrent callers admits exactly `limit` and reports the new lock to exactly one', async () => {
        const req = request('reserve-concurrent', 10);
        const results = await Promise.all(Array.from({ length: 50 }, () => store.reserveSlot(req)));
        const admitted = results.filter((r) => r.reserved);
        expect(admitted).toHaveLength(10);
        expect(admitted.map((r) => (r.reserved ? r.count : 0)).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
        expect(results.filter((r) => !r.reserved && r.lockedNow)).toHaveLength(1);
      });

      it('a lock can be lifted with delete', async () => {
        const req = request('reserve-unlock', 1);
        await store.reserveSlot(req);
        await store.reserveSlot(req);
        await store.delete(req.lockKey);
        await store.delete(req.key);
        expect(await store.reserveSlot(req)).toMatchObject({ reserved: true, count: 1 });
      });
    });

    describe('decrement', () => {
      it('gives back a reserved slot, keeping the window', async () => {
        const req = { key: freshKey('dec-slot'), lockKey: freshKey('dec-lock'), limit: 2, windowMs: MINUTE, lockMs: MINUTE };
        await store.reserveSlot(req);
        await store.reserveSlot(req);
        expect(await store.decrement(req.key)).toBe(1);
        clock.advance(30_000);
        expect(await store.reserveSlot(req)).toEqual({ reserved: true, count: 2, resetAtMs: START + MINUTE });
      });

      it('subtracts `by`, never below 0', async () => {
        const key = freshKey('dec');
        await store.increment(key, 10_000, 3);
        expect(await store.decrement(key, 2)).toBe(1);
        expect(await store.decrement(key, 5)).toBe(0);
        expect(await store.get(key)).toBe(0);
        expect(await store.increment(key, 10_000)).toEqual({ count: 1, resetAtMs: START + 10_000 });
      });

      it('never creates an absent or expired counter', async () => {
        const key = freshKey('dec-absent');
        expect(await store.decrement(key)).toBe(0);
        expect(await store.increment(key, 10_000)).toEqual({ count: 1, resetAtMs: START + 10_000 });
        clock.advance(10_000);
        expect(await store.decrement(key)).toBe(0);
        expect(await store.increment(key, 10_000)).toEqual({ count: 1, resetAtMs: START + 20_000 });
      });

      it('is atomic under concurrency', async () => {
        const key = freshKey('dec-concurrent');
        await store.increment(key, 10_000, 100);
        await Promise.all(Array.from({ length: 40 }, () => store.decrement(key)));
        expect(await store.get(key)).toBe(60);
      });
    });

    it('ping resolves while the backend is up', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
