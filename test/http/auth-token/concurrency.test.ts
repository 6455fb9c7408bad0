/**
 * Invariant: parallel refreshes of one cookie (several tabs, retries) never log the user out:
 * within the leeway every request gets 200 with the same new cookie and access token; no
 * family revocation, no alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, signIn, withSession } from '../../helpers/sessions.js';

const NAME = 'gatehouse_refresh';

describe('concurrent POST /auth/token/refresh', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await createUser(server);
  });
  afterAll(() => server.close());

  it('eight parallel requests with one cookie all get the same successor', async () => {
    const session = await signIn(server);
    const cookie = cookieValue(await withSession(server, session, '/auth/token', { method: 'POST' }), NAME)!;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call(server, '/auth/token/refresh', { method: 'POST', headers: { origin: server.url, cookie: `${NAME}=${cookie}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => cookieValue(r, NAME))).size).toBe(1);
    expect(new Set(results.map((r): unknown => r.json.access_token)).size).toBe(1);
    expect(server.events.filter((e) => e.type === 'alert.raise')).toHaveLength(0);
    const next = cookieValue(results[0]!, NAME)!;
    expect((await call(server, '/auth/token/refresh', { method: 'POST', headers: { origin: server.url, cookie: `${NAME}=${next}` } })).status).toBe(200);
  });
});
