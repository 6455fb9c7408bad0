/**
 * Invariant: the cookie-authenticated token routes cannot be driven cross-site (CSRF). A
 * foreign `Origin`, a cross-site fetch without one, or a missing/wrong synchronizer token gets
 * 403 `csrf.rejected`, and nothing is issued, rotated or revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, setCookies, signIn, withSession, type SignedIn } from '../../helpers/sessions.js';

const NAME = 'gatehouse_refresh';

describe('browser token flow: CSRF refusal (403)', () => {
  let server: TestServer;
  let session: SignedIn;
  let refreshCookie: string;
  beforeAll(async () => {
    server = await startTestServer();
    await createUser(server);
    session = await signIn(server);
    refreshCookie = cookieValue(await withSession(server, session, '/auth/token', { method: 'POST' }), NAME)!;
  });
  afterAll(() => server.close());

  it('POST /auth/token with a foreign Origin, or without Origin and CSRF token, is refused', async () => {
    const attempts: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, {}, { 'x-csrf-token': 'wrong' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of attempts) {
      const res = await withSession(server, session, '/auth/token', { method: 'POST', csrf: false, headers });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('csrf.rejected');
      expect(setCookies(res)).toEqual([]);
    }
  });

  it('refresh and revoke with a foreign Origin or no proof are refused and change nothing', async () => {
    for (const path of ['/auth/token/refresh', '/auth/token/revoke']) {
      const attempts: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, {}, { 'x-csrf-token': 'wrong' }];
      for (const headers of attempts) {
        const res = await call(server, path, { method: 'POST', headers: { ...headers, cookie: `${NAME}=${refreshCookie}` } });
        expect(res.status).toBe(403);
        expect(res.json.code).toBe('csrf.rejected');
      }
    }
    // The session's CSRF token is accepted in place of Origin, and the cookie still works.
    const ok = await call(server, '/auth/token/refresh', { method: 'POST', headers: { cookie: `${NAME}=${refreshCookie}; ${session.header}`, 'x-csrf-token': session.csrf } });
    expect(ok.status).toBe(200);
  });
});
