/**
 * Invariant: when the authorization server refuses the session's refresh token with
 * `invalid_grant` (expired, revoked, or reused, RFC 6749 §5.2), the client deletes every token
 * stored for that session and throws `RefreshTokenExpiredError`, so the app sends the user
 * to sign in again instead of retrying a dead credential on every request. Other sessions'
 * tokens are untouched, and the error names no token.
 */
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createOAuthClient, createMemoryTokenStore, NotSignedInError, RefreshTokenExpiredError, TokenEndpointError } from '../../src/client/index.js';
import { createFakeOAuthServer, ISSUER, RESOURCE } from '../helpers/fake-oauth-server.js';

describe('dead refresh token clears stored tokens', () => {
  it('throws RefreshTokenExpiredError, clears this session only, and later calls are NotSignedIn', async () => {
    const server = createFakeOAuthServer();
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const store = createMemoryTokenStore();
    const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, clock, metadata: server.metadata, fetch: server.fetch });
    await store.set('dead', { accessToken: 'at-dead', tokenType: 'Bearer', expiresAt: clock.now() / 1000 + 5, refreshToken: 'rt-revoked' });
    await store.set('alive', { accessToken: 'at-alive', tokenType: 'Bearer', expiresAt: clock.now() / 1000 + 3600, refreshToken: 'rt-alive' });

    const err = await oauth.fetchWithAuth('dead', RESOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefreshTokenExpiredError);
    expect(err).toMatchObject({ code: 'refresh_token_expired' });
    expect((err as Error).cause).toBeInstanceOf(TokenEndpointError);
    expect((err as Error).cause).toMatchObject({ code: 'invalid_grant' });
    expect(JSON.stringify({ m: (err as Error).message, s: (err as Error).stack })).not.toContain('rt-revoked');

    expect(await store.get('dead')).toBeUndefined();
    expect(await store.get('alive')).toBeDefined();
    expect(server.resourceRequests).toEqual([]);
    await expect(oauth.fetchWithAuth('dead', RESOURCE)).rejects.toBeInstanceOf(NotSignedInError);
  });

  it('also after a 401 with a dead refresh token', async () => {
    const server = createFakeOAuthServer();
    const store = createMemoryTokenStore();
    const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, metadata: server.metadata, fetch: server.fetch });
    await store.set('sid', { accessToken: 'at-unknown', tokenType: 'Bearer', refreshToken: 'rt-revoked' });
    await expect(oauth.fetchWithAuth('sid', RESOURCE)).rejects.toBeInstanceOf(RefreshTokenExpiredError);
    expect(await store.get('sid')).toBeUndefined();
  });
});
