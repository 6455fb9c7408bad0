import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountStore } from '../../accounts/store.js';
import type { AccountTokenRecord, UserRecord } from '../../accounts/types.js';
import { createManualClock } from '../../core/clock.js';
import { createId } from '../../core/crypto/ids.js';

/** A store under test and how to release it. */
export interface AccountStoreFixture {
  store: AccountStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

/**
 * The behaviour every {@link AccountStore} implementation must show, run unchanged against
 * each one (SQLite, PostgreSQL). The factory returns a fresh, empty store; `close` releases
 * it and removes whatever it created (a PostgreSQL schema).
 *
 * @example
 * runAccountStoreConformance('sqlite', async () => { const db = await openDatabase(…); return { store: createSqlAccountStore(db), close: () => db.close() }; });
 */
export function runAccountStoreConformance(name: string, factory: () => Promise<AccountStoreFixture>): void {
  describe(`AccountStore conformance: ${name}`, () => {
    let fixture: AccountStoreFixture | undefined;
    let store: AccountStore;
    let seq = 0;
    const idClock = createManualClock(T0);

    function makeUser(overrides: Partial<UserRecord> = {}): UserRecord {
      seq++;
      idClock.advance(1000);
      const id = createId('usr', idClock, { bytes: (size) => new Uint8Array(size).fill(seq & 0xff) });
      return {
        id,
        email: `User${seq}@Example.com`,
        emailNormalized: `user${seq}@example.com`,
        emailVerified: false,
        name: `User ${seq}`,
        status: 'active',
        passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$salt${seq}$hash${seq}`,
        passwordChangedAt: T0 + seq,
        createdAt: T0 + seq,
        updatedAt: T0 + seq,
        ...overrides,
      };
    }

    async function inserted(overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
      const user = makeUser(overrides);
      expect(await store.insertUser(user)).toEqual({ ok: true, user });
      return user;
    }

    function makeToken(user: UserRecord, overrides: Partial<AccountTokenRecord> = {}): AccountTokenRecord {
      seq++;
      return {
        hash: createHash('sha256').update(`token-${seq}`).digest('hex'),
        purpose: 'password_reset',
        userId: user.id,
        email: user.emailNormalized,
        createdAt: T0,
        expiresAt: T0 + 30 * MIN,
        consumedAt: null,
        ...overrides,
      };
    }

    async function insertedToken(user: UserRecord, overrides: Partial<AccountTokenRecord> = {}): Promise<AccountTokenRecord> {
      const token = makeToken(user, overrides);
      await store.insertToken(token, T0);
      return token;
    }

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    describe('users', () => {
      it('inserts and reads a user back by id and by normalised e-mail, field for field', async () => {
        const user = await inserted({ emailVerified: true, name: 'Zoë 🦊', status: 'locked' });
        expect(await store.findUserById(user.id)).toEqual(user);
        expect(await store.findUserByEmail(user.emailNormalized)).toEqual(user);
        expect(await store.findUserByEmail(user.email)).toBeNull();
        expect(await store.findUserById('usr_00000000000000000000000000')).toBeNull();
      });

      it('keeps a null name', async () => {
        const user = await inserted({ name: null });
        expect((await store.findUserById(user.id))?.name).toBeNull();
      });

      it('refuses a second user with the same normalised e-mail and writes nothing', async () => {
        const first = await inserted();
        const clash = makeUser({ emailNormalized: first.emailNormalized, email: first.email.toUpperCase() });
        expect(await store.insertUser(clash)).toEqual({ ok: false, reason: 'email_taken' });
        expect(await store.findUserById(clash.id)).toBeNull();
      });

      it('admits exactly one of many concurrent inserts with one e-mail', async () => {
        const users = Array.from({ length: 8 }, () => makeUser({ emailNormalized: 'race@example.com', email: 'race@example.com' }));
        const results = await Promise.all(users.map((u) => store.insertUser(u)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'email_taken')).toHaveLength(7);
      });

      it('lists newest first with keyset pagination and a status filter', async () => {
        const a = await inserted();
        const b = await inserted({ status: 'disabled' });
        const c = await inserted();
        const first = await store.listUsers({ limit: 2 });
        expect(first.items.map((u) => u.id)).toEqual([c.id, b.id]);
        expect(first.nextCursor).toBe(b.id);
        const second = await store.listUsers({ limit: 2, cursor: first.nextCursor! });
        expect(second.items.map((u) => u.id)).toEqual([a.id]);
        expect(second.nextCursor).toBeNull();
        expect((await store.listUsers({ limit: 10, status: 'disabled' })).items.map((u) => u.id)).toEqual([b.id]);
      });

      it('updates fields, sets updatedAt and returns the new row', async () => {
        const user = await inserted();
        const result = await store.updateUser(user.id, { name: null, status: 'disabled', emailVerified: true }, T0 + MIN);
        expect(result).toEqual({ ok: true, user: { ...user, name: null, status: 'disabled', emailVerified: true, updatedAt: T0 + MIN } });
        expect(await store.updateUser('usr_00000000000000000000000000', { name: 'x' }, T0)).toEqual({ ok: false, reason: 'not_found' });
      });

      it('refuses an e-mail change to an address another user has, and writes nothing', async () => {
        const a = await inserted();
        const b = await inserted();
        const result = await store.updateUser(b.id, { email: { display: a.email, normalized: a.emailNormalized }, name: 'changed' }, T0 + MIN);
        expect(result).toEqual({ ok: false, reason: 'email_taken' });
        expect(await store.findUserById(b.id)).toEqual(b);
      });

      it('an e-mail change consumes every outstanding token of the user', async () => {
        const user = await inserted();
        const reset = await insertedToken(user);
        const verify = await insertedToken(user, { purpose: 'email_verification' });
        await store.updateUser(user.id, { email: { display: 'new@example.com', normalized: 'new@example.com' } }, T0 + MIN);
        expect((await store.findToken(reset.hash))?.consumedAt).toBe(T0 + MIN);
        expect((await store.findToken(verify.hash))?.consumedAt).toBe(T0 + MIN);
      });

      it('sets a password hash, passwordChangedAt, and consumes outstanding reset tokens only', async () => {
        const user = await inserted();
        const reset = await insertedToken(user);
        const verify = await insertedToken(user, { purpose: 'email_verification' });
        const updated = await store.setPasswordHash(user.id, 'new-hash', T0 + MIN);
        expect(updated).toEqual({ ...user, passwordHash: 'new-hash', passwordChangedAt: T0 + MIN, updatedAt: T0 + MIN });
        expect((await store.findToken(reset.hash))?.consumedAt).toBe(T0 + MIN);
        expect((await store.findToken(verify.hash))?.consumedAt).toBeNull();
        expect(await store.setPasswordHash('usr_00000000000000000000000000', 'x', T0)).toBeNull();
      });

      it('rehashes only when the stored hash is still the expected one (compare-and-set)', async () => {
        const user = await inserted();
        expect(await store.rehashPassword(user.id, 'not-the-hash', 'upgraded')).toBe(false);
        expect((await store.findUserById(user.id))?.passwordHash).toBe(user.passwordHash);
        expect(await store.rehashPassword(user.id, user.passwordHash, 'upgraded')).toBe(true);
        const after = await store.findUserById(user.id);
        expect(after?.passwordHash).toBe('upgraded');
        expect(after?.passwordChangedAt).toBe(user.passwordChangedAt);
      });

      it('deletes a user and its tokens', async () => {
        const user = await inserted();
        const token = await insertedToken(user);
        expect(await store.deleteUser(user.id)).toBe(true);
        expect(await store.findUserById(user.id)).toBeNull();
        expect(await store.findToken(token.hash)).toBeNull();
        expect(await store.deleteUser(user.id)).toBe(false);
      });
    });

    describe('tokens', () => {
      it('stores a token and reads it back by hash', async () => {
        const user = await inserted();
        const token = await insertedToken(user, { purpose: 'email_verification', expiresAt: T0 + 24 * 60 * MIN });
        expect(await store.findToken(token.hash)).toEqual(token);
        expect(await store.findToken('0'.repeat(64))).toBeNull();
      });

      it('deletes the user\'s expired tokens when inserting a new one', async () => {
        const user = await inserted();
        const old = await insertedToken(user, { expiresAt: T0 + MIN });
        const other = await inserted();
        const othersOld = await insertedToken(other, { expiresAt: T0 + MIN });
        await store.insertToken(makeToken(user), T0 + 2 * MIN);
        expect(await store.findToken(old.hash)).toBeNull();
        expect(await store.findToken(othersOld.hash)).not.toBeNull();
      });

      it('consumes a reset token once: sets the password, verifies the address, voids the other reset tokens', async () => {
        const user = await inserted();
        const token = await insertedToken(user);
        const sibling = await insertedToken(user);
        const verification = await insertedToken(user, { purpose: 'email_verification', expiresAt: T0 + 60 * MIN });
        const now = T0 + 5 * MIN;
        const updated = await store.consumePasswordReset(token.hash, 'reset-hash', now);
        expect(updated).toEqual({ ...user, passwordHash: 'reset-hash', passwordChangedAt: now, updatedAt: now, emailVerified: true });
        expect((await store.findToken(token.hash))?.consumedAt).toBe(now);
        expect((await store.findToken(sibling.hash))?.consumedAt).toBe(now);
        expect((await store.findToken(verification.hash))?.consumedAt).toBeNull();
        expect(await store.consumePasswordReset(token.hash, 'again', now + 1)).toBeNull();
        expect(await store.consumePasswordReset(sibling.hash, 'again', now + 1)).toBeNull();
        expect((await store.findUserById(user.id))?.passwordHash).toBe('reset-hash');
      });

      it('refuses a reset token at exactly its expiry, and accepts it 1 ms before', async () => {
        const user = await inserted();
        const a = await insertedToken(user, { expiresAt: T0 + 30 * MIN });
        expect(await store.consumePasswordReset(a.hash, 'x', T0 + 30 * MIN)).toBeNull();
        expect((await store.findToken(a.hash))?.consumedAt).toBeNull();
        expect(await store.consumePasswordReset(a.hash, 'x', T0 + 30 * MIN - 1)).not.toBeNull();
      });

      it('does not consume a token of the other purpose', async () => {
        const user = await inserted();
        const verification = await insertedToken(user, { purpose: 'email_verification' });
        const reset = await insertedToken(user);
        expect(await store.consumePasswordReset(verification.hash, 'x', T0 + 1)).toBeNull();
        expect(await store.consumeEmailVerification(reset.hash, T0 + 1)).toBeNull();
        expect((await store.findToken(verification.hash))?.consumedAt).toBeNull();
        expect((await store.findToken(reset.hash))?.consumedAt).toBeNull();
        expect((await store.findUserById(user.id))?.passwordHash).toBe(user.passwordHash);
      });

      it('refuses a token mailed to an address the user no longer has', async () => {
        const user = await inserted();
        const token = await insertedToken(user, { email: 'previous@example.com' });
        expect(await store.consumePasswordReset(token.hash, 'x', T0 + 1)).toBeNull();
        const verification = await insertedToken(user, { purpose: 'email_verification', email: 'previous@example.com' });
        expect(await store.consumeEmailVerification(verification.hash, T0 + 1)).toBeNull();
      });

      it('consumes a verification token once and marks the address verified', async () => {
        const user = await inserted();
        const token = await insertedToken(user, { purpose: 'email_verification', expiresAt: T0 + 60 * MIN });
        const verified = await store.consumeEmailVerification(token.hash, T0 + MIN);
        expect(verified).toEqual({ ...user, emailVerified: true, updatedAt: T0 + MIN });
        expect(await store.consumeEmailVerification(token.hash, T0 + 2 * MIN)).toBeNull();
      });

      it('lets exactly one of many concurrent consumers of one reset token win', async () => {
        const user = await inserted();
        const token = await insertedToken(user);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.consumePasswordReset(token.hash, `hash-${i}`, T0 + MIN)));
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        expect((await store.findUserById(user.id))?.passwordHash).toBe(winners[0]!.passwordHash);
      });

      it('consumes all outstanding tokens of one purpose for a user', async () => {
        const user = await inserted();
        await insertedToken(user);
        await insertedToken(user);
        const verification = await insertedToken(user, { purpose: 'email_verification' });
        expect(await store.consumeAllTokens(user.id, 'password_reset', T0 + 1)).toBe(2);
        expect(await store.consumeAllTokens(user.id, 'password_reset', T0 + 2)).toBe(0);
        expect((await store.findToken(verification.hash))?.consumedAt).toBeNull();
      });
    });
  });
}
