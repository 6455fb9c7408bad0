/**
 * Invariant: a `private_key_jwt` client authenticates only with an assertion (RFC 7523 §3)
 * signed by an asymmetric key of its registered JWK Set, with `iss` = `sub` = its client_id,
 * `aud` naming this server (issuer or token endpoint), an `exp` in the near future, and a
 * `jti` never presented before. A replayed, expired, misaddressed, unsigned (`alg: none`) or
 * HMAC-signed assertion gets `invalid_client`, and the event records the real reason.
 */
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('private_key_jwt client assertions', () => {
  let server: TestServer;
  let clientId: string;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  let jtiCounter = 0;

  const assertion = (over: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'EdDSA' }, signer: 'key' | 'none' | 'hs256' = 'key'): string => {
    const now = Math.floor(server.clock.now() / 1000);
    const input = `${b64(header)}.${b64({ iss: clientId, sub: clientId, aud: `${server.gatehouse.tokens.issuer}/oauth2/token`, exp: now + 60, iat: now, jti: `jti-${++jtiCounter}`, ...over })}`;
    if (signer === 'none') return `${input}.`;
    if (signer === 'hs256') return `${input}.${createHmac('sha256', 'secret').update(input).digest('base64url')}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };
  const present = (a: string) => postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: a });

  beforeAll(async () => {
    server = await startTestServer();
    const jwk = publicKey.export({ format: 'jwk' });
    const client = await registerClient(server, { client_name: 'signed', grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, scope: 'jobs' });
    clientId = client.client_id as string;
    expect(client).not.toHaveProperty('client_secret');
  });
  afterAll(() => server.close());

  it('accepts a fresh assertion addressed to the token endpoint or to the issuer', async () => {
    expect((await present(assertion())).status).toBe(200);
    expect((await present(assertion({ aud: server.gatehouse.tokens.issuer }))).status).toBe(200);
  });

  const lastReason = () => server.events.filter((e) => e.type === 'oauth.client.authenticate').at(-1)?.reason;

  it('refuses a replayed jti', async () => {
    const a = assertion();
    expect((await present(a)).status).toBe(200);
    const replay = await present(a);
    expect(replay.status).toBe(401);
    expect(replay.json.error).toBe('invalid_client');
    expect(lastReason()).toBe('assertion_replayed');
  });

  it.each([
    ['a wrong aud', () => assertion({ aud: 'https://other.example/token' }), 'assertion_invalid_audience'],
    ['an expired assertion', () => assertion({ exp: Math.floor(server.clock.now() / 1000) - 600 }), 'assertion_token_expired'],
    ['an assertion living too long', () => assertion({ exp: Math.floor(server.clock.now() / 1000) + 86_400 }), 'assertion_lifetime_too_long'],
    ['alg none', () => assertion({}, { alg: 'none' }, 'none'), undefined],
    ['HS256', () => assertion({}, { alg: 'HS256' }, 'hs256'), undefined],
    ['sub other than the client', () => assertion({ sub: 'someone-else' }), 'assertion_sub_mismatch'],
  ])('refuses %s', async (_name, make, reason) => {
    const res = await present(make());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    if (reason) expect(lastReason()).toBe(reason);
    else expect(lastReason()).toMatch(/^assertion_/);
  });
});
