/**
 * A `resource` (RFC 8707) named at the authorization endpoint is checked against the same
 * `oauth.resources` allow-list as the token endpoint (else the browser goes back with
 * `error=invalid_target`), is bound to the code, and becomes the access token's `aud` at the
 * exchange. The token request may repeat those resources or name a subset, never another one
 * (`invalid_target`, and the code stays unused).
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, consentFields, getManual, obtainCode, pkcePair, postConsent, redirectParams } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('resource at /oauth2/authorize', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let session: SignedIn;
  const REDIRECT = 'https://app.example.com/cb';
  const ORDERS = 'https://orders.example.com';
  const BILLING = 'https://billing.example.com';

  beforeAll(async () => {
    server = await startTestServer({ overrides: { oauth: { resources: [ORDERS, BILLING] } } });
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code'], redirect_uris: [REDIRECT], scope: 'read' });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const base = (pkce: { challenge: string }) => ({ response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope: 'read', state: 's', code_challenge: pkce.challenge, code_challenge_method: 'S256' });
  const codeFor = async (resources: string[]) => {
    const pkce = pkcePair();
    const path = authorizePath(base(pkce)) + resources.map((r) => `&resource=${encodeURIComponent(r)}`).join('');
    let res = await getManual(server, path, session.header);
    // The first request shows the consent page: its form carries the resources (space-joined).
    if (res.status === 200) res = await postConsent(server, session, consentFields(res.text), 'allow');
    const code = redirectParams(res).params.get('code');
    if (!code) throw new Error(`no code: ${res.headers.get('location')}`);
    return { code, verifier: pkce.verifier };
  };
  const exchange = (code: string, verifier: string, resources: string[] = []) =>
    postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, resource: resources }, { authorization: basic(web.client_id, web.client_secret) });

  it('binds the resources to the code and makes them the access token audience', async () => {
    const { code, verifier } = await codeFor([ORDERS, BILLING]);
    const res = await exchange(code, verifier);
    expect(res.status).toBe(200);
    expect(decodeJwt(res.json.access_token).aud).toEqual([ORDERS, BILLING]);
  });

  it('accepts a subset at the token request', async () => {
    const { code, verifier } = await codeFor([ORDERS, BILLING]);
    expect(decodeJwt((await exchange(code, verifier, [BILLING])).json.access_token).aud).toBe(BILLING);
  });

  it('refuses another resource at the token request with invalid_target, leaving the code usable', async () => {
    const { code, verifier } = await codeFor([ORDERS]);
    const res = await exchange(code, verifier, [BILLING]);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_target');
    expect((await exchange(code, verifier)).status).toBe(200);
  });

  it('answers a resource off the allow-list with an error=invalid_target redirect', async () => {
    const pkce = pkcePair();
    const res = await getManual(server, `${authorizePath(base(pkce))}&resource=${encodeURIComponent('https://evil.example')}`, session.header);
    expect(res.status).toBe(303);
    expect(Object.fromEntries(redirectParams(res).params)).toMatchObject({ error: 'invalid_target', state: 's' });
  });

  it('carries the resources through the consent form', async () => {
    const other = await createUser(server, 'dora@example.com');
    const dora = await signIn(server, other.email);
    const pkce = pkcePair();
    const { code } = await obtainCode(server, dora, { ...base(pkce), resource: ORDERS });
    expect(decodeJwt((await exchange(code, pkce.verifier)).json.access_token).aud).toBe(ORDERS);
  });
});
