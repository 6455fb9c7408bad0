/**
 * Invariant (CSRF): a state-changing request that a browser sends with the session cookie is
 * carried out only when it comes from this server's pages: a matching Origin, or, without
 * Origin, the session's synchronizer token (`_csrf` field or `X-CSRF-Token`). A form another
 * site posts (foreign Origin, or `Sec-Fetch-Site: cross-site`) is refused with 403 and changes
 * nothing, even though the browser attached the cookie.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, postForm, signIn, withSession } from '../../helpers/sessions.js';

describe('cross-site form posts with the session cookie are refused', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('a cross-site form post to "sign out everywhere else" → 403 csrf.rejected, other sessions untouched', async () => {
    const other = await signIn(server);
    const victim = await signIn(server);
    const res = await postForm(server, '/auth/sessions/revoke-others', {}, { cookie: victim.header, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('csrf.rejected');
    expect((await withSession(server, other, '/auth/session')).status).toBe(200);
  });

  it('a foreign Origin is refused even with the right token (the token may have leaked; the origin decides)', async () => {
    const victim = await signIn(server);
    const res = await postForm(server, '/auth/logout', { _csrf: victim.csrf }, { cookie: victim.header, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect((await withSession(server, victim, '/auth/session')).status).toBe(200);
  });

  it('without Origin: no token, another session\'s token, or Sec-Fetch-Site: cross-site → 403', async () => {
    const victim = await signIn(server);
    const attacker = await signIn(server);
    const id = (await withSession(server, attacker, '/auth/session')).json.session.id as string;
    expect((await withSession(server, victim, `/auth/sessions/${id}`, { method: 'DELETE', csrf: false })).status).toBe(403);
    expect((await withSession(server, victim, `/auth/sessions/${id}`, { method: 'DELETE', headers: { 'x-csrf-token': attacker.csrf } })).status).toBe(403);
    expect((await postForm(server, '/auth/sessions/revoke-others', { _csrf: victim.csrf }, { cookie: victim.header, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await withSession(server, attacker, '/auth/session')).status).toBe(200);
  });

  it('same origin, or the right token without Origin, is carried out', async () => {
    const a = await signIn(server);
    const b = await signIn(server);
    expect((await postForm(server, '/auth/sessions/revoke-others', {}, { cookie: b.header, origin: server.url })).status).toBe(303);
    expect((await withSession(server, a, '/auth/session')).status).toBe(401);
    expect((await withSession(server, b, '/auth/sessions/revoke-others', { method: 'POST' })).status).toBe(200);
  });
});
