import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyStore } from '../../api-keys/store.js';
import type { ApiKeyRecord } from '../../api-keys/types.js';
import { createManualClock } from '../../core/clock.js';
import { createId } from '../../core/crypto/ids.js';

/** A store under test and how to release it. */
export interface ApiKeyStoreFixture {
  store: ApiKeyStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

/**
 * The behaviour every {@link ApiKeyStore} implementation must show, run unchanged against
 * each one (SQLite, PostgreSQL). The factory returns a fresh, empty store; `close` releases
 * it and removes whatever it created (a PostgreSQL schema).
 *
 * @example
 * runApiKeyStoreConformance('sqlite', async () => { const db = await openDatabase(…); return { store: createSqlApiKeyStore(db), close: () => db.close() }; });
 */
export function runApiKeyStoreConformance(name: string, factory: () => Promise<ApiKeyStoreFixture>): void {
  describe(`ApiKeyStore conformance: ${name}`, () => {
    let fixture: ApiKeyStoreFixture | undefined;
    let store: ApiKeyStore;
    let seq = 0;
    const idClock = createManualClock(T0);

    /** A complete record; ids increase with every call so creation order is id order. */
    function makeRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
      seq++;
      idClock.advance(1000);
      const id = createId('key', idClock, { bytes: (size) => new Uint8Array(size).fill(seq & 0xff) });
      return {
        id,
        name: `key ${seq}`,
        ownerId: 'owner-a',
        metadata: { team: 'payments', nested: { tier: 2, tags: ['x', 'y'] } },
        scopes: ['orders:read', 'orders:write'],
        environment: 'live',
        prefix: 'gk_live',
        start: `st${String(seq).padStart(6, '0')}`,
        hash: createHash('sha256').update(`secret-${seq}-${id}`).digest('hex'),
        createdAt: T0 + seq * 1000,
        updatedAt: T0 + seq * 1000,
        expiresAt: null,
        revokedAt: null,
        lastUsedAt: null,
        rateLimit: null,
        rotatedFromId: null,
        rotatedToId: null,
        ...overrides,
      };
    }

    async function inserted(overrides: Partial<ApiKeyRecord> = {}): Promise<ApiKeyRecord> {
      const record = makeRecord(overrides);
      await store.insert(record);
      return record;
    }

    beforeEach(async () => {
      fixture = undefined;
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      // Not the previous test's fixture again when this test's factory failed.
      await fixture?.close();
      fixture = undefined;
    });

    describe('insert, findByHash, findById', () => {
      it('round-trips every field', async () => {
        const record = await inserted({
          expiresAt: T0 + 5 * HOUR,
          rateLimit: { limit: 7, windowSeconds: 30 },
          environment: 'test',
          prefix: 'gk_test',
          ownerId: null,
          metadata: {},
          scopes: [],
        });
        expect(await store.findById(record.id)).toEqual(record);
        expect(await store.findByHash(record.hash)).toEqual(record);
      });

      it('keeps nested metadata and scope order', async () => {
        const record = await inserted({ scopes: ['b', 'a', 'c'], metadata: { a: { b: [1, 'two', null, true] } } });
        const found = await store.findById(record.id);
        expect(found?.scopes).toEqual(['b', 'a', 'c']);
        expect(found?.metadata).toEqual({ a: { b: [1, 'two', null, true] } });
      });

      it('returns null for an unknown id or hash', async () => {
        await inserted();
        expect(await store.findById('key_00000000000000000000000000')).toBeNull();
        expect(await store.findByHash('0'.repeat(64))).toBeNull();
      });

      it('rejects a second key with the same hash and keeps the first', async () => {
        const first = await inserted();
        const duplicate = makeRecord({ hash: first.hash });
        await expect(store.insert(duplicate)).rejects.toThrow();
        expect(await store.findById(duplicate.id)).toBeNull();
        expect(await store.findByHash(first.hash)).toEqual(first);
      });
    });

    describe('list', () => {
      it('returns keys newest first', async () => {
        const records = [];
        for (let i = 0; i < 4; i++) records.push(await inserted());
        const page = await store.list({ limit: 10 });
        expect(page.items.map((r) => r.id)).toEqual(records.map((r) => r.id).reverse());
        expect(page.nextCursor).toBeNull();
      });

      it('paginates by keyset: every key exactly once, then a null cursor', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await inserted()).id);
        const seen: string[] = [];
        let cursor: string | undefined;
        const pageSizes: number[] = [];
        for (let guard = 0; guard < 10; guard++) {
          const page = await store.list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) });
          pageSizes.push(page.items.length);
          seen.push(...page.items.map((r) => r.id));
          if (page.nextCursor === null) break;
          expect(page.nextCursor).toBe(page.items[page.items.length - 1]?.id);
          cursor = page.nextCursor;
        }
        expect(pageSizes).toEqual([2, 2, 1]);
        expect(seen).toEqual([...ids].reverse());
      });

      it('returns a null cursor when the last page is exactly full', async () => {
        for (let i = 0; i < 4; i++) await inserted();
        const first = await store.list({ limit: 2 });
        expect(first.nextCursor).not.toBeNull();
        const second = await store.list({ limit: 2, cursor: first.nextCursor! });
        expect(second.items).toHaveLength(2);
        expect(second.nextCursor).toBeNull();
      });

      it('is stable when a newer key is inserted between pages', async () => {
        const older = [await inserted(), await inserted(), await inserted()];
        const first = await store.list({ limit: 2 });
        await inserted();
        const second = await store.list({ limit: 2, cursor: first.nextCursor! });
        expect(second.items.map((r) => r.id)).toEqual([older[0]!.id]);
      });

      it('filters by owner', async () => {
        const mine = await inserted({ ownerId: 'alice' });
        await inserted({ ownerId: 'bob' });
        await inserted({ ownerId: null });
        const page = await store.list({ limit: 10, ownerId: 'alice' });
        expect(page.items.map((r) => r.id)).toEqual([mine.id]);
      });

      it('leaves out revoked keys unless asked', async () => {
        const live = await inserted();
        const revoked = await inserted();
        await store.revoke(revoked.id, T0 + HOUR);
        expect((await store.list({ limit: 10 })).items.map((r) => r.id)).toEqual([live.id]);
        expect((await store.list({ limit: 10, includeRevoked: true })).items.map((r) => r.id)).toEqual([revoked.id, live.id]);
      });
    });

    describe('update', () => {
      it('applies only the patched fields and sets updatedAt', async () => {
        const record = await inserted({ rateLimit: { limit: 5, windowSeconds: 10 } });
        const now = T0 + HOUR;
        const updated = await store.update(record.id, { name: 'renamed', scopes: ['x'], metadata: { v: 2 }, expiresAt: now + HOUR }, now);
        const expected = { ...record, name: 'renamed', scopes: ['x'], metadata: { v: 2 }, expiresAt: now + HOUR, updatedAt: now };
        expect(updated).toEqual(expected);
        expect(await store.findById(record.id)).toEqual(expected);
      });

      it('sets and clears the rate limit and the expiry', async () => {
        const record = await inserted({ expiresAt: T0 + 9 * HOUR });
        await store.update(record.id, { rateLimit: { limit: 3, windowSeconds: 60 } }, T0 + HOUR);
        expect((await store.findById(record.id))?.rateLimit).toEqual({ limit: 3, windowSeconds: 60 });
        const cleared = await store.update(record.id, { rateLimit: null, expiresAt: null }, T0 + 2 * HOUR);
        expect(cleared?.rateLimit).toBeNull();
        expect(cleared?.expiresAt).toBeNull();
      });

      it('returns null and writes nothing for a revoked key', async () => {
        const record = await inserted();
        const revoked = await store.revoke(record.id, T0 + HOUR);
        expect(await store.update(record.id, { name: 'too late' }, T0 + 2 * HOUR)).toBeNull();
        expect(await store.findById(record.id)).toEqual(revoked);
      });

      it('returns null for an unknown id', async () => {
        expect(await store.update('key_00000000000000000000000000', { name: 'x' }, T0)).toBeNull();
      });

      // Invariant: an update never brings back a key that has expired, and never moves the
      // expiry of a rotated key (its grace period is final), even when it races the change.
      it('returns null and writes nothing for a key expired at now', async () => {
        const record = await inserted({ expiresAt: T0 + HOUR });
        expect(await store.update(record.id, { expiresAt: null }, T0 + HOUR)).toBeNull();
        expect(await store.update(record.id, { name: 'x' }, T0 + 2 * HOUR)).toBeNull();
        expect(await store.findById(record.id)).toEqual(record);
      });

      it('refuses an expiry change on a rotated key but allows other fields', async () => {
        const old = await inserted();
        await store.rotate(old.id, makeRecord(), T0 + 2 * HOUR, T0 + HOUR);
        expect(await store.update(old.id, { expiresAt: null }, T0 + HOUR + 1)).toBeNull();
        expect((await store.findById(old.id))?.expiresAt).toBe(T0 + 2 * HOUR);
        expect((await store.update(old.id, { name: 'renamed' }, T0 + HOUR + 2))?.name).toBe('renamed');
      });
    });

    describe('revoke', () => {
      it('sets revokedAt and updatedAt and returns the key', async () => {
        const record = await inserted();
        const revoked = await store.revoke(record.id, T0 + HOUR);
        expect(revoked).toEqual({ ...record, revokedAt: T0 + HOUR, updatedAt: T0 + HOUR });
        expect((await store.findByHash(record.hash))?.revokedAt).toBe(T0 + HOUR);
      });

      it('is idempotent: a second call keeps the first revocation time', async () => {
        const record = await inserted();
        const first = await store.revoke(record.id, T0 + HOUR);
        const second = await store.revoke(record.id, T0 + 2 * HOUR);
        expect(second).toEqual(first);
        expect(second?.revokedAt).toBe(T0 + HOUR);
      });

      it('returns null for an unknown id', async () => {
        expect(await store.revoke('key_00000000000000000000000000', T0)).toBeNull();
      });
    });

    describe('rotate', () => {
      const now = T0 + 10 * HOUR;

      it('inserts the successor and links both keys', async () => {
        const old = await inserted();
        const successor = makeRecord();
        const updatedOld = await store.rotate(old.id, successor, now + HOUR, now);
        expect(updatedOld).toEqual({ ...old, rotatedToId: successor.id, expiresAt: now + HOUR, updatedAt: now });
        expect(await store.findById(old.id)).toEqual(updatedOld);
        const inherited = { name: old.name, ownerId: old.ownerId, scopes: old.scopes, metadata: old.metadata, rateLimit: old.rateLimit, environment: old.environment };
        expect(await store.findById(successor.id)).toEqual({ ...successor, ...inherited, rotatedFromId: old.id });
        expect((await store.findByHash(successor.hash))?.id).toBe(successor.id);
      });

      // Invariant: a rotation never resurrects what an update removed. The successor inherits the
      // old key's attributes as committed when the rotation runs, not a copy read earlier.
      it('gives the successor the attributes committed before the rotation, not the caller copy', async () => {
        const old = await inserted({ scopes: ['admin', 'orders:read'], rateLimit: { limit: 5, windowSeconds: 60 } });
        const staleCopy = makeRecord({ name: old.name, scopes: ['admin', 'orders:read'], rateLimit: { limit: 5, windowSeconds: 60 } });
        await store.update(old.id, { scopes: ['orders:read'], rateLimit: null, name: 'renamed', metadata: { v: 2 } }, now - 1);
        await store.rotate(old.id, staleCopy, now + HOUR, now);
        const successor = await store.findById(staleCopy.id);
        expect(successor?.scopes).toEqual(['orders:read']);
        expect(successor?.rateLimit).toBeNull();
        expect(successor?.name).toBe('renamed');
        expect(successor?.metadata).toEqual({ v: 2 });
      });

      it('never extends an earlier expiry of the old key', async () => {
        const old = await inserted({ expiresAt: now + 30 * 60_000 });
        const updated = await store.rotate(old.id, makeRecord(), now + HOUR, now);
        expect(updated?.expiresAt).toBe(now + 30 * 60_000);
      });

      it('lowers a later expiry to the end of the grace period', async () => {
        const old = await inserted({ expiresAt: now + 100 * HOUR });
        const updated = await store.rotate(old.id, makeRecord(), now + HOUR, now);
        expect(updated?.expiresAt).toBe(now + HOUR);
      });

      it.each([
        ['revoked', { revokedAt: T0 + HOUR }],
        ['expired', { expiresAt: T0 + 10 * HOUR }],
        ['already rotated', { rotatedToId: 'key_00000000000000000000000001' }],
      ] as const)('returns null and writes nothing for a %s key', async (_label, state) => {
        const old = await inserted(state);
        const successor = makeRecord();
        expect(await store.rotate(old.id, successor, now + HOUR, now)).toBeNull();
        expect(await store.findById(old.id)).toEqual(old);
        expect(await store.findById(successor.id)).toBeNull();
        expect(await store.findByHash(successor.hash)).toBeNull();
      });

      it('refuses a second rotation of the same key', async () => {
        const old = await inserted();
        const first = makeRecord();
        await store.rotate(old.id, first, now + HOUR, now);
        const second = makeRecord();
        expect(await store.rotate(old.id, second, now + HOUR, now)).toBeNull();
        expect((await store.findById(old.id))?.rotatedToId).toBe(first.id);
        expect(await store.findById(second.id)).toBeNull();
      });

      it('returns null for an unknown id and inserts no successor', async () => {
        const successor = makeRecord();
        expect(await store.rotate('key_00000000000000000000000000', successor, now + HOUR, now)).toBeNull();
        expect(await store.findById(successor.id)).toBeNull();
      });

      it('is atomic: when the successor cannot be inserted, the old key is unchanged', async () => {
        const old = await inserted();
        const other = await inserted();
        const clashing = makeRecord({ hash: other.hash });
        await expect(store.rotate(old.id, clashing, now + HOUR, now)).rejects.toThrow();
        expect(await store.findById(old.id)).toEqual(old);
        expect(await store.findById(clashing.id)).toBeNull();
      });

      it('lets exactly one of concurrent rotations win', async () => {
        const old = await inserted();
        const successors = Array.from({ length: 10 }, () => makeRecord());
        const results = await Promise.all(successors.map((s) => store.rotate(old.id, s, now + HOUR, now)));
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const found = await Promise.all(successors.map((s) => store.findById(s.id)));
        expect(found.filter((r) => r !== null)).toHaveLength(1);
      });
    });

    describe('touchLastUsed', () => {
      it('records times in one batch and never moves them backwards', async () => {
        const a = await inserted();
        const b = await inserted();
        await store.touchLastUsed([
          { id: a.id, lastUsedAt: T0 + 2000 },
          { id: b.id, lastUsedAt: T0 + 3000 },
        ]);
        expect((await store.findById(a.id))?.lastUsedAt).toBe(T0 + 2000);
        expect((await store.findById(b.id))?.lastUsedAt).toBe(T0 + 3000);

        await store.touchLastUsed([
          { id: a.id, lastUsedAt: T0 + 1000 },
          { id: b.id, lastUsedAt: T0 + 4000 },
        ]);
        expect((await store.findById(a.id))?.lastUsedAt).toBe(T0 + 2000);
        expect((await store.findById(b.id))?.lastUsedAt).toBe(T0 + 4000);
      });

      it('does not change updatedAt, and ignores unknown ids and empty batches', async () => {
        const a = await inserted();
        await store.touchLastUsed([]);
        await store.touchLastUsed([{ id: 'key_00000000000000000000000000', lastUsedAt: T0 }, { id: a.id, lastUsedAt: T0 + 5 }]);
        expect(await store.findById(a.id)).toEqual({ ...a, lastUsedAt: T0 + 5 });
      });
    });

    describe('claimOnce', () => {
      it('is true exactly once per name', async () => {
        expect(await store.claimOnce('bootstrap_admin_key', T0)).toBe(true);
        expect(await store.claimOnce('bootstrap_admin_key', T0 + 1)).toBe(false);
        expect(await store.claimOnce('another_flag', T0)).toBe(true);
      });

      it('is true for exactly one of 20 parallel callers', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimOnce('race', T0 + i)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('change feed', () => {
      it('reports nothing but `all` or the ids of keys that changed', async () => {
        const calls: Array<readonly string[] | 'all'> = [];
        const unsubscribe = store.onExternalChange((ids) => calls.push(ids));
        const record = await inserted();
        await store.revoke(record.id, T0 + HOUR);
        store.pollExternalChanges();
        // SQLite reports nothing here (its own writes do not change data_version; the SQLite
        // runner checks that exactly). PostgreSQL may already have reported `'all'` (its
        // listener connected) and, as its NOTIFY reaches every instance including this one,
        // the revoked id: a harmless extra cache eviction.
        for (const call of calls) if (call !== 'all') expect(call).toEqual([record.id]);
        unsubscribe();
      });
    });
  });
}
