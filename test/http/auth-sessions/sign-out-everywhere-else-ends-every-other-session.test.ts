/**
 * Invariant: "sign out everywhere else" ends every other session of the user at once and
 * keeps the one that asked; revoking one session by id works only on the user's own
 * sessions (another user's id is answered as not found, and stays signed in).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, postForm, signIn, withSession } from '../../helpers/sessions.js';

describe('sign out everywhere else, and revoking one session', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server, 'alice@example.com');
    await createUser(server, 'bob@example.com', { name: 'Bob' });
  });

  afterEach(async () => {
    await server.close();
  });

  it('POST /auth/sessions/revoke-others ends the others and keeps the current one', async () => {
    const laptop = await signIn(server);
    const phone = await signIn(server);
    const tablet = await signIn(server);
    const bob = await signIn(server, 'bob@example.com');
    const res = await withSession(server, phone, '/auth/sessions/revoke-others', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ revoked: 2 });
    expect((await withSession(server, laptop, '/auth/session')).status).toBe(401);
    expect((await withSession(server, tablet, '/auth/session')).status).toBe(401);
    expect((await withSession(server, phone, '/auth/session')).status).toBe(200);
    expect((await withSession(server, bob, '/auth/session')).status).toBe(200);
    const list = await withSession(server, phone, '/auth/sessions');
    expect(list.json.items).toHaveLength(1);
    expect(server.events.filter((e) => e.type === 'session.end' && e.reason === 'revoked_others')).toHaveLength(2);
  });

  it('the signed-in page\'s form (same origin) does it too, and redirects back', async () => {
    const other = await signIn(server);
    const here = await signIn(server);
    const res = await postForm(server, '/auth/sessions/revoke-others', { _csrf: here.csrf }, { cookie: here.header, origin: server.url });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect((await withSession(server, other, '/auth/session')).status).toBe(401);
  });

  it('DELETE /auth/sessions/:id ends one own session; another user\'s, an unknown or a malformed id → 404', async () => {
    const a = await signIn(server);
    const b = await signIn(server);
    const bob = await signIn(server, 'bob@example.com');
    const bId = (await withSession(server, b, '/auth/session')).json.session.id as string;
    const bobId = (await withSession(server, bob, '/auth/session')).json.session.id as string;

    const notMine = await withSession(server, a, `/auth/sessions/${bobId}`, { method: 'DELETE' });
    expect(notMine.status).toBe(404);
    expect(notMine.json.code).toBe('session.not_found');
    expect((await withSession(server, bob, '/auth/session')).status).toBe(200);
    expect((await withSession(server, a, '/auth/sessions/ses_00000000000000000000000000', { method: 'DELETE' })).status).toBe(404);
    expect((await withSession(server, a, '/auth/sessions/nonsense', { method: 'DELETE' })).status).toBe(404);

    const res = await withSession(server, a, `/auth/sessions/${bId}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await withSession(server, b, '/auth/session')).status).toBe(401);
    expect((await withSession(server, a, '/auth/session')).status).toBe(200);
  });

  it('deleting the current session signs it out and clears its cookie', async () => {
    const a = await signIn(server);
    const id = (await withSession(server, a, '/auth/session')).json.session.id as string;
    const res = await withSession(server, a, `/auth/sessions/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((l) => l.startsWith('__Host-gatehouse_session=;'))).toBe(true);
    expect((await withSession(server, a, '/auth/session')).status).toBe(401);
  });
});
