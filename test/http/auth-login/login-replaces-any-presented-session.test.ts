/**
 * Invariant (no session fixation): a login never adopts a session identifier the browser
 * brought with it. Every successful login issues a fresh id and secret; a session cookie
 * presented at login, whether planted by an attacker or left from an earlier sign-in, is
 * ended and can never authenticate again, and a value Gatehouse never issued stays worthless.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, PASSWORD, signIn, withSession } from '../../helpers/sessions.js';

describe('login replaces any presented session', () => {
  let server: TestServer;
  const NAME = '__Host-gatehouse_session';

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server, 'alice@example.com');
    await createUser(server, 'mallory@example.com', { name: 'Mallory' });
  });

  afterEach(async () => {
    await server.close();
  });

  it('an attacker\'s valid session planted in the victim\'s browser is ended when the victim signs in', async () => {
    const attacker = await signIn(server, 'mallory@example.com');
    const res = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD }, headers: { cookie: attacker.header } });
    expect(res.status).toBe(200);
    const fresh = cookieValue(res, NAME)!;
    expect(fresh).not.toBe(attacker.cookie);
    expect((await withSession(server, attacker, '/auth/session')).status).toBe(401);
    const me = await withSession(server, { header: `${NAME}=${fresh}`, csrf: res.json.csrf_token }, '/auth/session');
    expect(me.json.user.email).toBe('alice@example.com');
    expect(server.events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['replaced']);
  });

  it('signing in again from the same browser issues a new id and ends the old session', async () => {
    const first = await signIn(server);
    const second = await signIn(server, 'alice@example.com', PASSWORD, { cookie: first.header });
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrf).not.toBe(first.csrf);
    expect((await withSession(server, first, '/auth/session')).status).toBe(401);
    expect((await withSession(server, second, '/auth/session')).status).toBe(200);
  });

  it('a cookie value Gatehouse never issued is not adopted: the login sets a different one, and the planted value authenticates nobody', async () => {
    const planted = 'A'.repeat(43);
    const res = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD }, headers: { cookie: `${NAME}=${planted}` } });
    expect(cookieValue(res, NAME)).not.toBe(planted);
    expect((await withSession(server, { header: `${NAME}=${planted}`, csrf: '' }, '/auth/session')).status).toBe(401);
  });
});
