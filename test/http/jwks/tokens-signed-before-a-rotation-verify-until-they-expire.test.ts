/**
 * Invariant: a rotation never invalidates a token early. A verifier fetching
 * `/.well-known/jwks.json` (JWT-VERIFIER's createJwtVerifier, with its JWKS cache) keeps
 * accepting a token signed by the old key until the token's own `exp`, accepts tokens of the new
 * key from the moment it signs, and refuses an early-revoked `jti` through the revocation hook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../../src/jwt/verifier/verifier.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('rotation seen through the JWKS endpoint', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { server: { publicUrl: 'https://auth.example.com' }, jwt: { accessToken: { lifetimeSeconds: 900 } } } });
  });
  afterAll(() => server.close());

  it('old tokens verify until exp; new-key tokens verify from activation; revoked jti is refused', async () => {
    const tokens = server.gatehouse.tokens;
    const verifier = createJwtVerifier({
      issuer: tokens.issuer,
      audience: 'orders-api',
      algorithms: ['RS256'],
      jwksUri: `${server.url}/.well-known/jwks.json`,
      clock: server.clock,
      isRevoked: (jti) => tokens.isAccessTokenRevoked(jti),
      requiredClaims: ['sub', 'jti', 'client_id'],
    });
    const before = await tokens.issueAccessToken({ subject: 'usr_1', clientId: 'web', audience: 'orders-api' });
    expect((await verifier.verify(before.token)).claims.sub).toBe('usr_1');

    const next = await tokens.signingKeys.rotate();
    server.clock.set(next.activatesAt - 1);
    const lastOld = await tokens.issueAccessToken({ subject: 'usr_2', clientId: 'web', audience: 'orders-api' });
    server.clock.set(next.activatesAt);
    const firstNew = await tokens.issueAccessToken({ subject: 'usr_3', clientId: 'web', audience: 'orders-api' });
    expect(firstNew.kid).toBe(next.kid);
    expect(lastOld.kid).not.toBe(next.kid);
    expect((await verifier.verify(firstNew.token)).claims.sub).toBe('usr_3');
    expect((await verifier.verify(lastOld.token)).claims.sub).toBe('usr_2');

    // Just before its expiry, the last token of the old key still verifies against the JWKS.
    server.clock.set(lastOld.expiresAt - 1000);
    expect((await verifier.verify(lastOld.token)).claims.sub).toBe('usr_2');
    const published = (await tokens.jwks()).keys.map((k) => k.kid);
    expect(published).toContain(lastOld.kid);

    const victim = await tokens.issueAccessToken({ subject: 'usr_4', clientId: 'web', audience: 'orders-api' });
    await verifier.verify(victim.token);
    await tokens.revokeAccessToken(victim.jti, { expiresAt: victim.expiresAt });
    await expect(verifier.verify(victim.token)).rejects.toMatchObject({ code: 'token_revoked' });
  });
});
