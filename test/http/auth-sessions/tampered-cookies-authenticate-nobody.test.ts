/**
 * Invariant: only a cookie value Gatehouse issued, unchanged, authenticates. No cookie, an
 * empty, truncated, extended, tampered or foreign value all get one byte-identical 401
 * `session.invalid` body that never echoes the value, and a malformed value never reaches
 * storage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn } from '../../helpers/sessions.js';

describe('tampered session cookies → 401', () => {
  let server: TestServer;
  const NAME = '__Host-gatehouse_session';

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('every bad cookie gets the same body as no cookie, without the value', async () => {
    const s = await signIn(server);
    const flip = (c: string, i: number) => c.slice(0, i) + (c[i] === 'a' ? 'b' : 'a') + c.slice(i + 1);
    const values = ['', s.cookie.slice(0, 42), `${s.cookie}A`, flip(s.cookie, 0), flip(s.cookie, 42), s.cookie.toUpperCase(), '../../etc/passwd', `${s.cookie},x`, 'A'.repeat(43)];
    const reference = await call(server, '/auth/session');
    expect(reference.status).toBe(401);
    expect(reference.headers.get('content-type')).toMatch(PROBLEM_JSON);
    for (const value of values) {
      const res = await call(server, '/auth/session', { headers: { cookie: `${NAME}=${value}` } });
      expect(res.status, value).toBe(401);
      expect(res.text, value).toBe(reference.text);
      if (value.length > 3) expect(res.text).not.toContain(value);
    }
    expect(server.logLines.join('')).not.toContain(s.cookie);
    // The genuine value still works: failures did not end it.
    expect((await call(server, '/auth/session', { headers: { cookie: `${NAME}=${s.cookie}` } })).status).toBe(200);
  });

  it('the development cookie name is not accepted by a server using __Host- (and vice versa)', async () => {
    const s = await signIn(server);
    expect((await call(server, '/auth/session', { headers: { cookie: `gatehouse_session=${s.cookie}` } })).status).toBe(401);
  });
});
