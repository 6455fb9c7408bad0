import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('POST /v1/keys → 413', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('a body over 64 KiB is refused with 413 problem+json', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'x', metadata: { blob: 'x'.repeat(65 * 1024) } } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json).toMatchObject({ status: 413, code: 'request.body_too_large' });
  });

  it('a body of exactly the limit is read (and then judged on its content)', async () => {
    const prefix = '{"name":"x","metadata":{"blob":"';
    const suffix = '"}}';
    const raw = prefix + 'x'.repeat(64 * 1024 - prefix.length - suffix.length) + suffix;
    expect(Buffer.byteLength(raw)).toBe(65_536);
    const res = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('request.invalid');
  });

  it('a configured smaller body limit applies', async () => {
    const small = await startTestServer({ overrides: { server: { bodyLimitBytes: 1024 } } });
    try {
      const res = await call(small, '/v1/keys', { key: small.adminKey, body: { name: 'x', metadata: { blob: 'x'.repeat(2000) } } });
      expect(res.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});
