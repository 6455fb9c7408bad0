import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createFakeOAuthServer, ISSUER, RESOURCE } from '../../test/helpers/fake-oauth-server.js';
import { createOAuthClient, type OAuthClientOptions } from './client.js';
import { NotSignedInError, RefreshTokenExpiredError, TokenEndpointError } from './errors.js';
import { createMemoryTokenStore } from './token-store.js';

function setup(overrides: Partial<OAuthClientOptions> = {}) {
  const server = createFakeOAuthServer();
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  const store = createMemoryTokenStore();
  const oauth = createOAuthClient({
    issuer: ISSUER,
    clientId: 'app',
    clientSecret: 's3cret value',
    redirectUri: 'https://app.example.com/cb',
    store,
    clock,
    fetch: server.fetch,
    metadata: server.metadata,
    refreshSkewSeconds: 30,
    ...overrides,
  });
  const signIn = async (sessionId = 'sid-1') => {
    const { pending } = await oauth.createAuthorizationRequest({ scope: 'api' });
    return oauth.handleCallback(sessionId, `https://app.example.com/cb?code=good-code&state=${pending.state}&iss=${encodeURIComponent(ISSUER)}`, pending);
  };
  return { server, clock, store, oauth, signIn };
}

describe('handleCallback', () => {
  it('exchanges the code with the verifier and redirect_uri, authenticates with client_secret_basic, and stores the tokens', async () => {
    const { server, store, oauth, clock } = setup();
    const { url, pending } = await oauth.createAuthorizationRequest({ scope: 'api', resource: 'https://api.example.com/' });
    expect(url.searchParams.get('client_id')).toBe('app');
    const { tokens } = await oauth.handleCallback('sid-1', `https://app.example.com/cb?code=good-code&state=${pending.state}&iss=${encodeURIComponent(ISSUER)}`, pending);
    const req = server.tokenRequests[0]!;
    expect(Object.fromEntries(req.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'good-code',
      redirect_uri: 'https://app.example.com/cb',
      code_verifier: pending.codeVerifier,
      resource: 'https://api.example.com/',
    });
    expect(req.authorization).toBe(`Basic ${Buffer.from('app:s3cret+value').toString('base64')}`);
    expect(tokens).toEqual({ accessToken: 'at-1', tokenType: 'Bearer', expiresAt: clock.now() / 1000 + 300, refreshToken: 'rt-1', scope: 'api', idToken: undefined });
    expect(await store.get('sid-1')).toEqual(tokens);
  });

  it('sends client_id and client_secret in the body with client_secret_post, and client_id alone for a public client', async () => {
    const post = setup({ tokenEndpointAuthMethod: 'client_secret_post' });
    await post.signIn();
    expect(post.server.tokenRequests[0]!.authorization).toBeNull();
    expect(post.server.tokenRequests[0]!.body.get('client_secret')).toBe('s3cret value');
    expect(post.server.tokenRequests[0]!.body.get('client_id')).toBe('app');

    const pub = setup({ clientSecret: undefined });
    await pub.signIn();
    expect(pub.server.tokenRequests[0]!.authorization).toBeNull();
    expect(pub.server.tokenRequests[0]!.body.get('client_id')).toBe('app');
    expect(pub.server.tokenRequests[0]!.body.has('client_secret')).toBe(false);
  });

  it('surfaces a refused code as TokenEndpointError and stores nothing', async () => {
    const { oauth, store } = setup();
    const { pending } = await oauth.createAuthorizationRequest();
    await expect(oauth.handleCallback('sid-1', `https://app.example.com/cb?code=bad&state=${pending.state}&iss=${encodeURIComponent(ISSUER)}`, pending)).rejects.toMatchObject({
      name: 'TokenEndpointError',
      code: 'invalid_grant',
      status: 400,
    });
    expect(store.size).toBe(0);
  });

  it('refuses a secret auth method without a secret at construction', () => {
    expect(() => setup({ clientSecret: undefined, tokenEndpointAuthMethod: 'client_secret_basic' })).toThrow(TypeError);
  });
});

describe('fetchWithAuth', () => {
  it('sends the access token as a Bearer header and keeps the method and body', async () => {
    const { server, oauth, signIn } = setup();
    await signIn();
    const res = await oauth.fetchWithAuth('sid-1', RESOURCE, { method: 'POST', body: 'hello' });
    expect(await res.json()).toEqual({ ok: true, method: 'POST', body: 'hello' });
    expect(server.resourceRequests).toEqual(['at-1']);
  });

  it('does not refresh while the token is outside the skew window', async () => {
    const { server, oauth, clock, signIn } = setup();
    await signIn();
    clock.advanceSeconds(300 - 31);
    await oauth.fetchWithAuth('sid-1', RESOURCE);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('refreshes before expiry, once the token is within refreshSkewSeconds of expiring', async () => {
    const { server, oauth, clock, store, signIn } = setup();
    await signIn();
    clock.advanceSeconds(300 - 30);
    const res = await oauth.fetchWithAuth('sid-1', RESOURCE);
    expect(res.status).toBe(200);
    expect(server.tokenRequests.map((r) => r.body.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    expect(server.tokenRequests[1]!.body.get('refresh_token')).toBe('rt-1');
    expect(server.resourceRequests).toEqual(['at-2']);
    expect(await store.get('sid-1')).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: clock.now() / 1000 + 300 });
  });

  it('keeps the old refresh token when the refresh response has none (RFC 6749 §6)', async () => {
    const { server, oauth, store, signIn } = setup();
    await signIn();
    const original = server.fetch;
    server.fetch = async (input, init) => {
      const res = await original(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/token')) return res;
      const body = (await res.json()) as Record<string, unknown>;
      delete body.refresh_token;
      return Response.json(body);
    };
    const oauth2 = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'x', redirectUri: 'https://app.example.com/cb', store, metadata: server.metadata, fetch: server.fetch });
    await oauth2.refresh('sid-1');
    expect(await store.get('sid-1')).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-1' });
    void oauth;
  });

  it('throws NotSignedInError for a session without tokens', async () => {
    const { oauth } = setup();
    await expect(oauth.fetchWithAuth('nobody', RESOURCE)).rejects.toBeInstanceOf(NotSignedInError);
  });

  it('keeps the tokens when a refresh fails for another reason than invalid_grant', async () => {
    const { server, oauth, clock, store, signIn } = setup();
    await signIn();
    const original = server.fetch;
    server.fetch = (input, init) =>
      String(input instanceof Request ? input.url : input).endsWith('/token') ? Promise.resolve(new Response('<html>busy</html>', { status: 503 })) : original(input, init);
    const oauth2 = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'x', redirectUri: 'https://app.example.com/cb', store, clock, metadata: server.metadata, fetch: server.fetch });
    clock.advanceSeconds(299);
    const err = await oauth2.fetchWithAuth('sid-1', RESOURCE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err).toMatchObject({ code: 'invalid_response', status: 503 });
    expect(await store.get('sid-1')).toBeDefined();
    void oauth;
  });

  it('signOut forgets the tokens', async () => {
    const { oauth, store, signIn } = setup();
    await signIn();
    await oauth.signOut('sid-1');
    expect(await store.get('sid-1')).toBeUndefined();
    await expect(oauth.fetchWithAuth('sid-1', RESOURCE)).rejects.toBeInstanceOf(NotSignedInError);
  });

  it('a refresh racing a sign-out does not bring the tokens back', async () => {
    const { server, oauth, store, signIn } = setup();
    await signIn();
    let open!: () => void;
    server.gate = new Promise((resolve) => (open = resolve));
    const refreshing = oauth.refresh('sid-1');
    while (server.tokenRequests.length < 2) await new Promise((resolve) => setImmediate(resolve));
    await store.delete('sid-1');
    open();
    await expect(refreshing).rejects.toBeInstanceOf(NotSignedInError);
    expect(await store.get('sid-1')).toBeUndefined();
  });

  it('throws RefreshTokenExpiredError and clears the tokens when there is no refresh token and the access token expired', async () => {
    const { oauth, clock, store } = setup();
    await store.set('sid-1', { accessToken: 'at-x', tokenType: 'Bearer', expiresAt: clock.now() / 1000 + 10 });
    await expect(oauth.fetchWithAuth('sid-1', RESOURCE)).rejects.toBeInstanceOf(RefreshTokenExpiredError);
    expect(await store.get('sid-1')).toBeUndefined();
  });
});
