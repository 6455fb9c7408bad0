/**
 * Invariant: a request that repeats a credential header (`Authorization` or `X-API-Key`) is
 * refused with 400 `auth.invalid_request`, by Gatehouse's own server and by the Fastify and
 * Express middleware alike, and authenticates as nobody. Node keeps only the first
 * `Authorization` header and joins repeated `X-API-Key` values with commas, so without this
 * rule a request carrying two credentials (one smuggled past a proxy that checks the other,
 * say) would silently be judged by whichever Node happened to keep (RFC 6750 §2: a client
 * uses one method, once).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAuth } from '../../src/middleware/express.js';
import { rawRequest, type RawResponse } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('repeated credential headers are refused', () => {
  let server: TestServer;
  let expressServer: Server;
  let expressUrl: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    server = await startTestServer();
    a = (await server.gatehouse.apiKeys.create({ name: 'a', rateLimit: { limit: 1000, windowSeconds: 60 } })).key;
    b = (await server.gatehouse.apiKeys.create({ name: 'b', rateLimit: { limit: 1000, windowSeconds: 60 } })).key;
    const app = express();
    const requireKey = apiKeyAuth({ verifier: server.gatehouse.apiKeys });
    app.get('/me', requireKey(), (req, res) => {
      res.json({ id: req.gatehouse?.apiKey.id });
    });
    expressServer = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      expressServer.close(() => resolve());
      expressServer.closeAllConnections();
    });
    await server.close();
  });

  const lines = (...headers: string[]) => headers.map((h) => Buffer.from(h, 'latin1'));

  function expectInvalidRequest(res: RawResponse): void {
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_request"');
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'auth.invalid_request' });
    expect(res.body).not.toContain(a);
    expect(res.body).not.toContain(b);
  }

  const cases: Array<[string, () => Buffer[]]> = [
    ['two Authorization: Bearer headers with different keys', () => lines(`Authorization: Bearer ${a}`, `Authorization: Bearer ${b}`)],
    ['two Authorization: Bearer headers with the same key', () => lines(`Authorization: Bearer ${a}`, `Authorization: Bearer ${a}`)],
    ['a valid Bearer and a garbage Authorization header', () => lines(`Authorization: Bearer ${a}`, 'Authorization: Basic Zm9vOmJhcg==')],
    ['two X-API-Key headers', () => lines(`X-API-Key: ${a}`, `X-API-Key: ${b}`)],
    ['two X-API-Key headers with the same key', () => lines(`X-API-Key: ${a}`, `X-API-Key: ${a}`)],
  ];

  for (const [name, headers] of cases) {
    it(`Gatehouse server (Fastify middleware), GET /v1/whoami: ${name} → 400`, async () => {
      expectInvalidRequest(await rawRequest(server.url, 'GET', '/v1/whoami', headers()));
    });

    it(`Express middleware: ${name} → 400`, async () => {
      expectInvalidRequest(await rawRequest(expressUrl, 'GET', '/me', headers()));
    });
  }

  it('an admin endpoint with the admin key repeated → 400, nothing listed', async () => {
    const res = await rawRequest(server.url, 'GET', '/v1/keys', lines(`Authorization: Bearer ${server.adminKey}`, `Authorization: Bearer ${a}`));
    expectInvalidRequest(res);
    expect(res.body).not.toContain('items');
  });

  it('a repeated header authenticates nobody: no verification is attempted', async () => {
    const before = server.events.filter((e) => e.type === 'api_key.verify').length;
    await rawRequest(server.url, 'GET', '/v1/whoami', lines(`Authorization: Bearer ${a}`, `Authorization: Bearer ${b}`));
    expect(server.events.filter((e) => e.type === 'api_key.verify')).toHaveLength(before);
  });

  it('one header of each kind with the same key, and a single header, still work', async () => {
    expect((await rawRequest(server.url, 'GET', '/v1/whoami', lines(`Authorization: Bearer ${a}`, `X-API-Key: ${a}`))).status).toBe(200);
    expect((await rawRequest(server.url, 'GET', '/v1/whoami', lines(`X-API-Key: ${a}`))).status).toBe(200);
    expect((await rawRequest(expressUrl, 'GET', '/me', lines(`Authorization: Bearer ${a}`))).status).toBe(200);
  });
});
