/**
 * Invariant: with early revocation opted in (`isRevoked`), a token whose `jti` is revoked is
 * refused from the next request on, including when the verified-token cache holds it; a
 * revocation check that fails makes the middleware answer 503 (fail closed), never 200 or 500;
 * and a token without `jti` cannot bypass the check.
 */
import { describe, expect, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessToken } from './helpers/tokens.js';

const revoked = new Set<string>();
let down = false;

describe('revoked tokens are refused even when cached', () => {
  const app = useProtectedApp({
    isRevoked: (jti) => {
      if (down) throw new Error('counters unreachable');
      return revoked.has(jti);
    },
  });

  it('refuses a cached token once its jti is revoked', async () => {
    const token = accessToken(app.keys.rsa, { jti: 'jti-to-revoke' });
    await app.expectAccepted(token);
    expect(app.verifier.status().cacheEntries).toBeGreaterThan(0);
    revoked.add('jti-to-revoke');
    await app.expectRefused(token, 'token_revoked');
  });

  it('refuses a token without jti when revocation is checked', async () => {
    await app.expectRefused(accessToken(app.keys.rsa, { jti: undefined }), 'missing_claim');
  });

  it('answers 503 when the revocation check fails', async () => {
    const token = accessToken(app.keys.rsa, { jti: 'jti-while-down' });
    down = true;
    try {
      await expect(app.verifier.verify(token)).rejects.toMatchObject({ code: 'revocation_unavailable' });
      for (const { target, answer } of await app.askAll(token)) {
        expect(answer.status, target).toBe(503);
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'auth.verifier_unavailable' });
      }
    } finally {
      down = false;
    }
  });
});

describe('asynchronous revocation checks', () => {
  const app = useProtectedApp({ isRevoked: async (jti) => Promise.resolve(jti === 'gone') });

  it('accepts a live token and refuses a revoked one', async () => {
    await app.expectAccepted(accessToken(app.keys.ed, { jti: 'live' }));
    await app.expectRefused(accessToken(app.keys.ed, { jti: 'gone' }), 'token_revoked');
  });
});
