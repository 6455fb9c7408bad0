/**
 * End to end against another authorization server: `oidc-provider` (installed from npm) runs
 * in-process on an ephemeral port with a confidential client (PKCE required, refresh tokens),
 * its development login and consent pages driven with `fetch` and a cookie jar. A small
 * resource server checks bearer tokens through the provider's RFC 7662 introspection. The
 * helper discovers the metadata, builds the authorization URL, handles the callback (iss,
 * state, code exchange, ID token signature/nonce/at_hash), calls the resource through
 * `fetchWithAuth`, refreshes before expiry, and signs out (RFC 7009 revocation).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- oidc-provider ships no type declarations; used untyped in this test only
import Provider from 'oidc-provider';
import { createManualClock } from '../../src/core/clock.js';
import { AccessDeniedError, createMemoryTokenStore, createOAuthClient, NotSignedInError, type OAuthClient } from '../../src/client/index.js';

const CLIENT_ID = 'bff';
const CLIENT_SECRET = 'bff-secret-for-tests-only-0123456789abcdef';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const ACCESS_TOKEN_TTL_SECONDS = 120;

let providerServer: Server;
let resourceServer: Server;
let issuer: string;
let resourceUrl: string;
/** The resource answers 401 to this many next requests whatever the token (as after a key rollover). */
let rejectNext = 0;
const resourceRequests: string[] = [];

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<[Server, string]> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

beforeAll(async () => {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  [providerServer, issuer] = await listen((req, res) => handler(req, res));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      // Only the test's own confidential client exists, so it may introspect and revoke.
      introspection: { enabled: true, allowedPolicy: () => true },
      revocation: { enabled: true, allowedPolicy: () => true },
    },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
    ttl: { AccessToken: ACCESS_TOKEN_TTL_SECONDS, Interaction: 600, Session: 3600, Grant: 3600, RefreshToken: 86_400, IdToken: 3600 },
  });
  handler = provider.callback();

  // The protected resource: accepts a bearer token the provider says is active.
  [resourceServer, resourceUrl] = await listen((req, res) => {
    void (async () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined) return res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      resourceRequests.push(token);
      if (rejectNext > 0) {
        rejectNext -= 1;
        return res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      }
      const introspection = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      const info = (await introspection.json()) as { active: boolean; sub?: string };
      if (!info.active) return res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: info.sub }));
    })();
  });
});

afterAll(async () => {
  await Promise.all([providerServer, resourceServer].map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Follows the provider's redirects and submits its dev login and consent forms until it redirects to the client. */
async function authorizeInBrowser(authorizationUrl: URL, options: { abort?: boolean } = {}): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = cookie.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (value === '' || attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  let url = authorizationUrl.href;
  for (let step = 0; step < 10; step += 1) {
    const res = await go(url);
    const location = res.headers.get('location');
    if (location === null) {
      const page = await res.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      if (prompt === undefined) throw new Error(`unexpected page at ${url} (HTTP ${res.status})`);
      if (options.abort === true) {
        url = `${url}/abort`;
        continue;
      }
      const form = new URLSearchParams({ prompt, login: 'alice', password: 'any' });
      const posted = await go(url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      url = new URL(posted.headers.get('location') ?? '', url).href;
      continue;
    }
    const next = new URL(location, url).href;
    if (next.startsWith(REDIRECT_URI)) return next;
    url = next;
  }
  throw new Error('too many redirects');
}

describe('gatehouse/client against oidc-provider', () => {
  const clock = createManualClock(Date.now());
  const store = createMemoryTokenStore();
  let oauth: OAuthClient;

  beforeAll(() => {
    oauth = createOAuthClient({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, store, clock, refreshSkewSeconds: 30 });
  });

  it('discovers the metadata (RFC 8414 path missing, OpenID Connect discovery used)', async () => {
    const metadata = await oauth.getMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('signs in: authorization URL → login → consent → callback → code exchange → ID token', async () => {
    const { url, pending } = await oauth.createAuthorizationRequest({ scope: ['openid'] });
    const callback = await authorizeInBrowser(url);
    expect(new URL(callback).searchParams.get('iss')).toBe(issuer);
    const { tokens, idTokenClaims } = await oauth.handleCallback('session-1', callback, pending);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresAt).toBe(Math.floor(clock.now() / 1000) + ACCESS_TOKEN_TTL_SECONDS);
    expect(idTokenClaims).toMatchObject({ iss: issuer, aud: CLIENT_ID, sub: 'alice', nonce: pending.nonce });
  });

  it('calls the protected resource with fetchWithAuth', async () => {
    const res = await oauth.fetchWithAuth('session-1', `${resourceUrl}/me`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'alice' });
  });

  it('refreshes shortly before expiry and keeps working', async () => {
    const before = await store.get('session-1');
    clock.advanceSeconds(ACCESS_TOKEN_TTL_SECONDS - 20);
    const res = await oauth.fetchWithAuth('session-1', `${resourceUrl}/me`);
    expect(res.status).toBe(200);
    const after = await store.get('session-1');
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).toEqual(expect.any(String));
  });

  it('refreshes once and retries once after a 401', async () => {
    const tokens = await store.get('session-1');
    resourceRequests.length = 0;
    rejectNext = 1;
    const res = await oauth.fetchWithAuth('session-1', `${resourceUrl}/me`);
    expect(res.status).toBe(200);
    const after = await store.get('session-1');
    expect(after?.accessToken).not.toBe(tokens!.accessToken);
    expect(resourceRequests).toEqual([tokens!.accessToken, after!.accessToken]);
  });

  it('signs out: tokens forgotten and the refresh token revoked at the provider', async () => {
    const tokens = await store.get('session-1');
    await oauth.signOut('session-1');
    await expect(oauth.fetchWithAuth('session-1', `${resourceUrl}/me`)).rejects.toBeInstanceOf(NotSignedInError);
    const introspection = await fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens!.refreshToken! }),
    });
    expect(await introspection.json()).toEqual({ active: false });
  });

  it('reports the user aborting the interaction as AccessDeniedError', async () => {
    const { url, pending } = await oauth.createAuthorizationRequest({ scope: 'openid' });
    const callback = await authorizeInBrowser(url, { abort: true });
    await expect(oauth.handleCallback('session-2', callback, pending)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await store.get('session-2')).toBeUndefined();
  });
});
