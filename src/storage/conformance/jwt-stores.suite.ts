import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefreshTokenStore, SigningKeyStore } from '../../jwt/store.js';
import type { RefreshTokenFamily, RefreshTokenRecord, SigningKeyRecord } from '../../jwt/types.js';

/** The stores under test and how to release them. */
export interface JwtStoresFixture {
  keys: SigningKeyStore;
  refreshTokens: RefreshTokenStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);

function key(generation: number, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    kid: `kid-${generation}`,
    generation,
    alg: 'ES256',
    publicJwk: { kty: 'EC', kid: `kid-${generation}`, alg: 'ES256', use: 'sig', crv: 'P-256', x: 'x', y: 'y' },
    encryptedPrivateKey: `gh-kek1.kek_x.iv.ct${generation}.tag`,
    createdAt: T0,
    activatesAt: T0 + generation * 1000,
    retiresAt: null,
    recordedState: 'pending',
    recordedStateAt: T0,
    ...overrides,
  };
}

function family(n: number, overrides: Partial<RefreshTokenFamily> = {}): RefreshTokenFamily {
  return {
    id: `rtf_${n}`,
    subject: 'usr_a',
    clientId: 'gatehouse',
    scopes: ['read'],
    audience: ['https://api.example.com'],
    authTime: T0,
    amr: ['pwd'],
    sessionId: 'ses_1',
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
    revokedAt: null,
    revokeReason: null,
    ...overrides,
  };
}

function token(id: string, familyId: string, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    id,
    tokenHash: id.padEnd(64, '0'),
    familyId,
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
    usedAt: null,
    successorId: null,
    successorBlob: null,
    accessJti: `jti-${id}`,
    accessExpiresAt: T0 + 900_000,
    ...overrides,
  };
}

/**
 * The behaviour every implementation of the JWT ports ({@link SigningKeyStore},
 * {@link RefreshTokenStore}) must show, run unchanged against SQLite and PostgreSQL. The factory
 * returns fresh, empty stores.
 */
export function runJwtStoresConformance(name: string, factory: () => Promise<JwtStoresFixture>): void {
  describe(`JWT stores conformance: ${name}`, () => {
    let fixture: JwtStoresFixture | undefined;
    let keys: SigningKeyStore;
    let refresh: RefreshTokenStore;

    beforeEach(async () => {
      fixture = await factory();
      keys = fixture.keys;
      refresh = fixture.refreshTokens;
    });
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    describe('SigningKeyStore', () => {
      it('round-trips every field, oldest generation first', async () => {
        expect(await keys.insertNext(key(1, { recordedState: 'active' }))).toBe(true);
        expect(await keys.insertNext(key(2))).toBe(true);
        const list = await keys.list();
        expect(list.map((k) => k.generation)).toEqual([1, 2]);
        expect(list[1]).toEqual(key(2));
        // Inserting a generation sets the previous one's retirement to its activation.
        expect(list[0]!.retiresAt).toBe(key(2).activatesAt);
      });

      it('insertNext is a compare-and-set on the generation: concurrent inserts, exactly one wins', async () => {
        await keys.insertNext(key(1));
        const results = await Promise.all([2, 2, 2, 2].map((g, i) => keys.insertNext(key(g, { kid: `kid-2-${i}` }))));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await keys.list()).toHaveLength(2);
      });

      it('advanceState moves only from the expected state, once; removal erases the private key and hides it from list', async () => {
        await keys.insertNext(key(1));
        const moves = await Promise.all([1, 2, 3].map(() => keys.advanceState('kid-1', 'pending', 'active', T0 + 5)));
        expect(moves.filter(Boolean)).toHaveLength(1);
        expect(await keys.advanceState('kid-1', 'pending', 'active', T0 + 6)).toBe(false);
        expect(await keys.advanceState('kid-1', 'active', 'retired', T0 + 7)).toBe(true);
        expect(await keys.advanceState('kid-1', 'retired', 'removed', T0 + 8)).toBe(true);
        expect(await keys.list()).toEqual([]);
        const [removed] = await keys.list({ includeRemoved: true });
        expect(removed).toMatchObject({ recordedState: 'removed', recordedStateAt: T0 + 8, encryptedPrivateKey: null });
      });
    });

    describe('RefreshTokenStore', () => {
      it('creates a family with its first token and finds it by hash', async () => {
        await refresh.createFamily(family(1), token('rt_1', 'rtf_1'));
        expect(await refresh.findByHash(token('rt_1', 'rtf_1').tokenHash)).toEqual({ token: token('rt_1', 'rtf_1'), family: family(1) });
        expect(await refresh.findByHash('f'.repeat(64))).toBeNull();
      });

      it('rotate is a compare-and-set: of concurrent rotations of one token exactly one succeeds', async () => {
        await refresh.createFamily(family(1), token('rt_1', 'rtf_1'));
        const results = await Promise.all(['a', 'b', 'c', 'd'].map((s) => refresh.rotate('rt_1', token(`rt_2${s}`, 'rtf_1'), `blob-${s}`, T0 + 10)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = ['a', 'b', 'c', 'd'][results.indexOf(true)]!;
        const found = await refresh.findByHash(token('rt_1', 'rtf_1').tokenHash);
        expect(found?.token).toMatchObject({ usedAt: T0 + 10, successorId: `rt_2${winner}`, successorBlob: `blob-${winner}` });
        expect(await refresh.findByHash(token(`rt_2${winner}`, 'rtf_1').tokenHash)).not.toBeNull();
        for (const s of ['a', 'b', 'c', 'd'].filter((x) => x !== winner)) expect(await refresh.findByHash(token(`rt_2${s}`, 'rtf_1').tokenHash)).toBeNull();
      });

      it('rotate refuses an expired token and a revoked family', async () => {
        await refresh.createFamily(family(1), token('rt_1', 'rtf_1', { expiresAt: T0 + 5 }));
        expect(await refresh.rotate('rt_1', token('rt_2', 'rtf_1'), 'b', T0 + 5)).toBe(false);
        await refresh.createFamily(family(2), token('rt_3', 'rtf_2'));
        expect(await refresh.revokeFamily('rtf_2', 'reuse_detected', T0 + 1)).toMatchObject({ id: 'rtf_2', revokedAt: T0 + 1, revokeReason: 'reuse_detected' });
        expect(await refresh.rotate('rt_3', token('rt_4', 'rtf_2'), 'b', T0 + 2)).toBe(false);
      });

      it('revokeFamily is a compare-and-set: one concurrent caller gets the family', async () => {
        await refresh.createFamily(family(1), token('rt_1', 'rtf_1'));
        const results = await Promise.all([1, 2, 3].map(() => refresh.revokeFamily('rtf_1', 'revoked', T0 + 1)));
        expect(results.filter((r) => r !== null)).toHaveLength(1);
        expect(await refresh.revokeFamily('rtf_missing', 'revoked', T0 + 1)).toBeNull();
      });

      it('revokes the live families of a subject, lists live access tokens, clears successors, deletes expired families', async () => {
        await refresh.createFamily(family(1), token('rt_1', 'rtf_1'));
        await refresh.createFamily(family(2, { expiresAt: T0 + 10 }), token('rt_2', 'rtf_2', { expiresAt: T0 + 10 }));
        await refresh.createFamily(family(3, { subject: 'usr_b' }), token('rt_3', 'rtf_3'));
        expect(await refresh.revokeFamiliesOfSubject('usr_a', 'password_change', T0 + 20)).toEqual(['rtf_1']);
        expect(await refresh.liveAccessTokens('rtf_1', T0 + 1)).toEqual([{ jti: 'jti-rt_1', expiresAt: T0 + 900_000 }]);
        expect(await refresh.liveAccessTokens('rtf_1', T0 + 900_000)).toEqual([]);
        await refresh.rotate('rt_3', token('rt_4', 'rtf_3'), 'blob', T0 + 100);
        expect(await refresh.clearSuccessors(T0 + 99)).toBe(0);
        expect(await refresh.clearSuccessors(T0 + 100)).toBe(1);
        expect((await refresh.findByHash(token('rt_3', 'rtf_3').tokenHash))?.token.successorBlob).toBeNull();
        expect(await refresh.deleteExpired(T0 + 11)).toBe(1);
        expect(await refresh.findByHash(token('rt_2', 'rtf_2').tokenHash)).toBeNull();
        expect(await refresh.findByHash(token('rt_1', 'rtf_1').tokenHash)).not.toBeNull();
      });
    });
  });
}
