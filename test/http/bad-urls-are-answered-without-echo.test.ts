/**
 * Invariant: a request whose URL the router cannot take (a malformed percent-encoding, a path
 * parameter over the length limit) gets the same kind of answer as every other refused
 * request: 400 `request.invalid` as RFC 9457 problem+json, with `x-request-id`,
 * `cache-control: no-store` and `x-content-type-options: nosniff`, and never an echo of the
 * URL. A URL's query can carry an API key (`?api_key=…`, pasted by a careless client), and
 * a response quoting it lands in browser histories, proxy caches and client logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { PROBLEM_JSON, startTestServer, type TestServer } from '../helpers/server.js';

describe('bad URLs are answered with problem+json, without echo', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const paths = (key: string): Array<[string, string]> => [
    ['a malformed percent-encoding in the id', `/v1/keys/%E0%A4%A?api_key=${key}`],
    ['a malformed percent-encoding, then a key in the path', `/v1/keys/%E0%A4%A${key}`],
    ['a malformed percent-encoding on rotate', `/v1/keys/%ZZ/rotate?key=${key}`],
    ['an id over the parameter length limit', `/v1/keys/${key}${'x'.repeat(200)}?api_key=${key}`],
  ];

  for (const [name, path] of paths('KEYPLACEHOLDER')) {
    it(name, async () => {
      const key = server.adminKey;
      const target = path.replaceAll('KEYPLACEHOLDER', key);
      for (const headers of [[], [Buffer.from(`Authorization: Bearer ${key}`)], [Buffer.from('X-Request-Id: client-chosen-id-1')]]) {
        const res = await rawRequest(server.url, 'GET', target, headers);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-request-id']).toMatch(/\S/);
        const body = JSON.parse(res.body) as Record<string, unknown>;
        expect(body).toMatchObject({ status: 400, code: 'request.invalid', instance: `urn:gatehouse:request:${res.headers['x-request-id']}` });
        expect(res.body).not.toContain(key);
        expect(res.body).not.toContain(key.slice(-20));
        expect(res.body).not.toContain('%E0');
        expect(res.body).not.toContain('FST_');
      }
    });
  }

  it('a client-chosen request id is kept', async () => {
    const res = await rawRequest(server.url, 'GET', '/v1/keys/%E0%A4%A', [Buffer.from('X-Request-Id: client-chosen-id-1')]);
    expect(res.headers['x-request-id']).toBe('client-chosen-id-1');
  });

  it('nothing about the URL reaches the operational log either', () => {
    expect(server.logLines.join('\n')).not.toContain(server.adminKey);
  });
});
