/**
 * Invariant: against a server that advertises `authorization_response_iss_parameter_supported`
 * (RFC 9207 §3), an authorization response is only acted on when it carries `iss` equal to the
 * configured issuer; against any server, an `iss` that is present must match. Otherwise the
 * response may come from another authorization server the client also talks to (a mix-up
 * attack, RFC 9700 §4.4), so it fails with `issuer_mismatch` and the code is never sent to
 * this server's token endpoint.
 */
import { describe, expect, it } from 'vitest';
import { createOAuthClient, createMemoryTokenStore, OAuthValidationError } from '../../src/client/index.js';
import { createFakeOAuthServer, ISSUER } from '../helpers/fake-oauth-server.js';

describe('callback iss must match', () => {
  const server = createFakeOAuthServer();
  const store = createMemoryTokenStore();
  const oauth = createOAuthClient({ issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store, metadata: server.metadata, fetch: server.fetch });

  it.each([
    ['another issuer', 'iss=https%3A%2F%2Fattacker.example'],
    ['the issuer with a trailing slash', `iss=${encodeURIComponent(`${ISSUER}/`)}`],
    ['no iss although the server advertises RFC 9207', ''],
    ['two iss values', `iss=${encodeURIComponent(ISSUER)}&iss=https%3A%2F%2Fattacker.example`],
  ])('refuses %s without exchanging the code', async (_label, issParam) => {
    const { pending } = await oauth.createAuthorizationRequest();
    const err = await oauth.handleCallback('sid', `https://app.example.com/cb?code=good-code&state=${pending.state}&${issParam}`, pending).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthValidationError);
    expect((err as OAuthValidationError).code).toMatch(/^(issuer_mismatch|invalid_callback)$/);
    expect(server.tokenRequests).toHaveLength(0);
    expect(store.size).toBe(0);
  });

  it('checks iss before reporting a server error', async () => {
    const { pending } = await oauth.createAuthorizationRequest();
    await expect(oauth.handleCallback('sid', `https://app.example.com/cb?error=access_denied&state=${pending.state}&iss=https%3A%2F%2Fattacker.example`, pending)).rejects.toMatchObject({
      code: 'issuer_mismatch',
    });
  });
});
