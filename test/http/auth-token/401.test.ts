import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, setCookies, signIn, withSession, type SignedIn } from '../../helpers/sessions.js';

const NAME = 'gatehouse_refresh';

describe('browser token flow: 401', () => {
  let server: TestServer;
  let session: SignedIn;
  beforeAll(async () => {
    server = await startTestServer();
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const refresh = (cookie?: string) => call(server, '/auth/token/refresh', { method: 'POST', headers: { origin: server.url, ...(cookie ? { cookie: `${NAME}=${cookie}` } : {}) } });

  it('POST /auth/token without a session is 401 session.invalid and sets no cookie', async () => {
    const res = await call(server, '/auth/token', { method: 'POST', headers: { origin: server.url } });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('session.invalid');
    expect(setCookies(res)).toEqual([]);
  });

  it('refresh without a cookie, or with a malformed or unknown one, is the same 401 refresh_token.invalid and clears the cookie', async () => {
    const bodies = [];
    for (const c of [undefined, 'garbage', `ghrt_${'Z'.repeat(43)}`]) {
      const res = await refresh(c);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json.code).toBe('refresh_token.invalid');
      bodies.push(res.json.detail);
      if (c) expect(setCookies(res).some((l) => l.startsWith(`${NAME}=;`))).toBe(true);
      if (c) expect(res.text).not.toContain(c);
    }
    expect(new Set(bodies).size).toBe(1);
  });

  it('a reused refresh cookie after the leeway revokes the family: the current cookie stops working too', async () => {
    const issued = await withSession(server, session, '/auth/token', { method: 'POST' });
    const first = cookieValue(issued, NAME)!;
    const rotated = await refresh(first);
    const second = cookieValue(rotated, NAME)!;
    server.clock.advanceSeconds(11);
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(second)).status).toBe(401);
    const alert = server.events.find((e) => e.type === 'alert.raise' && e.reason === 'refresh_token_reuse');
    expect(alert).toBeDefined();
    expect(JSON.stringify(server.events)).not.toContain(first);
  });

  it('after sign-out the refresh cookie stops working (the family dies with the session)', async () => {
    const s = await signIn(server);
    const issued = await withSession(server, s, '/auth/token', { method: 'POST' });
    const token = cookieValue(issued, NAME)!;
    expect((await withSession(server, s, '/auth/logout', { method: 'POST' })).status).toBe(204);
    const res = await refresh(token);
    expect(res.status).toBe(401);
    expect(server.events.some((e) => e.type === 'token.refresh' && e.reason === 'session_ended')).toBe(true);
  });
});
