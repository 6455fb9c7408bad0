import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
});
afterAll(async () => {
  await server.close();
});

const PROBLEM = 'application/problem+json';

describe('POST /v1/users → 400', () => {
  it.each([
    ['no body', undefined, 'request.malformed_body'],
    ['an empty object', {}, 'request.invalid'],
    ['no password', { email: 'ann@example.com' }, 'request.invalid'],
    ['an unknown field', { email: 'ann@example.com', password: 'correct horse battery staple', role: 'admin' }, 'request.invalid'],
    ['a non-string e-mail', { email: 42, password: 'correct horse battery staple' }, 'request.invalid'],
    ['a malformed e-mail', { email: 'not-an-email', password: 'correct horse battery staple' }, 'request.invalid'],
    ['an unknown status', { email: 'ann@example.com', password: 'correct horse battery staple', status: 'root' }, 'request.invalid'],
    ['a short password', { email: 'ann@example.com', password: 'abc123xyz' }, 'password.too_short'],
    ['a long password', { email: 'ann@example.com', password: 'x'.repeat(129) }, 'password.too_long'],
    ['a common password', { email: 'ann@example.com', password: 'Password1234' }, 'password.too_common'],
    ['the e-mail as password', { email: 'ann.smith@example.com', password: 'ANN.SMITH@example.com' }, 'password.matches_email'],
  ])('%s: problem+json %s, never echoing the password', async (_label, body, code) => {
    const res = body === undefined
      ? await call(server, '/v1/users', { key: server.adminKey, method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: '' })
      : await call(server, '/v1/users', { key: server.adminKey, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.json.code).toBe(code);
    const password = (body as { password?: unknown } | undefined)?.password;
    if (typeof password === 'string') expect(res.text).not.toContain(password);
  });

  it('a policy failure says which rule failed', async () => {
    const res = await call(server, '/v1/users', { key: server.adminKey, body: { email: 'ann@example.com', password: 'abc123xyz' } });
    expect(res.json.detail).toBe('The password must have at least 12 characters.');
  });

  it('refuses malformed JSON and a form body', async () => {
    expect((await call(server, '/v1/users', { key: server.adminKey, method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: '{"email":' })).json.code).toBe('request.malformed_body');
    const form = await call(server, '/v1/users', { key: server.adminKey, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: 'email=a%40example.com&password=correct+horse+battery+staple' });
    expect(form.status).toBe(415);
  });
});
