import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /v1/whoami → 429', () => {
  let server: TestServer;
  let key: string;

  beforeEach(async () => {
    server = await startTestServer();
    key = (await server.gatehouse.apiKeys.create({ name: 'limited', rateLimit: { limit: 3, windowSeconds: 60 } })).key;
  });

  afterEach(async () => {
    await server.close();
  });

  it('the request after the limit gets 429 with Retry-After and the RateLimit fields; the next window admits again', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await call(server, '/v1/whoami', { key });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit')).toBe(`"api_key";r=${2 - i};t=60`);
    }
    const limited = await call(server, '/v1/whoami', { key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-policy')).toBe('"api_key";q=3;w=60');
    expect(limited.headers.get('ratelimit')).toMatch(/^"api_key";r=0;t=\d+$/);
    expect(limited.json).toMatchObject({ status: 429, code: 'rate_limit.exceeded', 'violated-policies': ['api_key'] });
    expect(limited.text).not.toContain(key);

    server.clock.advanceSeconds(60);
    const again = await call(server, '/v1/whoami', { key });
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit')).toBe('"api_key";r=2;t=60');
  });

  it('Retry-After counts down with the clock and never goes below 1', async () => {
    for (let i = 0; i < 3; i++) await call(server, '/v1/whoami', { key });
    server.clock.advanceSeconds(45);
    const limited = await call(server, '/v1/whoami', { key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('15');
    server.clock.advance(14_999);
    const last = await call(server, '/v1/whoami', { key });
    expect(last.status).toBe(429);
    expect(last.headers.get('retry-after')).toBe('1');
    server.clock.advance(1);
    expect((await call(server, '/v1/whoami', { key })).status).toBe(200);
  });

  it('refused requests do not count: the window after admits the full limit', async () => {
    for (let i = 0; i < 10; i++) await call(server, '/v1/whoami', { key });
    server.clock.advanceSeconds(60);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(server, '/v1/whoami', { key })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('rate limits are per key: another key is unaffected', async () => {
    for (let i = 0; i < 4; i++) await call(server, '/v1/whoami', { key });
    const other = await server.gatehouse.apiKeys.create({ name: 'other' });
    expect((await call(server, '/v1/whoami', { key: other.key })).status).toBe(200);
  });
});
