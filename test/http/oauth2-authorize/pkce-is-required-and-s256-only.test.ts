/**
 * Invariant: an authorization code is only issued against a PKCE challenge (RFC 7636, RFC 9700
 * §2.1.1): always for public clients, and for every client unless `oauth.pkce.required` is
 * `public_clients`; the method is `S256`, and `plain` (or an omitted method, which RFC 7636 §4.3
 * makes `plain`) is refused unless `oauth.pkce.allowPlain` is explicitly on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, getManual, pkcePair, redirectParams } from '../../helpers/authorize.js';
import { registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

async function setUp(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(overrides);
  const confidential = (await registerClient(server, { client_name: 'web', redirect_uris: ['https://app.example.com/cb'] })).client_id as string;
  const pub = (await registerClient(server, { client_name: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.com/cb'] })).client_id as string;
  await createUser(server);
  const session = await signIn(server);
  return { server, confidential, pub, session };
}

const errorOf = async (server: TestServer, session: SignedIn, params: Record<string, string | undefined>) => {
  const res = await getManual(server, authorizePath({ response_type: 'code', state: 's', ...params }), session.header);
  return res.status === 303 ? redirectParams(res).params.get('error') : `page ${res.status}`;
};

describe('PKCE at the authorization endpoint (default configuration)', () => {
  let f: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    f = await setUp();
  });
  afterAll(() => f.server.close());

  it('refuses a request without code_challenge, from a confidential client too', async () => {
    expect(await errorOf(f.server, f.session, { client_id: f.confidential, redirect_uri: 'https://app.example.com/cb' })).toBe('invalid_request');
    expect(await errorOf(f.server, f.session, { client_id: f.pub, redirect_uri: 'https://spa.example.com/cb' })).toBe('invalid_request');
    expect(f.server.events.filter((e) => e.type === 'oauth.authorize').at(-1)).toMatchObject({ outcome: 'failure', reason: 'pkce_required' });
  });

  it('refuses plain, an omitted method (plain by default), unknown methods and malformed challenges', async () => {
    const c = { client_id: f.pub, redirect_uri: 'https://spa.example.com/cb' };
    expect(await errorOf(f.server, f.session, { ...c, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })).toBe('invalid_request');
    expect(f.server.events.filter((e) => e.type === 'oauth.authorize').at(-1)?.reason).toBe('pkce_plain_refused');
    expect(await errorOf(f.server, f.session, { ...c, code_challenge: 'a'.repeat(43) })).toBe('invalid_request');
    expect(await errorOf(f.server, f.session, { ...c, code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' })).toBe('invalid_request');
    expect(await errorOf(f.server, f.session, { ...c, code_challenge: 'short', code_challenge_method: 'S256' })).toBe('invalid_request');
  });

  it('accepts S256', async () => {
    const res = await getManual(f.server, authorizePath({ response_type: 'code', client_id: f.pub, redirect_uri: 'https://spa.example.com/cb', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }), f.session.header);
    expect(res.status).toBe(200);
  });
});

describe('PKCE with oauth.pkce = { required: public_clients, allowPlain: true }', () => {
  let f: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    f = await setUp({ overrides: { oauth: { pkce: { required: 'public_clients', allowPlain: true } } } });
  });
  afterAll(() => f.server.close());

  it('lets a confidential client omit PKCE, never a public one', async () => {
    const ok = await getManual(f.server, authorizePath({ response_type: 'code', client_id: f.confidential, redirect_uri: 'https://app.example.com/cb' }), f.session.header);
    expect(ok.status).toBe(200);
    expect(await errorOf(f.server, f.session, { client_id: f.pub, redirect_uri: 'https://spa.example.com/cb' })).toBe('invalid_request');
  });

  it('accepts plain when explicitly enabled', async () => {
    const ok = await getManual(f.server, authorizePath({ response_type: 'code', client_id: f.pub, redirect_uri: 'https://spa.example.com/cb', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }), f.session.header);
    expect(ok.status).toBe(200);
  });
});
