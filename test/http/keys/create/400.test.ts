import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer, type TestResponse } from '../../../helpers/server.js';

describe('POST /v1/keys → 400', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  function expectBadRequest(res: TestResponse, code = 'request.invalid'): void {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json).toMatchObject({ type: `https://gatehouse.dev/errors/${code}`, title: 'Bad Request', status: 400, code });
    expect(res.json.instance).toMatch(/^urn:gatehouse:request:/);
    expect(typeof res.json.detail).toBe('string');
    expect(res.json).not.toHaveProperty('key');
  }

  const invalidBodies: Array<[string, unknown]> = [
    ['missing name', { scopes: ['a'] }],
    ['empty name', { name: '' }],
    ['blank name', { name: '   ' }],
    ['name with a control character', { name: 'a\u0007b' }],
    ['name too long', { name: 'n'.repeat(201) }],
    ['name not a string', { name: 42 }],
    ['unknown field', { name: 'x', admin: true }],
    ['unknown field key (a caller-chosen secret is not accepted)', { name: 'x', key: 'gk_live_chosen' }],
    ['scopes not an array', { name: 'x', scopes: 'admin' }],
    ['scopes with a non-string', { name: 'x', scopes: [1] }],
    ['scope with a space', { name: 'x', scopes: ['a b'] }],
    ['scope with a quote', { name: 'x', scopes: ['a"b'] }],
    ['scope with a backslash', { name: 'x', scopes: ['a\\b'] }],
    ['scope with non-ASCII', { name: 'x', scopes: ['äpfel'] }],
    ['empty scope', { name: 'x', scopes: [''] }],
    ['too many scopes', { name: 'x', scopes: Array.from({ length: 65 }, (_, i) => `s${i}`) }],
    ['metadata over 4 KiB', { name: 'x', metadata: { blob: 'x'.repeat(4100) } }],
    ['metadata an array', { name: 'x', metadata: ['a'] }],
    ['metadata a string', { name: 'x', metadata: 'a' }],
    ['rate_limit limit 0', { name: 'x', rate_limit: { limit: 0, window_seconds: 60 } }],
    ['rate_limit limit negative', { name: 'x', rate_limit: { limit: -1, window_seconds: 60 } }],
    ['rate_limit limit too large', { name: 'x', rate_limit: { limit: 1_000_000_001, window_seconds: 60 } }],
    ['rate_limit window 0', { name: 'x', rate_limit: { limit: 10, window_seconds: 0 } }],
    ['rate_limit window over a day', { name: 'x', rate_limit: { limit: 10, window_seconds: 86_401 } }],
    ['rate_limit fractional', { name: 'x', rate_limit: { limit: 1.5, window_seconds: 60 } }],
    ['rate_limit as string numbers', { name: 'x', rate_limit: { limit: '10', window_seconds: '60' } }],
    ['rate_limit missing window', { name: 'x', rate_limit: { limit: 10 } }],
    ['rate_limit unknown member', { name: 'x', rate_limit: { limit: 10, window_seconds: 60, burst: 5 } }],
    ['expires_in_seconds 0', { name: 'x', expires_in_seconds: 0 }],
    ['expires_in_seconds over ten years', { name: 'x', expires_in_seconds: 315_360_001 }],
    ['expires_in_seconds a string', { name: 'x', expires_in_seconds: '60' }],
    ['unknown environment', { name: 'x', environment: 'prod' }],
    ['owner_id empty', { name: 'x', owner_id: '' }],
    ['owner_id with a control character', { name: 'x', owner_id: 'a\nb' }],
    ['body an array', [{ name: 'x' }]],
    ['body a string', 'x'],
    ['body null', null],
  ];

  for (const [name, body] of invalidBodies) {
    it(name, async () => {
      expectBadRequest(await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } }));
    });
  }

  it('an unknown field is named in the detail (e.g. "scope" for "scopes"), its value never', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', body: { name: 'x', scope: ['orders:read-SECRET-VALUE'] } });
    expectBadRequest(res);
    expect(res.json.detail).toBe('body has an unknown property "scope".');
    expect(res.text).not.toContain('SECRET-VALUE');
  });

  it('an unknown field in a nested object is named with its place', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', body: { name: 'x', rate_limit: { limit: 10, window_seconds: 60, burst: 5 } } });
    expectBadRequest(res);
    expect(res.json.detail).toBe('body/rate_limit has an unknown property "burst".');
  });

  it('an unknown field whose name is not a plain short field name (a pasted key, control characters) is not repeated', async () => {
    for (const name of [`\u001b]0;pwned\u0007`, server.adminKey, 'k'.repeat(500)]) {
      const res = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: JSON.stringify({ name: 'x', [name]: 1 }), headers: { 'content-type': 'application/json' } });
      expectBadRequest(res);
      expect(res.json.detail).toBe('body has an unknown property (its name is not repeated).');
      expect(res.text).not.toContain(server.adminKey);
    }
  });

  const malformed: Array<[string, string]> = [
    ['truncated JSON', '{"name":'],
    ['trailing garbage', '{"name":"x"} x'],
    ['single quotes', "{'name':'x'}"],
    ['empty body with a JSON content type', ''],
    ['a __proto__ member', '{"name":"x","__proto__":{"admin":true}}'],
  ];

  for (const [name, raw] of malformed) {
    it(`malformed: ${name}`, async () => {
      expectBadRequest(await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json' } }), 'request.malformed_body');
    });
  }

  it('no body at all', async () => {
    expectBadRequest(await call(server, '/v1/keys', { key: server.adminKey, method: 'POST' }));
  });

  it('deeply nested metadata within the body limit is a 400, not a 500', async () => {
    const depth = 10_000;
    const raw = `{"name":"x","metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth + 1)}`;
    expect(Buffer.byteLength(raw)).toBeLessThan(64 * 1024);
    expectBadRequest(await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json' } }));
  });

  it('deeply nested arrays in metadata within the body limit are a 400, not a 500', async () => {
    const depth = 20_000;
    const raw = `{"name":"x","metadata":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    expectBadRequest(await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: raw, headers: { 'content-type': 'application/json' } }));
  });

  it('nothing was created by any of the refused requests', async () => {
    const list = await call(server, '/v1/keys?limit=100', { key: server.adminKey });
    expect(list.json.items.map((k: { id: string }) => k.id)).toEqual([server.adminId]);
    expect(server.events.filter((e) => e.type === 'api_key.create')).toHaveLength(1);
  });
});
