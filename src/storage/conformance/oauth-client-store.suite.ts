import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OAuthClientStore } from '../../oauth/store.js';
import type { OAuthClientRecord } from '../../oauth/types.js';

/** The store under test and how to release it. */
export interface OAuthClientStoreFixture {
  store: OAuthClientStore;
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);

function client(n: number, overrides: Partial<OAuthClientRecord> = {}): OAuthClientRecord {
  return {
    id: `cli_01JAAAAAAAAAAAAAAAAAAAAAA${n}`,
    name: `client ${n}`,
    redirectUris: ['https://app.example.com/cb'],
    postLogoutRedirectUris: ['https://app.example.com/signed-out'],
    grantTypes: ['authorization_code', 'client_credentials'],
    responseTypes: ['code'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    scopes: ['read', 'write'],
    jwks: null,
    secretHash: String(n).padStart(64, 'a'),
    createdAt: T0,
    updatedAt: T0,
    secretUpdatedAt: T0,
    ...overrides,
  };
}

/** Runs the OAuth client store conformance suite against one implementation. */
export function runOAuthClientStoreConformance(name: string, open: () => Promise<OAuthClientStoreFixture>): void {
  describe(`OAuthClientStore conformance: ${name}`, () => {
    let fixture: OAuthClientStoreFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('stores a client and reads every field back', async () => {
      const record = client(1, { jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] }, tokenEndpointAuthMethod: 'private_key_jwt', secretHash: null, secretUpdatedAt: null });
      await fixture.store.insert(record);
      expect(await fixture.store.findById(record.id)).toEqual(record);
      expect(await fixture.store.findById('cli_01JAAAAAAAAAAAAAAAAAAAAAA9')).toBeNull();
    });

    it('refuses a second client with the same id', async () => {
      await fixture.store.insert(client(1));
      await expect(fixture.store.insert(client(1))).rejects.toMatchObject({ code: 'storage.unavailable' });
    });

    it('lists newest first with a keyset cursor', async () => {
      for (const n of [1, 2, 3]) await fixture.store.insert(client(n));
      const first = await fixture.store.list({ limit: 2 });
      expect(first.items.map((c) => c.id)).toEqual([client(3).id, client(2).id]);
      expect(first.nextCursor).toBe(client(2).id);
      const second = await fixture.store.list({ limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((c) => c.id)).toEqual([client(1).id]);
      expect(second.nextCursor).toBeNull();
    });

    it('updates only the fields in the patch and sets updatedAt', async () => {
      await fixture.store.insert(client(1));
      const updated = await fixture.store.update(client(1).id, { scopes: ['read'], secretHash: 'b'.repeat(64), secretUpdatedAt: T0 + 5 }, T0 + 5);
      expect(updated).toEqual({ ...client(1), scopes: ['read'], secretHash: 'b'.repeat(64), secretUpdatedAt: T0 + 5, updatedAt: T0 + 5 });
      expect(await fixture.store.findById(client(1).id)).toEqual(updated);
      expect(await fixture.store.update(client(9).id, { name: 'x' }, T0)).toBeNull();
    });

    it('deletes a client once and returns it', async () => {
      await fixture.store.insert(client(1));
      expect(await fixture.store.delete(client(1).id)).toEqual(client(1));
      expect(await fixture.store.delete(client(1).id)).toBeNull();
      expect(await fixture.store.findById(client(1).id)).toBeNull();
    });
  });
}
