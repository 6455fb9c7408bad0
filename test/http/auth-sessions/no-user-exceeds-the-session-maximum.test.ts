/**
 * Invariant: a user never has more active sessions than `sessions.maxPerUser`, also under
 * parallel sign-ins. With `evict_oldest` a new sign-in ends the oldest session; with
 * `refuse` it is refused with 409 `session.limit_reached` and the existing sessions stay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, PASSWORD, signIn, withSession } from '../../helpers/sessions.js';

describe('maximum sessions per user', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('evict_oldest: the 3rd sign-in with a maximum of 2 ends the oldest session', async () => {
    server = await startTestServer({ overrides: { sessions: { maxPerUser: 2, onLimit: 'evict_oldest', cookie: { secure: true } } } });
    await createUser(server);
    const first = await signIn(server);
    server.clock.advanceSeconds(1);
    const second = await signIn(server);
    server.clock.advanceSeconds(1);
    const third = await signIn(server);
    expect((await withSession(server, first, '/auth/session')).status).toBe(401);
    expect((await withSession(server, second, '/auth/session')).status).toBe(200);
    expect((await withSession(server, third, '/auth/sessions')).json.items).toHaveLength(2);
    expect(server.events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['evicted']);
  });

  it('refuse: the 3rd sign-in gets 409 session.limit_reached and no cookie; the others keep working', async () => {
    server = await startTestServer({ overrides: { sessions: { maxPerUser: 2, onLimit: 'refuse', cookie: { secure: true } } } });
    await createUser(server);
    const first = await signIn(server);
    await signIn(server);
    const res = await call(server, '/auth/login', { body: { email: 'alice@example.com', password: PASSWORD } });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('session.limit_reached');
    expect(res.headers.getSetCookie().some((l) => l.includes('gatehouse_session='))).toBe(false);
    expect((await withSession(server, first, '/auth/session')).status).toBe(200);
  });

  it('holds under 10 parallel sign-ins (maximum 3): exactly 3 sessions stay active', async () => {
    server = await startTestServer({ overrides: { sessions: { maxPerUser: 3, onLimit: 'evict_oldest', cookie: { secure: true } } } });
    await createUser(server);
    const results = await Promise.all(Array.from({ length: 10 }, () => signIn(server!)));
    const statuses = await Promise.all(results.map((s) => withSession(server!, s, '/auth/session').then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });
});
