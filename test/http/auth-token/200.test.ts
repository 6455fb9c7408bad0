import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, setCookies, signIn, withSession, type SignedIn } from '../../helpers/sessions.js';

const NAME = '__Secure-gatehouse_refresh';

describe('POST /auth/token, /auth/token/refresh, /auth/token/revoke (browser flow)', () => {
  let server: TestServer;
  let session: SignedIn;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const refresh = (cookie: string, path = '/auth/token/refresh') => call(server, path, { method: 'POST', headers: { cookie: `${NAME}=${cookie}`, origin: server.url } });

  it('exchanges the session for an access token in the body and the refresh token in a cookie with exact attributes', async () => {
    const res = await withSession(server, session, '/auth/token', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const claims = decodeJwt(res.json.access_token);
    expect(claims).toMatchObject({ iss: server.gatehouse.tokens.issuer, aud: server.gatehouse.tokens.issuer, client_id: 'gatehouse', amr: ['pwd'] });
    expect(claims.sub).toMatch(/^usr_/);
    const lines = setCookies(res).filter((l) => l.startsWith(`${NAME}=`));
    expect(lines).toHaveLength(1);
    const value = cookieValue(res, NAME)!;
    expect(value).toMatch(/^ghrt_[A-Za-z0-9_-]{43}$/);
    expect(lines[0]).toBe(`${NAME}=${value}; Max-Age=1209600; Path=/auth/token; HttpOnly; Secure; SameSite=Strict`);
    expect(res.text).not.toContain(value);
  });

  it('refresh rotates the cookie and returns a new access token; the body never holds the refresh token', async () => {
    const issued = await withSession(server, session, '/auth/token', { method: 'POST' });
    const first = cookieValue(issued, NAME)!;
    server.clock.advanceSeconds(60);
    const res = await refresh(first);
    expect(res.status).toBe(200);
    const second = cookieValue(res, NAME)!;
    expect(second).toMatch(/^ghrt_/);
    expect(second).not.toBe(first);
    expect(res.json.access_token).not.toBe(issued.json.access_token);
    expect(res.json).not.toHaveProperty('refresh_token');
    expect(res.text).not.toContain(second);
    expect(setCookies(res).find((l) => l.startsWith(`${NAME}=`))).toBe(`${NAME}=${second}; Max-Age=${1209600 - 60}; Path=/auth/token; HttpOnly; Secure; SameSite=Strict`);
    expect((await refresh(second)).status).toBe(200);
  });

  it('revoke clears the cookie and kills the family', async () => {
    const issued = await withSession(server, session, '/auth/token', { method: 'POST' });
    const token = cookieValue(issued, NAME)!;
    const res = await refresh(token, '/auth/token/revoke');
    expect(res.status).toBe(204);
    const cleared = setCookies(res).find((l) => l.startsWith(`${NAME}=`));
    expect(cleared).toBe(`${NAME}=; Max-Age=0; Path=/auth/token; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`);
    expect((await refresh(token)).status).toBe(401);
    // Revoking again (or with no cookie) is still 204 (RFC 7009 §2.2).
    expect((await refresh(token, '/auth/token/revoke')).status).toBe(204);
    expect((await call(server, '/auth/token/revoke', { method: 'POST', headers: { origin: server.url } })).status).toBe(204);
  });

  it('with the development switch (plain HTTP on loopback) the cookie is gatehouse_refresh without Secure', async () => {
    const dev = await startTestServer();
    try {
      await createUser(dev);
      const s = await signIn(dev);
      const res = await withSession(dev, s, '/auth/token', { method: 'POST' });
      const line = setCookies(res).find((l) => l.startsWith('gatehouse_refresh='))!;
      expect(line).toMatch(/^gatehouse_refresh=ghrt_[A-Za-z0-9_-]{43}; Max-Age=1209600; Path=\/auth\/token; HttpOnly; SameSite=Strict$/);
    } finally {
      await dev.close();
    }
  });

  it('jwt.refreshToken.inBody: true also returns it in the body', async () => {
    const s2 = await startTestServer({ overrides: { jwt: { refreshToken: { inBody: true } } } });
    try {
      await createUser(s2);
      const s = await signIn(s2);
      const res = await withSession(s2, s, '/auth/token', { method: 'POST' });
      expect(res.json.refresh_token).toBe(cookieValue(res, 'gatehouse_refresh'));
      expect(res.json.refresh_token_expires_in).toBe(1209600);
    } finally {
      await s2.close();
    }
  });
});
