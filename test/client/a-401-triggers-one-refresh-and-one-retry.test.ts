/**
 * Invariant: when a resource server answers 401 to a request made with the session's access
 * token, `fetchWithAuth` refreshes once and retries the request once, with the same method and
 * body; if the retry is refused too, that 401 is returned to the caller. It never loops, so a
 * misconfigured resource server cannot make the client hammer the token endpoint.
 */
import { describe, expect, it } from 'vitest';
import { createOAuthClient, createMemoryTokenStore } from '../../src/client/index.js';
import { createFakeOAuthServer, ISSUER, RESOURCE } from '../helpers/fake-oauth-server.js';

function setup() {
  const server = createFakeOAuthServer();
  const store = createMemoryTokenStore();
  const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, metadata: server.metadata, fetch: server.fetch });
  return { server, oauth, store };
}

describe('a 401 triggers one refresh and one retry', () => {
  it('refreshes once and retries once with the same body after a 401', async () => {
    const { server, oauth, store } = setup();
    await store.set('sid', { accessToken: 'stale', tokenType: 'Bearer', refreshToken: 'rt-0' });
    server.validRefreshTokens.add('rt-0');
    const res = await oauth.fetchWithAuth('sid', new Request(RESOURCE, { method: 'PUT', body: 'payload' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'PUT', body: 'payload' });
    expect(server.resourceRequests).toEqual(['stale', 'at-1']);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('returns the second 401 as is: two resource requests and one refresh, not more', async () => {
    const { server, oauth, store } = setup();
    await store.set('sid', { accessToken: 'stale', tokenType: 'Bearer', refreshToken: 'rt-0' });
    server.validRefreshTokens.add('rt-0');
    server.resourceAlwaysRejects = true;
    const res = await oauth.fetchWithAuth('sid', RESOURCE);
    expect(res.status).toBe(401);
    expect(server.resourceRequests).toHaveLength(2);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('does not refresh on other statuses (403, 500)', async () => {
    const { server, oauth, store } = setup();
    await store.set('sid', { accessToken: 'stale', tokenType: 'Bearer', refreshToken: 'rt-0' });
    const fetch403 = createOAuthClient({
      issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, metadata: server.metadata,
      fetch: () => Promise.resolve(new Response(null, { status: 403 })),
    });
    expect((await fetch403.fetchWithAuth('sid', RESOURCE)).status).toBe(403);
    expect(server.tokenRequests).toHaveLength(0);
    void oauth;
  });
});
