import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /healthz and GET /readyz → 200', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('/healthz needs no key', async () => {
    const res = await call(server, '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok' });
    expect(typeof res.json.version).toBe('string');
  });

  it('/readyz reports each backing service', async () => {
    const res = await call(server, '/readyz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', checks: { storage: 'ok', counters: 'ok' } });
  });
});
