import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, PASSWORD, postForm, setCookies } from '../../helpers/sessions.js';

describe('POST /auth/login → 200 / 303', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('sets __Host-gatehouse_session with exactly HttpOnly, Secure, SameSite=Lax, Path=/ (no Domain, no lifetime)', async () => {
    const res = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD } });
    expect(res.status).toBe(200);
    const line = setCookies(res).find((l) => l.startsWith('__Host-gatehouse_session='));
    expect(line).toBeDefined();
    const [pair, ...attributes] = line!.split('; ');
    expect(pair).toMatch(/^__Host-gatehouse_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes.sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
  });

  it('answers the user summary, the public session id and a CSRF token, never the session secret', async () => {
    const res = await call(server, '/auth/login', { body: { email: 'Alice@Example.com', password: PASSWORD } });
    expect(res.status).toBe(200);
    const secret = cookieValue(res, '__Host-gatehouse_session')!;
    expect(res.json).toMatchObject({
      user: { email: 'alice@example.com', name: 'Alice', status: 'active', email_verified: false },
      session: { amr: ['pwd'], auth_level: 1, idle_expires_at: '2026-01-01T00:30:00.000Z', absolute_expires_at: '2026-01-01T12:00:00.000Z' },
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(res.json.session.id).toMatch(/^ses_/);
    expect(res.json.session.id).not.toBe(secret);
    expect(res.text).not.toContain(secret);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const login = server.events.find((e) => e.type === 'auth.login');
    expect(login).toMatchObject({ outcome: 'success', reason: 'ok', actor: { type: 'user', id: res.json.user.id }, credential: { kind: 'password' } });
    expect(JSON.stringify(server.events)).not.toContain(secret);
    expect(JSON.stringify(server.events)).not.toContain(PASSWORD);
  });

  it('shows the session exactly as GET /auth/session does: the same id and the same fields', async () => {
    const login = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD } });
    const secret = cookieValue(login, '__Host-gatehouse_session')!;
    const current = await call(server, '/auth/session', { headers: { cookie: `__Host-gatehouse_session=${secret}` } });
    expect(current.status).toBe(200);
    expect(login.json.session).toEqual(current.json.session);
    expect(login.json.csrf_token).toBe(current.json.csrf_token);
  });

  it('also sets the defence\'s device cookie (HttpOnly, Secure, SameSite=Lax, Path=/, Max-Age)', async () => {
    const res = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD } });
    const line = setCookies(res).find((l) => l.startsWith('__Host-gatehouse_device='));
    expect(line).toBeDefined();
    const attributes = line!.split('; ').slice(1).map((a) => a.split('=')[0]).sort();
    expect(attributes).toEqual(['HttpOnly', 'Max-Age', 'Path', 'SameSite', 'Secure']);
  });

  it('a form post with this site\'s Origin is redirected (303) to a same-origin return_to', async () => {
    const res = await postForm(server, '/auth/login', { email: 'alice@example.com', password: PASSWORD, return_to: '/account?tab=1' }, { origin: server.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account?tab=1');
    expect(cookieValue(res, '__Host-gatehouse_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/ok\r\nSet-Cookie: x=1', '/.//evil.example/x', '/..//evil.example', '/%2e%2e//evil.example'])('never redirects off-site: return_to %j goes to /login', async (returnTo) => {
    const res = await postForm(server, '/auth/login', { email: 'alice@example.com', password: PASSWORD, return_to: returnTo }, { origin: server.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
  });
});

describe('POST /auth/login on the quick start (http://127.0.0.1, sessions.cookie.secure: auto)', () => {
  it('uses the development cookie gatehouse_session without Secure, so plain-HTTP loopback works in a browser', async () => {
    const server = await startTestServer();
    try {
      await createUser(server);
      const res = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD } });
      const line = setCookies(res).find((l) => l.startsWith('gatehouse_session='));
      expect(line!.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax']);
      // The device cookie follows the same switch (browsers drop `__Host-` cookies without Secure).
      const device = setCookies(res).find((l) => l.startsWith('gatehouse_device='));
      expect(device!.split('; ').slice(1).map((a) => a.split('=')[0]).sort()).toEqual(['HttpOnly', 'Max-Age', 'Path', 'SameSite']);
      expect(setCookies(res).some((l) => l.startsWith('__Host-'))).toBe(false);
      expect(server.logLines.filter((l) => l.includes('development mode'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
