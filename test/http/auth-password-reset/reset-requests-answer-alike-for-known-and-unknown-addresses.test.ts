/**
 * Invariant: a password-reset request does not tell whether an account exists. Known,
 * unknown and disabled addresses get byte-identical answers (status, content type, length
 * and body), as JSON and as an HTML form post; the request does the same synchronous work
 * (one indexed lookup) for each, with token creation and mail in the background. Only an
 * active account's owner receives a link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
  await server.gatehouse.accounts.create({ email: 'known@example.com', password: 'correct horse battery staple' });
  await server.gatehouse.accounts.create({ email: 'disabled@example.com', password: 'correct horse battery staple', status: 'disabled' });
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

describe('reset requests answer alike for known and unknown addresses', () => {
  it('JSON', async () => {
    const answers = await Promise.all(['known@example.com', 'unknown@example.com', 'disabled@example.com'].map((email) => call(server, '/auth/password-reset', { body: { email } })));
    expect(answers[0]!.status).toBe(202);
    expect(stable(answers[1]!)).toEqual(stable(answers[0]!));
    expect(stable(answers[2]!)).toEqual(stable(answers[0]!));
  });

  it('HTML form', async () => {
    const form = (email: string) =>
      call(server, '/auth/password-reset', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: `email=${encodeURIComponent(email)}` });
    const known = await form('known@example.com');
    const unknown = await form('unknown@example.com');
    expect(known.status).toBe(200);
    expect(known.text).toContain('If an account exists for this address');
    expect(stable(unknown)).toEqual(stable(known));
  });

  it('only the active known address got mail', async () => {
    const outbox = await readOutbox(server);
    expect(new Set(outbox.map((m) => m.to))).toEqual(new Set(['known@example.com']));
  });
});
