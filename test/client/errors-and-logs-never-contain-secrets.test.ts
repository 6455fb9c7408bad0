/**
 * Invariant: the client helper never writes to the console, and no error it throws — message,
 * stack, enumerable properties, or anything in its `cause` chain — contains an access token,
 * refresh token, authorization code, PKCE verifier, client secret or the app's session id.
 * Apps log errors as they come; a bearer credential in a log line is a credential leak.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryTokenStore, createOAuthClient } from '../../src/client/index.js';
import { createFakeOAuthServer, ISSUER, RESOURCE } from '../helpers/fake-oauth-server.js';

const SECRETS = {
  clientSecret: 'client-secret-SENTINEL-1',
  sessionId: 'session-id-SENTINEL-2',
  accessToken: 'access-token-SENTINEL-3',
  refreshToken: 'refresh-token-SENTINEL-4',
  code: 'auth-code-SENTINEL-5',
};

function dump(err: unknown, depth = 0): string {
  if (depth > 5 || err === undefined || err === null) return '';
  if (!(err instanceof Error)) return JSON.stringify(err) ?? '';
  return [err.message, err.stack ?? '', JSON.stringify(err), JSON.stringify(Object.entries(err)), dump(err.cause, depth + 1)].join('\n');
}

describe('errors and logs never contain secrets', () => {
  const spies: Array<ReturnType<typeof vi.spyOn>> = [];
  beforeEach(() => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) spies.push(vi.spyOn(console, method));
  });
  afterEach(() => {
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    spies.length = 0;
  });

  it('for every failure path of callback, exchange, refresh and fetch', async () => {
    const server = createFakeOAuthServer();
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const store = createMemoryTokenStore();
    const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: SECRETS.clientSecret, redirectUri: 'https://app.example.com/cb', store, clock, metadata: server.metadata, fetch: server.fetch });
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) => p.then(() => expect.unreachable(), (e: unknown) => errors.push(e));
    const iss = `iss=${encodeURIComponent(ISSUER)}`;

    const { pending } = await oauth.createAuthorizationRequest({ scope: 'api' });
    await capture(oauth.handleCallback(SECRETS.sessionId, `https://app.example.com/cb?code=${SECRETS.code}&state=wrong&${iss}`, pending));
    await capture(oauth.handleCallback(SECRETS.sessionId, `https://app.example.com/cb?code=${SECRETS.code}&state=${pending.state}&iss=x`, pending));
    await capture(oauth.handleCallback(SECRETS.sessionId, `https://app.example.com/cb?code=${SECRETS.code}&state=${pending.state}&${iss}`, pending));
    await capture(oauth.handleCallback(SECRETS.sessionId, `https://app.example.com/cb?error=access_denied&state=${pending.state}&${iss}`, pending));
    await capture(oauth.fetchWithAuth(SECRETS.sessionId, RESOURCE));
    await store.set(SECRETS.sessionId, { accessToken: SECRETS.accessToken, tokenType: 'Bearer', expiresAt: clock.now() / 1000, refreshToken: SECRETS.refreshToken });
    await capture(oauth.fetchWithAuth(SECRETS.sessionId, RESOURCE));
    await store.set(SECRETS.sessionId, { accessToken: SECRETS.accessToken, tokenType: 'Bearer', expiresAt: clock.now() / 1000 });
    await capture(oauth.getAccessToken(SECRETS.sessionId));

    expect(errors.map((e) => (e as Error).name)).toEqual([
      'OAuthValidationError', 'OAuthValidationError', 'TokenEndpointError', 'AccessDeniedError', 'NotSignedInError', 'RefreshTokenExpiredError', 'RefreshTokenExpiredError',
    ]);
    const text = errors.map((e) => dump(e)).join('\n');
    for (const secret of [...Object.values(SECRETS), pending.codeVerifier]) expect(text).not.toContain(secret);
  });
});
