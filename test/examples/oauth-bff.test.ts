/**
 * The backend-for-frontend example (`examples/oauth-bff.ts`) and its protected API
 * (`examples/oauth-resource-api.ts`) without a browser: the BFF's routes without a session, and
 * the API's answers to missing, invalid, foreign, expired and under-scoped tokens. A small local
 * HTTP server plays the authorization server's metadata and JWK Set. The whole flow in a browser
 * against Gatehouse is `test/e2e/oauth-bff.test.ts`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBffApp, type Bff } from '../../examples/oauth-bff.js';
import { buildResourceApi, createGatehouseTokenVerifier } from '../../examples/oauth-resource-api.js';

const BFF = 'http://127.0.0.1:3000';
const API = 'http://127.0.0.1:3001';

describe('oauth-bff example and its resource API', () => {
  let as: Server;
  let issuer: string;
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let bff: Bff;
  let api: FastifyInstance;
  let apiUrl: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('ES256'));
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    as = createServer((req, res) => {
      const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url === '/.well-known/oauth-authorization-server') {
        return json({
          issuer,
          authorization_endpoint: `${issuer}/oauth2/authorize`,
          token_endpoint: `${issuer}/oauth2/token`,
          revocation_endpoint: `${issuer}/oauth2/revoke`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          code_challenge_methods_supported: ['S256'],
          authorization_response_iss_parameter_supported: true,
        });
      }
      if (req.url === '/.well-known/jwks.json') return json({ keys: [jwk] });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => as.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(as.address() as AddressInfo).port}`;
    bff = await buildBffApp({ gatehouseUrl: issuer, clientId: 'cli_orders', clientSecret: 'not-a-real-secret', baseUrl: BFF, apiUrl: API });
    api = buildResourceApi({ verifier: createGatehouseTokenVerifier({ gatehouseUrl: issuer }) });
    apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await bff?.app.close();
    await api?.close();
    if (as) await new Promise<void>((resolve) => as.close(() => resolve()));
  });

  describe('BFF without a session', () => {
    it('shows the signed-out home page with a sign-in link, and sets no cookie', async () => {
      const res = await bff.app.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<h1>Signed out</h1>');
      expect(res.body).toContain('href="/login"');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('treats an unknown session cookie as signed out', async () => {
      const res = await bff.app.inject({ url: '/', cookies: { bff_session: 'forged' } });
      expect(res.body).toContain('<h1>Signed out</h1>');
    });

    it('sends /orders to sign in, with or without an unknown session cookie', async () => {
      for (const cookies of [{}, { bff_session: 'forged' }] as Array<Record<string, string>>) {
        const res = await bff.app.inject({ url: '/orders', cookies });
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/login');
      }
    });

    it('starts the authorization code flow with PKCE S256 at /login, keeping the state server-side', async () => {
      const res = await bff.app.inject({ url: '/login' });
      expect(res.statusCode).toBe(303);
      const location = new URL(res.headers.location as string);
      expect(location.origin + location.pathname).toBe(`${issuer}/oauth2/authorize`);
      const p = location.searchParams;
      expect(Object.fromEntries(p)).toMatchObject({ response_type: 'code', client_id: 'cli_orders', redirect_uri: `${BFF}/callback`, scope: 'orders:read', code_challenge_method: 'S256' });
      expect(p.get('state')).toMatch(/^[\w-]{43,}$/);
      expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(p.has('code_verifier')).toBe(false);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      expect(cookie).toHaveLength(1);
      expect(cookie[0]).toMatch(/^bff_login=[\w-]{43};/);
      expect(cookie[0]).toMatch(/HttpOnly/);
      expect(cookie[0]).toMatch(/SameSite=Lax/);
      expect(cookie[0]).not.toContain(p.get('state')!);
    });

    it('refuses a callback with no sign-in in progress, or with an unknown login cookie', async () => {
      for (const cookies of [{}, { bff_login: 'forged' }] as Array<Record<string, string>>) {
        const res = await bff.app.inject({ url: `/callback?code=abc&state=xyz&iss=${encodeURIComponent(issuer)}`, cookies });
        expect(res.statusCode).toBe(400);
        expect(res.body).toContain('No sign-in is in progress');
        expect(res.headers['set-cookie']).toEqual(expect.stringMatching(/^bff_login=;/));
      }
    });

    it('refuses a callback whose state does not match, without revealing the code', async () => {
      const login = await bff.app.inject({ url: '/login' });
      const loginId = /^bff_login=([^;]+)/.exec(String(login.headers['set-cookie']))![1]!;
      const res = await bff.app.inject({ url: `/callback?code=secret-code&state=wrong&iss=${encodeURIComponent(issuer)}`, cookies: { bff_login: loginId } });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('state_mismatch');
      expect(res.body).not.toContain('secret-code');
      // Single use: the same login cookie is refused afterwards.
      const again = await bff.app.inject({ url: `/callback?code=x&state=y`, cookies: { bff_login: loginId } });
      expect(again.body).toContain('No sign-in is in progress');
    });

    it('signs out to the home page, and refuses a cross-site sign-out', async () => {
      const res = await bff.app.inject({ method: 'POST', url: '/logout', headers: { origin: BFF } });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
      expect(res.headers['set-cookie']).toEqual(expect.stringMatching(/^bff_session=;/));
      const cross = await bff.app.inject({ method: 'POST', url: '/logout', headers: { origin: 'https://evil.example' }, cookies: { bff_session: 'x' } });
      expect(cross.statusCode).toBe(403);
      expect(cross.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('resource API', () => {
    const token = (signer: CryptoKey, claims: Record<string, unknown>, options: { iss?: string; exp?: number } = {}) =>
      new SignJWT({ client_id: 'cli_orders', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
        .setIssuer(options.iss ?? issuer)
        .setAudience(issuer)
        .setSubject('usr_alice')
        .setIssuedAt()
        .setJti(crypto.randomUUID())
        .setExpirationTime(options.exp ?? '5m')
        .sign(signer);
    const get = (path: string, bearer?: string) => fetch(apiUrl + path, bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } });

    it('serves the public route', async () => {
      expect((await get('/')).status).toBe(200);
    });

    it('refuses a missing token with 401 and a bare Bearer challenge', async () => {
      const res = await get('/orders');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    });

    it('refuses invalid tokens with 401 invalid_token: garbage, another key, another issuer, expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const bad of [
        'not-a-jwt',
        await token(otherKey, { scope: 'orders:read' }),
        await token(key, { scope: 'orders:read' }, { iss: 'https://evil.example' }),
        await token(key, { scope: 'orders:read' }, { exp: now - 3600 }),
      ]) {
        const res = await get('/orders', bad);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
      }
    });

    it('refuses a valid token without orders:read with 403, and answers a good one', async () => {
      const under = await get('/orders', await token(key, { scope: 'profile' }));
      expect(under.status).toBe(403);
      expect(under.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
      const ok = await get('/orders', await token(key, { scope: 'orders:read' }));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ sub: 'usr_alice', client_id: 'cli_orders', scopes: ['orders:read'], items: expect.any(Array) });
    });
  });
});
