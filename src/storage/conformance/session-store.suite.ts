import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createId } from '../../core/crypto/ids.js';
import type { SessionStore } from '../../sessions/store.js';
import type { SessionRecord } from '../../sessions/types.js';

/** A store under test and how to release it. */
export interface SessionStoreFixture {
  store: SessionStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const HOUR = 3_600_000;

/**
 * The behaviour every {@link SessionStore} implementation must show, run unchanged against
 * each one (SQLite, PostgreSQL). The factory returns a fresh, empty store; `close` releases
 * it and removes whatever it created.
 *
 * @example
 * runSessionStoreConformance('sqlite', async () => { const db = await openDatabase(…); return { store: createSqlSessionStore(db), close: () => db.close() }; });
 */
export function runSessionStoreConformance(name: string, factory: () => Promise<SessionStoreFixture>): void {
  describe(`SessionStore conformance: ${name}`, () => {
    let fixture: SessionStoreFixture | undefined;
    let store: SessionStore;
    let seq = 0;
    const idClock = createManualClock(T0);

    /** A complete active record created at `T0 + seq s`; ids increase with every call. */
    function makeRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
      seq++;
      idClock.advance(1000);
      const id = createId('ses', idClock, { bytes: (size) => new Uint8Array(size).fill(seq & 0xff) });
      const createdAt = T0 + seq * 1000;
      return {
        id,
        tokenHash: createHash('sha256').update(`token-${seq}-${id}`).digest('hex'),
        userId: 'usr_a',
        createdAt,
        authenticatedAt: createdAt,
        lastSeenAt: createdAt,
        idleExpiresAt: createdAt + 30 * MIN,
        absoluteExpiresAt: createdAt + 12 * HOUR,
        endedAt: null,
        endReason: null,
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        authLevel: 1,
        amr: ['pwd'],
        ...overrides,
      };
    }

    const unlimited = { maxPerUser: 1000, onLimit: 'refuse' as const };

    async function inserted(overrides: Partial<SessionRecord> = {}): Promise<SessionRecord> {
      const record = makeRecord(overrides);
      expect(await store.create(record, unlimited, record.createdAt)).toEqual({ created: true, evicted: [] });
      return record;
    }

    beforeEach(async () => {
      fixture = undefined;
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    describe('create, findByHash, findById', () => {
      it('round-trips every field', async () => {
        const record = await inserted({ ip: null, userAgent: null, amr: ['pwd', 'otp'], authLevel: 2, authenticatedAt: T0 - 5000 });
        expect(await store.findById(record.id)).toEqual(record);
        expect(await store.findByHash(record.tokenHash)).toEqual(record);
      });

      it('returns null for an unknown id or hash', async () => {
        await inserted();
        expect(await store.findById('ses_00000000000000000000000000')).toBeNull();
        expect(await store.findByHash('0'.repeat(64))).toBeNull();
      });

      it('rejects a second session with the same hash', async () => {
        const first = await inserted();
        await expect(store.create(makeRecord({ tokenHash: first.tokenHash }), unlimited, T0)).rejects.toThrow();
        expect(await store.findByHash(first.tokenHash)).toEqual(first);
      });
    });

    describe('listActive', () => {
      it('lists only the user\'s active sessions, oldest first', async () => {
        const now = T0 + 100_000;
        const a = await inserted();
        const b = await inserted();
        await inserted({ userId: 'usr_b' });
        await inserted({ endedAt: T0, endReason: 'logout' });
        await inserted({ idleExpiresAt: now });
        await inserted({ absoluteExpiresAt: now - 1 });
        expect((await store.listActive('usr_a', now)).map((r) => r.id)).toEqual([a.id, b.id]);
        expect(await store.listActive('usr_nobody', now)).toEqual([]);
      });
    });

    describe('touch', () => {
      it('moves last-seen and idle expiry forward, never back, and not on an ended session', async () => {
        const r = await inserted();
        expect(await store.touch(r.id, r.lastSeenAt + MIN, r.lastSeenAt + 31 * MIN)).toBe(true);
        expect(await store.touch(r.id, r.lastSeenAt + 30_000, r.lastSeenAt + 40 * MIN)).toBe(false);
        const found = await store.findById(r.id);
        expect(found).toMatchObject({ lastSeenAt: r.lastSeenAt + MIN, idleExpiresAt: r.lastSeenAt + 31 * MIN });
        await store.end(r.id, 'logout', r.lastSeenAt + 2 * MIN);
        expect(await store.touch(r.id, r.lastSeenAt + 3 * MIN, r.lastSeenAt + 33 * MIN)).toBe(false);
      });
    });

    describe('end', () => {
      it('ends once: the first call returns the ended session, later ones null', async () => {
        const r = await inserted();
        const ended = await store.end(r.id, 'logout', T0 + HOUR);
        expect(ended).toEqual({ ...r, endedAt: T0 + HOUR, endReason: 'logout' });
        expect(await store.end(r.id, 'revoked', T0 + 2 * HOUR)).toBeNull();
        expect(await store.findById(r.id)).toMatchObject({ endedAt: T0 + HOUR, endReason: 'logout' });
        expect(await store.end('ses_00000000000000000000000000', 'logout', T0)).toBeNull();
      });

      it('exactly one of many parallel ends wins', async () => {
        const r = await inserted();
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.end(r.id, 'revoked', T0 + HOUR + i)));
        expect(results.filter((x) => x !== null)).toHaveLength(1);
      });
    });

    describe('endAllForUser', () => {
      it('ends every active session of the user except the given one, and reports them', async () => {
        const now = T0 + 100_000;
        const a = await inserted();
        const b = await inserted();
        const c = await inserted();
        const other = await inserted({ userId: 'usr_b' });
        await inserted({ endedAt: T0, endReason: 'logout' });
        const ended = await store.endAllForUser('usr_a', 'revoked_others', now, b.id);
        expect(ended.map((r) => r.id).sort()).toEqual([a.id, c.id].sort());
        expect(ended.every((r) => r.endedAt === now && r.endReason === 'revoked_others')).toBe(true);
        expect((await store.listActive('usr_a', now)).map((r) => r.id)).toEqual([b.id]);
        expect((await store.listActive('usr_b', now)).map((r) => r.id)).toEqual([other.id]);
        const all = await store.endAllForUser('usr_a', 'password_reset', now);
        expect(all.map((r) => r.id)).toEqual([b.id]);
        expect(await store.listActive('usr_a', now)).toEqual([]);
      });
    });

    describe('create with a per-user limit', () => {
      it('evict_oldest ends the oldest active sessions to make room, and reports them', async () => {
        const now = T0 + 100_000;
        const a = await inserted();
        const b = await inserted();
        await inserted({ endedAt: T0, endReason: 'logout' }); // ended: does not count
        const c = makeRecord();
        const result = await store.create(c, { maxPerUser: 2, onLimit: 'evict_oldest' }, now);
        expect(result).toEqual({ created: true, evicted: [{ ...a, endedAt: now, endReason: 'evicted' }] });
        expect((await store.listActive('usr_a', now)).map((r) => r.id)).toEqual([b.id, c.id]);
      });

      it('refuse creates nothing when the user is at the limit, and counts only active sessions', async () => {
        const now = T0 + 100_000;
        await inserted();
        await inserted();
        await inserted({ idleExpiresAt: now }); // expired: does not count
        const c = makeRecord();
        expect(await store.create(c, { maxPerUser: 2, onLimit: 'refuse' }, now)).toEqual({ created: false });
        expect(await store.findById(c.id)).toBeNull();
        expect(await store.create(makeRecord({ userId: 'usr_b' }), { maxPerUser: 2, onLimit: 'refuse' }, now)).toMatchObject({ created: true });
      });

      it.each(['evict_oldest', 'refuse'] as const)('%s holds under 20 parallel sign-ins of one user: never more than the maximum active', async (onLimit) => {
        const now = T0 + 100_000;
        const records = Array.from({ length: 20 }, () => makeRecord());
        const results = await Promise.all(records.map((r) => store.create(r, { maxPerUser: 3, onLimit }, now)));
        const active = await store.listActive('usr_a', now);
        expect(active).toHaveLength(3);
        const created = results.filter((r) => r.created);
        if (onLimit === 'refuse') {
          expect(created).toHaveLength(3);
        } else {
          expect(created).toHaveLength(20);
          const evicted = created.flatMap((r) => (r.created ? r.evicted : []));
          expect(evicted).toHaveLength(17);
          expect(new Set(evicted.map((r) => r.id)).size).toBe(17);
        }
      });
    });

    describe('deleteInactiveBefore', () => {
      it('deletes sessions ended or expired before the cutoff, and nothing active', async () => {
        const live = await inserted();
        const ended = await inserted({ endedAt: T0 + 1000, endReason: 'logout' });
        const idle = await inserted({ idleExpiresAt: T0 + 2000 });
        const endedLater = await inserted({ endedAt: T0 + 10 * HOUR, endReason: 'logout' });
        expect(await store.deleteInactiveBefore(T0 + 20 * MIN)).toBe(2);
        expect(await store.findById(ended.id)).toBeNull();
        expect(await store.findById(idle.id)).toBeNull();
        expect(await store.findById(live.id)).not.toBeNull();
        expect(await store.findById(endedLater.id)).not.toBeNull();
      });
    });
  });
}
