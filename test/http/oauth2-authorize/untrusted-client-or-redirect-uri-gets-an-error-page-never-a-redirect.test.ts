/**
 * Invariant: the authorization endpoint redirects only to a redirect URI registered for the
 * client that asks, compared exactly (RFC 9700 §4.1.3; only the port of a registered loopback
 * URI may vary, RFC 8252 §7.3). An unknown `client_id`, a missing one, or any `redirect_uri` that
 * is not byte-for-byte registered (other host, look-alike host, user-info, extra path or query,
 * fragment, other scheme, trailing slash) gets an HTML error page and no `Location` at all, so
 * Gatehouse can never be used as an open redirector (RFC 6749 §4.1.2.1, §10.15).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, getManual, pkcePair, redirectParams } from '../../helpers/authorize.js';
import { registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('GET /oauth2/authorize with an untrusted client or redirect URI', () => {
  let server: TestServer;
  let clientId: string;
  let nativeId: string;
  let session: SignedIn;
  const { challenge } = pkcePair();

  beforeAll(async () => {
    server = await startTestServer();
    clientId = (await registerClient(server, { client_name: 'web', redirect_uris: ['https://app.example.com/cb'], scope: 'read' })).client_id;
    nativeId = (await registerClient(server, { client_name: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/cb'], scope: 'read' })).client_id;
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const ask = (over: Record<string, string | undefined>) =>
    getManual(server, authorizePath({ response_type: 'code', client_id: clientId, redirect_uri: 'https://app.example.com/cb', code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz', ...over }), session.header);

  const expectErrorPage = (res: Awaited<ReturnType<typeof ask>>) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('Authorization request refused');
  };

  it('shows an error page for an unknown or missing client_id, with the real reason in the event', async () => {
    expectErrorPage(await ask({ client_id: 'cli_01JUNKNOWNUNKNOWNUNKNOWN00' }));
    expect(server.events.filter((e) => e.type === 'oauth.authorize').at(-1)).toMatchObject({ outcome: 'failure', reason: 'unknown_client' });
    expectErrorPage(await ask({ client_id: undefined }));
  });

  it.each([
    'https://evil.example/cb',
    'https://app.example.com.evil.example/cb',
    'https://evil.example@app.example.com/cb',
    'https://app.example.com/cb/../../evil',
    'https://app.example.com/cb/',
    'https://app.example.com/cb?next=https://evil.example',
    'https://app.example.com/cb#x',
    'http://app.example.com/cb',
    'https://APP.example.com/cb',
    '//evil.example/cb',
    'javascript:alert(1)',
  ])('shows an error page for redirect_uri %s', async (redirectUri) => {
    const res = await ask({ redirect_uri: redirectUri });
    expectErrorPage(res);
    expect(res.text).not.toContain('evil.example');
  });

  it('shows an error page, not a redirect, when redirect_uri is repeated', async () => {
    const path = `${authorizePath({ response_type: 'code', client_id: clientId, code_challenge: challenge, code_challenge_method: 'S256' })}&redirect_uri=${encodeURIComponent('https://app.example.com/cb')}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`;
    expectErrorPage(await getManual(server, path, session.header));
  });

  it('shows an error page even when other parameters are also wrong (the redirect URI is checked first)', async () => {
    expectErrorPage(await ask({ redirect_uri: 'https://evil.example/cb', response_type: 'token' }));
  });

  it('lets the port of a registered loopback redirect URI vary (RFC 8252 §7.3), nothing else', async () => {
    const res = await getManual(server, authorizePath({ response_type: 'code', client_id: nativeId, redirect_uri: 'http://127.0.0.1:51234/cb', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }), session.header);
    expect(res.status).toBe(200); // the consent page: the redirect URI was accepted
    expectErrorPage(await getManual(server, authorizePath({ response_type: 'code', client_id: nativeId, redirect_uri: 'http://127.0.0.1:51234/other', code_challenge: challenge, code_challenge_method: 'S256' }), session.header));
    expectErrorPage(await getManual(server, authorizePath({ response_type: 'code', client_id: nativeId, redirect_uri: 'http://localhost:51234/cb', code_challenge: challenge, code_challenge_method: 'S256' }), session.header));
  });

  it('redirects to the registered URI once it is trusted (control)', async () => {
    const res = await ask({ response_type: 'token' });
    expect(res.status).toBe(303);
    expect(redirectParams(res).base).toBe('https://app.example.com/cb');
  });
});
