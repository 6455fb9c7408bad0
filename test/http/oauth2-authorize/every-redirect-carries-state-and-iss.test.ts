/**
 * Invariant: every redirect from the authorization endpoint to a client, success or error,
 * carries `iss` (the issuer, RFC 9207 §2, so a client talking to several servers can detect a
 * mix-up) and, when the request had one, `state` exactly as sent (RFC 6749 §4.1.2, §4.1.2.1).
 * Errors also carry `error` and `error_description`, and never a code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, consentFields, getManual, pkcePair, postConsent, redirectParams } from '../../helpers/authorize.js';
import { registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('state and iss on every authorization redirect', () => {
  let server: TestServer;
  let clientId: string;
  let session: SignedIn;
  const { challenge } = pkcePair();
  const STATE = 'opaque "state" with spaces & symbols/?=é';

  beforeAll(async () => {
    server = await startTestServer();
    clientId = (await registerClient(server, { client_name: 'web', redirect_uris: ['https://app.example.com/cb?tenant=7'], scope: 'read write' })).client_id;
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const base = () => ({ response_type: 'code', client_id: clientId, redirect_uri: 'https://app.example.com/cb?tenant=7', code_challenge: challenge, code_challenge_method: 'S256', state: STATE, scope: 'read' });

  it.each([
    ['an unsupported response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['a missing response_type', { response_type: undefined }, 'invalid_request'],
    ['a missing code_challenge', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }, 'invalid_request'],
    ['a scope not registered', { scope: 'read admin' }, 'invalid_scope'],
    ['a repeated parameter', { scope: undefined }, 'invalid_request'],
  ])('%s: error, error_description, state and iss; the query of the redirect URI kept', async (_name, over, error) => {
    let path = authorizePath({ ...base(), ...over });
    if (_name === 'a repeated parameter') path += '&scope=read&scope=write';
    const res = await getManual(server, path, session.header);
    expect(res.status).toBe(303);
    const { base: target, params } = redirectParams(res);
    expect(target).toBe('https://app.example.com/cb');
    expect(params.get('tenant')).toBe('7');
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toMatch(/\S/);
    expect(params.get('state')).toBe(STATE);
    expect(params.get('iss')).toBe(server.gatehouse.tokens.issuer);
    expect(params.has('code')).toBe(false);
  });

  it('access_denied when the user denies, with state and iss', async () => {
    const page = await getManual(server, authorizePath(base()), session.header);
    expect(page.status).toBe(200);
    const { params } = redirectParams(await postConsent(server, session, consentFields(page.text), 'deny'));
    expect(Object.fromEntries(params)).toMatchObject({ error: 'access_denied', state: STATE, iss: server.gatehouse.tokens.issuer });
    expect(server.events.filter((e) => e.type === 'oauth.consent').at(-1)).toMatchObject({ outcome: 'failure', reason: 'deny', client: { id: clientId } });
  });

  it('code, state and iss on success; no state when none was sent', async () => {
    const page = await getManual(server, authorizePath(base()), session.header);
    const { params } = redirectParams(await postConsent(server, session, consentFields(page.text), 'allow'));
    expect(params.get('code')).toMatch(/^ghac_[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBe(STATE);
    expect(params.get('iss')).toBe(server.gatehouse.tokens.issuer);
    const again = await getManual(server, authorizePath({ ...base(), state: undefined }), session.header);
    const p2 = redirectParams(again).params;
    expect(p2.has('state')).toBe(false);
    expect(p2.get('iss')).toBe(server.gatehouse.tokens.issuer);
  });
});
