/**
 * Runs every `examples/jwt-*` app (Fastify, Express, Hono, fetch handler) over real HTTP on an
 * ephemeral port, in demo mode (keys given inline) and against a JWKS server (keys fetched
 * from `jwksUri`, the way a service verifies Gatehouse's tokens).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoIssuer, DEMO_AUDIENCE, DEMO_ISSUER, verifierFromEnv, type DemoIssuer } from '../../examples/jwt-demo.js';
import { buildJwtExpressApp, listenJwtExpress } from '../../examples/jwt-express.js';
import { buildJwtFastifyApp } from '../../examples/jwt-fastify.js';
import { buildJwtFetchHandler } from '../../examples/jwt-fetch.js';
import { buildJwtHonoApp } from '../../examples/jwt-hono.js';
import { serveFetch } from '../../examples/jwt-node-server.js';
import { createJwtVerifier, type JwtVerifier } from '../../src/jwt/verifier/index.js';

type Start = (verifier: JwtVerifier) => Promise<{ url: string; close(): Promise<void> }>;
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

const examples: Array<[string, Start]> = [
  ['Fastify', async (verifier) => {
    const app = buildJwtFastifyApp({ verifier });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { url, close: () => app.close() };
  }],
  ['Express', async (verifier) => {
    const server = await listenJwtExpress(buildJwtExpressApp({ verifier }), 0);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => closeServer(server) };
  }],
  ['Hono', async (verifier) => {
    const app = buildJwtHonoApp({ verifier });
    const { server, url } = await serveFetch((request) => app.fetch(request), 0);
    return { url, close: () => closeServer(server) };
  }],
  ['fetch handler', async (verifier) => {
    const { server, url } = await serveFetch(buildJwtFetchHandler({ verifier }), 0);
    return { url, close: () => closeServer(server) };
  }],
];

describe.each(examples)('%s JWT example', (_name, start) => {
  let issuer: DemoIssuer;
  let example: { url: string; close(): Promise<void> };
  let jwksServer: Server;
  let remote: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    const setup = verifierFromEnv({});
    issuer = setup.issuer!;
    example = await start(setup.verifier);
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(JSON.stringify(issuer.jwks)));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    remote = await start(createJwtVerifier({ issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, algorithms: ['EdDSA'], jwksUri }));
  });
  afterAll(async () => {
    await example?.close();
    await remote?.close();
    if (jwksServer) await closeServer(jwksServer);
  });

  const call = (base: string, path: string, token?: string, init: RequestInit = {}) =>
    fetch(base + path, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string> | undefined) } });

  it('serves the public route, and 401 with a bare challenge without a token', async () => {
    expect((await call(example.url, '/')).status).toBe(200);
    const response = await call(example.url, '/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
  });

  it('lets a valid token through with its claims and scopes', async () => {
    const response = await call(example.url, '/me', issuer.accessToken({ sub: 'user_alice', scope: 'orders:read' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'user_alice', client_id: 'demo-client', scopes: ['orders:read'] });
  });

  it('checks each route scope: 403 insufficient_scope, then 201 and 200', async () => {
    const reader = issuer.accessToken({ sub: 'user_carol', scope: 'orders:read' });
    const writer = issuer.accessToken({ sub: 'user_carol', scope: 'orders:read orders:write' });
    const post = (token: string) => call(example.url, '/orders', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ item: 'book', quantity: 2 }) });
    const refused = await post(reader);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="orders:write"');
    expect((await post(writer)).status).toBe(201);
    const listed = await call(example.url, '/orders', reader);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ items: [{ owner: 'user_carol', item: 'book', quantity: 2 }] });
  });

  it('refuses expired, foreign-audience and tampered tokens with 401 invalid_token', async () => {
    const expired = issuer.accessToken({ sub: 'user_bob', nowS: Math.floor(Date.now() / 1000) - 3600 });
    const foreign = issuer.accessToken({ sub: 'user_bob', aud: 'billing-api' });
    const other = createDemoIssuer().accessToken({ sub: 'user_bob' });
    for (const token of [expired, foreign, other, 'not-a-jwt']) {
      const response = await call(example.url, '/me', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
    }
  });

  it('answers 400 invalid_request for a malformed Authorization header', async () => {
    const response = await fetch(`${example.url}/me`, { headers: { authorization: 'Bearer a b' } });
    expect(response.status).toBe(400);
  });

  it('verifies with keys fetched from a JWKS URI', async () => {
    const response = await call(remote.url, '/me', issuer.accessToken({ sub: 'user_remote' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'user_remote' });
  });
});
