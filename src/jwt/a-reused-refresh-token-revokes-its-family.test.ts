/**
 * Invariant: a refresh token works once. Presenting one that was already rotated, after the
 * reuse leeway, means it was stolen or replayed: the whole family (every token of that sign-in,
 * including the legitimate holder's current one) is revoked, the access tokens issued in it are
 * revoked early, one `alert.raise` (`refresh_token_reuse`) is emitted, and the caller gets the
 * same `refresh_token.invalid` as for any other bad token. Only SHA-256 hashes of refresh
 * tokens are stored; no token appears in an event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GatehouseError } from '../core/errors/gatehouse-error.js';
import { USER_TOKENS, tokensFixture, type TokensFixture } from '../../test/helpers/tokens.js';

describe('refresh token rotation and reuse detection', () => {
  let f: TokensFixture;
  afterEach(() => f.close());

  const fail = async (p: Promise<unknown>) => {
    const err = (await p.catch((e: unknown) => e)) as GatehouseError;
    expect(err.code).toBe('refresh_token.invalid');
    expect(err.status).toBe(401);
    return err;
  };

  it('rotates on every use: a new refresh token and access token each time, same family', async () => {
    f = await tokensFixture();
    const first = await f.tokens.issueTokens(USER_TOKENS);
    expect(first.refreshToken).toMatch(/^ghrt_[A-Za-z0-9_-]{43}$/);
    f.clock.advanceSeconds(60);
    const second = await f.tokens.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.familyId).toBe(first.familyId);
    expect(second.refreshTokenExpiresAt).toBe(first.refreshTokenExpiresAt);
    const third = await f.tokens.refresh(second.refreshToken);
    expect(third.familyId).toBe(first.familyId);
  });

  it('stores only SHA-256 hashes of refresh tokens, and no event carries a token', async () => {
    f = await tokensFixture();
    const issued = await f.tokens.issueTokens(USER_TOKENS);
    const next = await f.tokens.refresh(issued.refreshToken);
    const dump = JSON.stringify(await f.database.db.selectFrom('refresh_tokens').selectAll().execute()) + JSON.stringify(await f.database.db.selectFrom('refresh_token_families').selectAll().execute());
    for (const secret of [issued.refreshToken, next.refreshToken, issued.refreshToken.slice(5), next.accessToken]) {
      expect(dump).not.toContain(secret);
      expect(JSON.stringify(f.events)).not.toContain(secret);
    }
    expect(JSON.stringify(f.events)).not.toContain(issued.accessToken);
  });

  it('reuse after the leeway revokes the whole family, early-revokes its access tokens and raises one alert', async () => {
    f = await tokensFixture({ refreshToken: { reuseLeewaySeconds: 10 } });
    const first = await f.tokens.issueTokens(USER_TOKENS);
    const second = await f.tokens.refresh(first.refreshToken);
    f.clock.advanceSeconds(10);
    await fail(f.tokens.refresh(first.refreshToken));
    // The legitimate holder's current token dies with the family.
    await fail(f.tokens.refresh(second.refreshToken));
    const alerts = f.events.filter((e) => e.type === 'alert.raise');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ reason: 'refresh_token_reuse', severity: 'high', actor: { type: 'user', id: USER_TOKENS.subject }, details: { family_id: first.familyId, action: 'family_revoked' } });
    expect(await f.tokens.isAccessTokenRevoked(second.jti)).toBe(true);
    expect(await f.tokens.isAccessTokenRevoked(first.jti)).toBe(true);
    const failures = f.events.filter((e) => e.type === 'token.refresh' && e.outcome === 'failure').map((e) => e.reason);
    expect(failures).toEqual(['reuse_detected', 'revoked']);
    // Another reuse does not raise a second alert.
    await fail(f.tokens.refresh(first.refreshToken));
    expect(f.events.filter((e) => e.type === 'alert.raise')).toHaveLength(1);
  });

  it('with leeway 0, any second presentation is reuse', async () => {
    f = await tokensFixture({ refreshToken: { reuseLeewaySeconds: 0 } });
    const first = await f.tokens.issueTokens(USER_TOKENS);
    await f.tokens.refresh(first.refreshToken);
    await fail(f.tokens.refresh(first.refreshToken));
    expect(f.events.filter((e) => e.type === 'alert.raise')).toHaveLength(1);
  });

  it('a family lives refreshToken.lifetimeSeconds from sign-in; rotation does not extend it', async () => {
    f = await tokensFixture({ refreshToken: { lifetimeSeconds: 7 * 86_400 } });
    const first = await f.tokens.issueTokens(USER_TOKENS);
    expect(first.refreshTokenExpiresAt - f.clock.now()).toBe(7 * 86_400_000);
    f.clock.advanceSeconds(7 * 86_400 - 1);
    const second = await f.tokens.refresh(first.refreshToken);
    f.clock.advanceSeconds(1);
    const err = await fail(f.tokens.refresh(second.refreshToken));
    expect(err.detail).toBe('expired');
  });

  it('refuses malformed, unknown and revoked tokens alike, and a family whose session ended', async () => {
    f = await tokensFixture();
    expect((await fail(f.tokens.refresh('not-a-token'))).detail).toBe('malformed');
    expect((await fail(f.tokens.refresh(`ghrt_${'A'.repeat(43)}`))).detail).toBe('not_found');
    const a = await f.tokens.issueTokens(USER_TOKENS);
    expect(await f.tokens.revokeRefreshToken(a.refreshToken)).toBe(true);
    expect(await f.tokens.revokeRefreshToken(a.refreshToken)).toBe(false);
    expect((await fail(f.tokens.refresh(a.refreshToken))).detail).toBe('revoked');
    expect(await f.tokens.isAccessTokenRevoked(a.jti)).toBe(true);
    const b = await f.tokens.issueTokens({ ...USER_TOKENS, sessionId: 'ses_2' });
    f.endedSessions.add('ses_2');
    expect((await fail(f.tokens.refresh(b.refreshToken))).detail).toBe('session_ended');
  });

  it('binds the family to its client and allows only narrower scopes (RFC 6749 §6)', async () => {
    f = await tokensFixture();
    const a = await f.tokens.issueTokens({ ...USER_TOKENS, scopes: ['read', 'write'] });
    expect((await fail(f.tokens.refresh(a.refreshToken, { clientId: 'other' }))).detail).toBe('client_mismatch');
    expect((await fail(f.tokens.refresh(a.refreshToken, { scopes: ['admin'] }))).detail).toBe('invalid_scope');
    const narrowed = await f.tokens.refresh(a.refreshToken, { clientId: 'gatehouse', scopes: ['read'] });
    expect(narrowed.scopes).toEqual(['read']);
  });

  it('revokeForSubject revokes every live family of a user', async () => {
    f = await tokensFixture();
    const a = await f.tokens.issueTokens(USER_TOKENS);
    const b = await f.tokens.issueTokens({ ...USER_TOKENS, sessionId: 'ses_9' });
    const other = await f.tokens.issueTokens({ ...USER_TOKENS, subject: 'usr_bob' });
    expect(await f.tokens.revokeForSubject(USER_TOKENS.subject, 'password_change')).toBe(2);
    await fail(f.tokens.refresh(a.refreshToken));
    await fail(f.tokens.refresh(b.refreshToken));
    await f.tokens.refresh(other.refreshToken);
  });
});
