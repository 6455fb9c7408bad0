import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, withSession } from '../../helpers/sessions.js';

describe('GET /auth/session and GET /auth/sessions → 200', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('GET /auth/session answers the user, the session (public id) and the CSRF token', async () => {
    const s = await signIn(server, 'alice@example.com', undefined, { 'user-agent': 'Firefox/140' });
    const res = await withSession(server, s, '/auth/session');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      user: { email: 'alice@example.com', name: 'Alice' },
      session: { id: expect.stringMatching(/^ses_[0-9A-Z]{26}$/), ip: '127.0.0.1', user_agent: 'Firefox/140', amr: ['pwd'] },
      csrf_token: s.csrf,
    });
    expect(res.text).not.toContain(s.cookie);
  });

  it('GET /auth/sessions lists every active session of the user, newest first, with the current one flagged', async () => {
    const a = await signIn(server, 'alice@example.com', undefined, { 'user-agent': 'laptop' });
    server.clock.advanceSeconds(60);
    const b = await signIn(server, 'alice@example.com', undefined, { 'user-agent': 'phone' });
    const res = await withSession(server, a, '/auth/sessions');
    expect(res.status).toBe(200);
    expect(res.json.items.map((s: { user_agent: string; current: boolean }) => [s.user_agent, s.current])).toEqual([
      ['phone', false],
      ['laptop', true],
    ]);
    expect(res.text).not.toContain(a.cookie);
    expect(res.text).not.toContain(b.cookie);
  });

  it('records use at most once a minute: last_seen_at moves after 60 s, not on every request', async () => {
    const s = await signIn(server);
    server.clock.advanceSeconds(30);
    expect((await withSession(server, s, '/auth/session')).json.session.last_seen_at).toBe('2026-01-01T00:00:00.000Z');
    server.clock.advanceSeconds(30);
    const res = await withSession(server, s, '/auth/session');
    expect(res.json.session.last_seen_at).toBe('2026-01-01T00:01:00.000Z');
    expect(res.json.session.idle_expires_at).toBe('2026-01-01T00:31:00.000Z');
  });
});
