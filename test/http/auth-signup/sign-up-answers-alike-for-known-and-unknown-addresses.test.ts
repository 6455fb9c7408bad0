/**
 * Invariant: sign-up cannot be used to find out whether an address has an account. A sign-up
 * with a new address and one with a registered address get byte-identical responses (status,
 * content type and body, for JSON and for HTML forms), and both do the same synchronous work
 * (policy check and argon2id hash). The difference is only in the mailbox: a new address gets
 * a verification link, the owner of a registered one gets "you already have an account" and
 * the existing account is left exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: { ...TEST_ACCOUNTS, signup: { enabled: true } } } });
  await server.gatehouse.accounts.create({ email: 'known@example.com', password: 'the owner passphrase' });
});
afterAll(async () => {
  await server.close();
});

const stable = (res: { status: number; headers: Headers; text: string }) => ({
  status: res.status,
  type: res.headers.get('content-type'),
  length: res.headers.get('content-length'),
  body: res.text,
});

describe('sign-up answers alike for known and unknown addresses', () => {
  it('JSON', async () => {
    const known = await call(server, '/auth/signup', { body: { email: 'known@example.com', password: 'correct horse battery staple' } });
    const unknown = await call(server, '/auth/signup', { body: { email: 'unknown@example.com', password: 'correct horse battery staple' } });
    expect(known.status).toBe(202);
    expect(stable(known)).toEqual(stable(unknown));
  });

  it('HTML form', async () => {
    const form = (email: string) =>
      call(server, '/auth/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        rawBody: new URLSearchParams({ email, password: 'correct horse battery staple' }).toString(),
      });
    const known = await form('KNOWN@example.com');
    const unknown = await form('other-unknown@example.com');
    expect(known.status).toBe(200);
    expect(stable(known)).toEqual(stable(unknown));
  });

  it('the owner is told by mail, and the existing account is unchanged', async () => {
    const outbox = await readOutbox(server);
    const toOwner = outbox.filter((m) => m.to === 'known@example.com');
    expect(toOwner.map((m) => m.subject)).toEqual(['You already have an account', 'You already have an account']);
    expect(toOwner.every((m) => !m.text.includes('token='))).toBe(true);
    expect((await server.gatehouse.accounts.authenticate('known@example.com', 'the owner passphrase')).ok).toBe(true);
    expect((await server.gatehouse.accounts.authenticate('known@example.com', 'correct horse battery staple')).ok).toBe(false);
  });
});
