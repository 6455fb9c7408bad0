import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /readyz → 503', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('when storage is closed under a running server: 503 problem+json, never 500; /healthz stays 200', async () => {
    await server.gatehouse.close();
    const res = await call(server, '/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.json).toMatchObject({ status: 503, code: 'storage.unavailable' });
    expect(res.text).not.toMatch(/sqlite|database closed|select/i);
    expect(server.logLines.some((l) => l.includes('readiness check failed'))).toBe(true);
    expect((await call(server, '/healthz')).status).toBe(200);
  });

  it('when storage is closed, API-key requests fail closed with 503, not 500 and not 200', async () => {
    await server.gatehouse.close();
    const res = await call(server, '/v1/whoami', { key: server.adminKey });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json.code).toBe('storage.unavailable');
    expect(res.text).not.toContain(server.adminKey);
  });
});
