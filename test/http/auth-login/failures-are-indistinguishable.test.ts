/**
 * Invariant: a failed login tells the caller nothing about why it failed. An unknown e-mail,
 * a wrong password, a disabled account, a locked account and an identifier locked out by the
 * defence all get the same status and a byte-identical body ("invalid e-mail or password",
 * no request-specific `instance`), with no cookie; only the `auth.login` event carries the
 * real reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, PASSWORD, setCookies } from '../../helpers/sessions.js';

describe('failed logins are indistinguishable', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server, 'alice@example.com');
    await createUser(server, 'dis@example.com', { status: 'disabled' });
    await createUser(server, 'locked@example.com', { status: 'locked' });
  });

  afterEach(async () => {
    await server.close();
  });

  const attempt = (email: string, password: string) => call(server, '/auth/login', { body: { email, password } });

  it('unknown user, wrong password, disabled and locked accounts get byte-identical 401 bodies and the real reason only in the event', async () => {
    const cases = [
      ['nobody@example.com', PASSWORD, 'unknown_user'],
      ['alice@example.com', 'wrong password 1234', 'wrong_password'],
      ['dis@example.com', PASSWORD, 'disabled'],
      ['locked@example.com', PASSWORD, 'locked'],
    ] as const;
    const bodies = new Set<string>();
    for (const [email, password, reason] of cases) {
      const before = server.events.length;
      const res = await attempt(email, password);
      expect(res.status, email).toBe(401);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(setCookies(res).filter((c) => c.includes('gatehouse_session'))).toEqual([]);
      bodies.add(res.text);
      const event = server.events.slice(before).find((e) => e.type === 'auth.login');
      expect(event, email).toMatchObject({ outcome: 'failure', reason });
      expect(JSON.stringify(event)).not.toContain(password);
    }
    expect([...bodies]).toEqual(['{"type":"https://gatehouse.dev/errors/auth.invalid_credentials","title":"Unauthorized","status":401,"detail":"invalid e-mail or password","code":"auth.invalid_credentials"}']);
  });

  it('an identifier locked out by failed attempts gets the same body, even with the right password', async () => {
    const reference = await attempt('alice@example.com', 'wrong password 1234');
    let res = reference;
    for (let i = 0; i < 15 && !server.events.some((e) => e.type === 'auth.login' && e.reason === 'locked'); i++) {
      res = await attempt('alice@example.com', i === 14 ? PASSWORD : 'wrong password 1234');
    }
    res = await attempt('alice@example.com', PASSWORD);
    expect(res.status).toBe(401);
    expect(res.text).toBe(reference.text);
    expect(server.events.filter((e) => e.type === 'auth.login').at(-1)).toMatchObject({ outcome: 'failure', reason: 'locked' });
  });

  it('a form post failure re-renders the page with the same message in an alert, status 401', async () => {
    const getPage = await call(server, '/login');
    const csrfCookie = setCookies(getPage)[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(getPage.text)![1]!;
    const post = (email: string, password: string) =>
      call(server, '/auth/login', {
        rawBody: new URLSearchParams({ email, password, _csrf: csrf }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
      });
    const wrong = await post('dis@example.com', 'wrong password 1234');
    const disabled = await post('dis@example.com', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(wrong.text).toContain('<div class="error" role="alert" id="error-summary"><p>invalid e-mail or password</p></div>');
    expect(disabled.text).toBe(wrong.text);
    expect(wrong.text).not.toContain('wrong password 1234');
  });
});
