/**
 * Invariant: an authorization response is only acted on when its `state` equals the one this
 * user's pending request sent (compared in constant time). A missing, wrong or replayed
 * `state` (a login-CSRF attempt, RFC 6749 §10.12, RFC 9700 §4.7) fails with
 * `state_mismatch` before anything else happens: no code exchange, no tokens stored, and even
 * an `error` parameter is not reported as the server's error, because the response may not
 * come from our request.
 */
import { describe, expect, it } from 'vitest';
import { createOAuthClient, createMemoryTokenStore, OAuthValidationError } from '../../src/client/index.js';
import { createFakeOAuthServer, ISSUER } from '../helpers/fake-oauth-server.js';

describe('callback state must match', () => {
  const server = createFakeOAuthServer();
  const store = createMemoryTokenStore();
  const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, metadata: server.metadata, fetch: server.fetch });
  const iss = `iss=${encodeURIComponent(ISSUER)}`;

  it.each([
    ['a different state', (s: string) => `code=good-code&state=${s}x&${iss}`],
    ['a state of another length', () => `code=good-code&state=short&${iss}`],
    ['no state', () => `code=good-code&${iss}`],
    ['an empty state', () => `code=good-code&state=&${iss}`],
    ['an error with a wrong state', () => `error=access_denied&state=forged&${iss}`],
  ])('refuses %s without exchanging the code', async (_label, query) => {
    const { pending } = await oauth.createAuthorizationRequest({ scope: 'api' });
    const err = await oauth.handleCallback('sid', `https://app.example.com/cb?${query(pending.state)}`, pending).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthValidationError);
    expect(err).toMatchObject({ code: 'state_mismatch' });
    expect(server.tokenRequests).toHaveLength(0);
    expect(store.size).toBe(0);
  });

  it('refuses a state from another pending request (no cross-session reuse)', async () => {
    const mine = await oauth.createAuthorizationRequest();
    const theirs = await oauth.createAuthorizationRequest();
    await expect(oauth.handleCallback('sid', `https://app.example.com/cb?code=good-code&state=${theirs.pending.state}&${iss}`, mine.pending)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(server.tokenRequests).toHaveLength(0);
  });
});
