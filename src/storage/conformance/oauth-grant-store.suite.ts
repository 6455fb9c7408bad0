import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthorizationCodeRecord, OAuthGrantStore } from '../../oauth/grant-store.js';

/** The store under test and how to release it. */
export interface OAuthGrantStoreFixture {
  store: OAuthGrantStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);

function code(n: number, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: String(n).padStart(64, 'c'),
    clientId: 'cli_01JAAAAAAAAAAAAAAAAAAAAAAA',
    userId: 'usr_01JAAAAAAAAAAAAAAAAAAAAAAA',
    sessionId: 'ses_01JAAAAAAAAAAAAAAAAAAAAAAA',
    redirectUri: 'https://app.example.com/cb',
    scopes: ['read', 'write'],
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    nonce: 'n-0S6_WzA2Mj',
    authTime: T0 - 1000,
    amr: ['pwd'],
    createdAt: T0,
    expiresAt: T0 + 60_000,
    consumedAt: null,
    replayedAt: null,
    familyId: null,
    resources: ['https://api.example.com'],
    ...overrides,
  };
}

/** Runs the OAuth grant store conformance suite (authorization codes, consents) against one implementation. */
export function runOAuthGrantStoreConformance(name: string, open: () => Promise<OAuthGrantStoreFixture>): void {
  describe(`OAuthGrantStore conformance: ${name}`, () => {
    let fixture: OAuthGrantStoreFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('stores a code and finds it by hash, every field intact', async () => {
      await fixture.store.insertCode(code(1));
      expect(await fixture.store.findCode(code(1).codeHash)).toEqual(code(1));
      expect(await fixture.store.findCode(code(2).codeHash)).toBeNull();
      await fixture.store.insertCode(code(3, { redirectUri: null, codeChallenge: null, codeChallengeMethod: null, nonce: null }));
      expect(await fixture.store.findCode(code(3).codeHash)).toEqual(code(3, { redirectUri: null, codeChallenge: null, codeChallengeMethod: null, nonce: null }));
    });

    it('consumes a code exactly once, even with concurrent calls (compare-and-set)', async () => {
      await fixture.store.insertCode(code(1));
      const results = await Promise.all(Array.from({ length: 8 }, () => fixture.store.consumeCode(code(1).codeHash, T0 + 1000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await fixture.store.findCode(code(1).codeHash))?.consumedAt).toBe(T0 + 1000);
    });

    it('does not consume an expired or unknown code (expiry at exactly expiresAt)', async () => {
      await fixture.store.insertCode(code(1));
      expect(await fixture.store.consumeCode(code(1).codeHash, T0 + 60_000)).toBe(false);
      expect(await fixture.store.consumeCode(code(2).codeHash, T0)).toBe(false);
      expect(await fixture.store.consumeCode(code(1).codeHash, T0 + 59_999)).toBe(true);
    });

    it('records a replay once and refuses to attach a family after it', async () => {
      await fixture.store.insertCode(code(1));
      await fixture.store.consumeCode(code(1).codeHash, T0 + 1);
      expect(await fixture.store.attachFamily(code(1).codeHash, 'rtf_1')).toBe(true);
      const replayed = await fixture.store.recordReplay(code(1).codeHash, T0 + 2);
      expect(replayed).toMatchObject({ familyId: 'rtf_1', replayedAt: T0 + 2 });
      expect((await fixture.store.recordReplay(code(1).codeHash, T0 + 3))?.replayedAt).toBe(T0 + 2);
      expect(await fixture.store.attachFamily(code(1).codeHash, 'rtf_2')).toBe(false);
      expect(await fixture.store.recordReplay(code(9).codeHash, T0)).toBeNull();
    });

    it('deletes codes that expired before a time', async () => {
      await fixture.store.insertCode(code(1));
      await fixture.store.insertCode(code(2, { expiresAt: T0 + 120_000 }));
      expect(await fixture.store.deleteExpiredCodes(T0 + 60_001)).toBe(1);
      expect(await fixture.store.findCode(code(1).codeHash)).toBeNull();
      expect(await fixture.store.findCode(code(2).codeHash)).not.toBeNull();
    });

    it('saves, replaces, lists and deletes consents per user and client', async () => {
      const consent = { userId: 'usr_1', clientId: 'cli_1', scopes: ['read'], createdAt: T0, updatedAt: T0 };
      expect(await fixture.store.findConsent('usr_1', 'cli_1')).toBeNull();
      await fixture.store.saveConsent(consent);
      await fixture.store.saveConsent({ ...consent, scopes: ['read', 'write'], createdAt: T0 + 5, updatedAt: T0 + 5 });
      await fixture.store.saveConsent({ ...consent, clientId: 'cli_2', updatedAt: T0 + 1 });
      await fixture.store.saveConsent({ ...consent, userId: 'usr_2' });
      expect(await fixture.store.findConsent('usr_1', 'cli_1')).toEqual({ ...consent, scopes: ['read', 'write'], updatedAt: T0 + 5 });
      expect((await fixture.store.listConsents('usr_1')).map((c) => c.clientId)).toEqual(['cli_1', 'cli_2']);
      expect(await fixture.store.deleteConsent('usr_1', 'cli_1')).toBe(true);
      expect(await fixture.store.deleteConsent('usr_1', 'cli_1')).toBe(false);
      expect(await fixture.store.findConsent('usr_2', 'cli_1')).not.toBeNull();
    });
  });
}
