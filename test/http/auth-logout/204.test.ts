import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, postForm, signIn, withSession } from '../../helpers/sessions.js';

describe('POST /auth/logout', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('JSON: 204, the session ends for good and the cookie is cleared', async () => {
    const s = await signIn(server);
    const other = await signIn(server);
    const res = await withSession(server, s, '/auth/logout', { method: 'POST' });
    expect(res.status).toBe(204);
    const cleared = res.headers.getSetCookie().find((l) => l.startsWith('__Host-gatehouse_session='));
    expect(cleared).toMatch(/^__Host-gatehouse_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
    expect((await withSession(server, s, '/auth/session')).status).toBe(401);
    expect((await withSession(server, other, '/auth/session')).status).toBe(200);
    const types = server.events.slice(-2).map((e) => [e.type, e.reason]);
    expect(types).toEqual([
      ['session.end', 'logout'],
      ['auth.logout', 'ok'],
    ]);
    expect(JSON.stringify(server.events)).not.toContain(s.cookie);
    expect(server.logLines.join('')).not.toContain(s.cookie);
    expect(server.logLines.join('')).not.toContain(s.csrf);
  });

  it('form (the signed-in page\'s button): 303 to /login', async () => {
    const s = await signIn(server);
    const res = await postForm(server, '/auth/logout', { _csrf: s.csrf }, { cookie: s.header, origin: server.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect((await withSession(server, s, '/auth/session')).status).toBe(401);
  });

  it('without a session (or with a dead one): 204 and the cookie cleared, nothing else happens', async () => {
    const res = await call(server, '/auth/logout', { method: 'POST' });
    expect(res.status).toBe(204);
    expect(server.events.some((e) => e.type === 'auth.logout')).toBe(false);
    const dead = await call(server, '/auth/logout', { method: 'POST', headers: { cookie: `__Host-gatehouse_session=${'Z'.repeat(43)}` } });
    expect(dead.status).toBe(204);
  });

  it('needs CSRF proof like any cookie-authenticated change: no Origin and no token → 403, still signed in', async () => {
    const s = await signIn(server);
    const res = await withSession(server, s, '/auth/logout', { method: 'POST', csrf: false });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('csrf.rejected');
    expect((await withSession(server, s, '/auth/session')).status).toBe(200);
  });
});
