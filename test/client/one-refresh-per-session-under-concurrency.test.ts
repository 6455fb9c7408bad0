/**
 * Invariant: however many requests of one session need a new access token at the same time,
 * the client sends exactly one refresh request for that session, and every caller uses its
 * result. Servers that rotate refresh tokens with reuse detection (RFC 9700 §4.14.2) treat a
 * second use of the same refresh token as theft and revoke the whole grant, so parallel
 * refreshes would sign the user out. Sessions are independent: one session's refresh never
 * blocks or reuses another's.
 */
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createOAuthClient, createMemoryTokenStore } from '../../src/client/index.js';
import { createFakeOAuthServer, ISSUER, RESOURCE } from '../helpers/fake-oauth-server.js';

const N = 25;

function setup() {
  const server = createFakeOAuthServer();
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const store = createMemoryTokenStore();
  const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, clock, metadata: server.metadata, fetch: server.fetch, refreshSkewSeconds: 60 });
  const signIn = async (sid: string) => {
    const { pending } = await oauth.createAuthorizationRequest();
    await oauth.handleCallback(sid, `https://app.example.com/cb?code=good-code&state=${pending.state}&iss=${encodeURIComponent(ISSUER)}`, pending);
  };
  return { server, clock, oauth, signIn };
}

const refreshes = (server: ReturnType<typeof createFakeOAuthServer>) => server.tokenRequests.filter((r) => r.body.get('grant_type') === 'refresh_token');

describe('one refresh per session under concurrency', () => {
  it(`${N} concurrent calls near expiry send exactly one refresh request`, async () => {
    const { server, clock, oauth, signIn } = setup();
    await signIn('sid');
    clock.advanceSeconds(280);
    let open!: () => void;
    server.gate = new Promise((resolve) => (open = resolve));
    const calls = Array.from({ length: N }, () => oauth.fetchWithAuth('sid', RESOURCE));
    while (refreshes(server).length === 0) await new Promise((resolve) => setImmediate(resolve));
    open();
    const responses = await Promise.all(calls);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(refreshes(server)).toHaveLength(1);
    expect(new Set(server.resourceRequests)).toEqual(new Set(['at-2']));
  });

  it(`${N} concurrent calls that all get a 401 send exactly one refresh request`, async () => {
    const { server, oauth, signIn } = setup();
    await signIn('sid');
    server.validAccessTokens.clear(); // the server revoked the access token early
    const responses = await Promise.all(Array.from({ length: N }, () => oauth.fetchWithAuth('sid', RESOURCE)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(refreshes(server)).toHaveLength(1);
    expect(server.resourceRequests.filter((t) => t === 'at-1')).toHaveLength(N);
    expect(server.resourceRequests.filter((t) => t === 'at-2')).toHaveLength(N);
  });

  it('two sessions refresh independently', async () => {
    const { server, clock, oauth, signIn } = setup();
    await signIn('a');
    await signIn('b');
    clock.advanceSeconds(280);
    await Promise.all([oauth.fetchWithAuth('a', RESOURCE), oauth.fetchWithAuth('b', RESOURCE), oauth.fetchWithAuth('a', RESOURCE)]);
    expect(refreshes(server).map((r) => r.body.get('refresh_token')).sort()).toEqual(['rt-1', 'rt-2']);
  });
});
