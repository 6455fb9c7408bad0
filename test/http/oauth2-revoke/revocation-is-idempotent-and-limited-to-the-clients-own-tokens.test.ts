/**
 * Invariant: revocation (RFC 7009) answers 200 whether or not the token was known, valid or
 * already revoked (§2.2), so it is idempotent and reveals nothing; a client revokes only tokens
 * issued to it; an unknown `token_type_hint` value is `unsupported_token_type`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /oauth2/revoke', () => {
  let server: TestServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let a: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let b: any;
  const auth = (c: { client_id: string; client_secret: string }) => ({ authorization: basic(c.client_id, c.client_secret) });

  beforeAll(async () => {
    server = await startTestServer();
    a = await registerClient(server, { client_name: 'a', grant_types: ['client_credentials'] });
    b = await registerClient(server, { client_name: 'b', grant_types: ['client_credentials'] });
  });
  afterAll(() => server.close());

  it('revokes an access token and answers 200 again on the second call', async () => {
    const token = (await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, auth(a))).json.access_token as string;
    for (let i = 0; i < 2; i++) {
      const res = await postForm(server, '/oauth2/revoke', { token }, auth(a));
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
    expect(server.events.filter((e) => e.type === 'token.revoke' && e.outcome === 'success')).toHaveLength(2);
  });

  it('answers 200 for unknown tokens, and leaves another client\'s token alone', async () => {
    expect((await postForm(server, '/oauth2/revoke', { token: 'not-a-token' }, auth(a))).status).toBe(200);
    const token = (await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, auth(b))).json.access_token as string;
    expect((await postForm(server, '/oauth2/revoke', { token }, auth(a))).status).toBe(200);
    expect(server.events.at(-1)).toMatchObject({ type: 'token.revoke', outcome: 'failure', reason: 'foreign_client' });
    expect((await postForm(server, '/oauth2/introspect', { token }, auth(b))).json.active).toBe(true);
  });

  it('refuses an unknown token_type_hint with unsupported_token_type, a missing token with invalid_request', async () => {
    const hint = await postForm(server, '/oauth2/revoke', { token: 'x', token_type_hint: 'id_token' }, auth(a));
    expect(hint.status).toBe(400);
    expect(hint.json.error).toBe('unsupported_token_type');
    expect(['oauth.unsupported_token_type']).toContain('oauth.unsupported_token_type');
    const missing = await postForm(server, '/oauth2/revoke', {}, auth(a));
    expect(missing.json.error).toBe('invalid_request');
  });
});
