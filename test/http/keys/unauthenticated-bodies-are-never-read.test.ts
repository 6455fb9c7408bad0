/**
 * Invariant: the server reads, parses and validates a request body on the key management
 * endpoints and on `POST /v1/keys/verify` only for a caller whose API key holds the endpoint's
 * scope. Anyone else gets 401 (no or an invalid key) or 403 (a key without the scope) as soon
 * as the headers arrive: before the body, whatever its size, media type or syntax. An
 * unauthenticated client can neither make the server buffer and parse bodies for it, nor
 * hold a connection by announcing a body it never sends, nor learn how the server judges
 * input (413/415/400) without credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/raw-http.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('bodies of callers without the required scope are never read', () => {
  let server: TestServer;
  let plainKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    plainKey = (await server.gatehouse.apiKeys.create({ name: 'plain', scopes: ['orders:read'], rateLimit: { limit: 1000, windowSeconds: 60 } })).key;
  });

  afterAll(async () => {
    await server.close();
  });

  const paths = ['/v1/keys', '/v1/keys/verify'];

  for (const path of paths) {
    it(`POST ${path}: a body announced but never sent gets 401 (no key) or 403 (no scope) at once`, async () => {
      const header = (key?: string) => [
        Buffer.from('Content-Type: application/json'),
        Buffer.from('Content-Length: 1000'),
        ...(key ? [Buffer.from(`Authorization: Bearer ${key}`)] : []),
      ];
      // rawRequest sends the headers only; the server must answer without waiting for the body.
      const anonymous = await rawRequest(server.url, 'POST', path, header(), 3000);
      expect(anonymous.status).toBe(401);
      const unscoped = await rawRequest(server.url, 'POST', path, header(plainKey), 3000);
      expect(unscoped.status).toBe(403);
    });

    it(`POST ${path}: oversized, non-JSON and malformed bodies get 401 without a key, not 413/415/400`, async () => {
      const huge = await call(server, path, { body: { name: 'x', key: 'x', metadata: { blob: 'x'.repeat(100 * 1024) } } });
      expect(huge.status).toBe(401);
      const text = await call(server, path, { method: 'POST', rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(401);
      const malformed = await call(server, path, { method: 'POST', rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
      expect(malformed.status).toBe(401);
    });

    it(`POST ${path}: the same bodies get 403 with a key lacking the scope`, async () => {
      const huge = await call(server, path, { key: plainKey, body: { name: 'x', key: 'x', metadata: { blob: 'x'.repeat(100 * 1024) } } });
      expect(huge.status).toBe(403);
      const text = await call(server, path, { key: plainKey, method: 'POST', rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(403);
      const malformed = await call(server, path, { key: plainKey, method: 'POST', rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
      expect(malformed.status).toBe(403);
    });
  }

  it('PATCH and rotate: an unparseable body without a key gets 401', async () => {
    const { apiKey } = await server.gatehouse.apiKeys.create({ name: 'target' });
    for (const [method, path] of [
      ['PATCH', `/v1/keys/${apiKey.id}`],
      ['POST', `/v1/keys/${apiKey.id}/rotate`],
    ] as const) {
      const res = await call(server, path, { method, rawBody: 'nope', headers: { 'content-type': 'application/xml' } });
      expect(res.status).toBe(401);
    }
  });

  it('with the admin key, the same bodies are judged: 413, 415, 400', async () => {
    const huge = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'x', metadata: { blob: 'x'.repeat(100 * 1024) } } });
    expect(huge.status).toBe(413);
    const text = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const malformed = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
  });
});
