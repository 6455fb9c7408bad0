/**
 * Invariant: a session stops authenticating at its idle timeout (30 minutes without use by
 * default) and at its absolute timeout (12 hours after sign-in by default, however active),
 * on the first request after the deadline, with the same 401 as any bad cookie; it never
 * comes back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, withSession } from '../../helpers/sessions.js';

describe('sessions expire (idle and absolute)', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('idle: works at 29 min 59 s of silence, not after 30 min of silence', async () => {
    const s = await signIn(server);
    server.clock.advanceSeconds(30 * 60 - 1);
    expect((await withSession(server, s, '/auth/session')).status).toBe(200);
    server.clock.advanceSeconds(30 * 60);
    const res = await withSession(server, s, '/auth/session');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('session.invalid');
    server.clock.set(Date.UTC(2026, 0, 1, 0, 1));
    expect((await withSession(server, s, '/auth/session')).status).toBe(401);
    expect(server.events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['idle_timeout']);
  });

  it('absolute: a session used every 10 minutes still ends 12 h after sign-in', async () => {
    const s = await signIn(server);
    for (let minute = 10; minute < 12 * 60; minute += 10) {
      server.clock.advanceSeconds(600);
      expect((await withSession(server, s, '/auth/session')).status, `at ${minute} min`).toBe(200);
    }
    server.clock.advanceSeconds(600);
    expect((await withSession(server, s, '/auth/session')).status).toBe(401);
    expect(server.events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['absolute_timeout']);
  });

  it('configured timeouts apply', async () => {
    const short = await startTestServer({ overrides: { sessions: { idleTimeoutSeconds: 300, absoluteTimeoutSeconds: 900, cookie: { secure: true } } } });
    try {
      await createUser(short);
      const s = await signIn(short);
      short.clock.advanceSeconds(300);
      expect((await withSession(short, s, '/auth/session')).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});
