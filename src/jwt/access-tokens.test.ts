import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatehouseError } from '../core/errors/gatehouse-error.js';
import { ISSUER, T0, USER_TOKENS, tokensFixture, type TokensFixture } from '../../test/helpers/tokens.js';
import { checkJwtConfig } from './service.js';
import { loadConfig } from '../core/config/load.js';
import { tmpdir } from 'node:os';

describe('access tokens (RFC 9068)', () => {
  let f: TokensFixture;
  afterEach(() => f.close());

  it.each(['RS256', 'ES256', 'EdDSA'] as const)('%s: header typ at+jwt with kid and alg; verifies against the JWKS with every required claim', async (algorithm) => {
    f = await tokensFixture({ algorithm });
    const issued = await f.tokens.issueTokens(USER_TOKENS);
    const header = decodeProtectedHeader(issued.accessToken);
    const jwks = await f.tokens.jwks();
    expect(header).toEqual({ alg: algorithm, typ: 'at+jwt', kid: jwks.keys[0]!.kid });
    expect(jwks.keys[0]).toMatchObject({ alg: algorithm, use: 'sig', kid: header.kid });
    const { payload } = await jwtVerify(issued.accessToken, createLocalJWKSet({ keys: jwks.keys }), {
      issuer: ISSUER,
      audience: ISSUER,
      typ: 'at+jwt',
      algorithms: [algorithm],
      currentDate: new Date(f.clock.now()),
    });
    expect(payload).toEqual({
      iss: ISSUER,
      sub: USER_TOKENS.subject,
      aud: ISSUER,
      exp: T0 / 1000 + 900,
      iat: T0 / 1000,
      jti: issued.jti,
      client_id: 'gatehouse',
      scope: 'profile',
      auth_time: T0 / 1000,
      amr: ['pwd'],
    });
    expect(issued.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('RS256 keys are RSA 2048 bits with e = 65537; the kid is the RFC 7638 thumbprint', async () => {
    f = await tokensFixture({ algorithm: 'RS256' });
    const [jwk] = (await f.tokens.jwks()).keys;
    expect(Buffer.from(jwk!.n!, 'base64url').length * 8).toBe(2048);
    expect(jwk!.e).toBe('AQAB');
    const { calculateJwkThumbprint } = await import('jose');
    expect(jwk!.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: jwk!.n!, e: jwk!.e! }, 'sha256'));
  });

  it('lifetime: 15 minutes by default, configurable, per call up to maxLifetimeSeconds', async () => {
    f = await tokensFixture({ accessToken: { lifetimeSeconds: 300, maxLifetimeSeconds: 600 } });
    const def = await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: ['a', 'b'] });
    expect(def.expiresIn).toBe(300);
    expect(def.claims.aud).toEqual(['a', 'b']);
    expect(def.claims).not.toHaveProperty('scope');
    expect((await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a', lifetimeSeconds: 600 })).expiresAt - T0).toBe(600_000);
    const err = (await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a', lifetimeSeconds: 601 }).catch((e: unknown) => e)) as GatehouseError;
    expect(err.code).toBe('request.invalid');
  });

  it('refuses bad input with request.invalid, and additional claims that would override registered ones', async () => {
    f = await tokensFixture();
    const bad = [
      { subject: '', clientId: 'c', audience: 'a' },
      { subject: 'u', clientId: 'has space', audience: 'a' },
      { subject: 'u', clientId: 'c', audience: [] },
      { subject: 'u', clientId: 'c', audience: 'a', scopes: ['bad"scope'] },
      { subject: 'u', clientId: 'c', audience: 'a', claims: { iss: 'https://evil.example' } },
      { subject: 'u', clientId: 'c', audience: 'a', claims: { big: 'x'.repeat(5000) } },
    ];
    for (const input of bad) expect(await f.tokens.issueAccessToken(input as never).catch((e: GatehouseError) => e.code)).toBe('request.invalid');
    const ok = await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a', claims: { tenant: 't1' } });
    expect(ok.claims.tenant).toBe('t1');
  });

  it('early revocation by jti lasts the remaining lifetime plus the tolerance, then expires', async () => {
    f = await tokensFixture({ clockToleranceSeconds: 60 });
    const at = await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a' });
    expect(await f.tokens.isAccessTokenRevoked(at.jti)).toBe(false);
    const r = await f.tokens.revokeAccessToken(at.jti, { expiresAt: at.expiresAt });
    expect(r.revokedUntil).toBe(at.expiresAt + 60_000);
    expect(await f.tokens.isAccessTokenRevoked(at.jti)).toBe(true);
    f.clock.set(r.revokedUntil - 1);
    expect(await f.tokens.isAccessTokenRevoked(at.jti)).toBe(true);
    f.clock.set(r.revokedUntil);
    expect(await f.tokens.isAccessTokenRevoked(at.jti)).toBe(false);
    expect(f.events.filter((e) => e.type === 'token.revoke')[0]).toMatchObject({ credential: { kind: 'access_token', id: at.jti }, details: { jti: at.jti } });
    expect(await f.tokens.isAccessTokenRevoked('../etc/passwd')).toBe(true);
  });

  it('the revocation check fails closed when the counters are down', async () => {
    f = await tokensFixture();
    await f.counters.close();
    const broken = { ...f.counters, get: () => Promise.reject(new Error('ECONNREFUSED')) };
    const g = await tokensFixture({}, { database: f.database, clock: f.clock });
    Object.assign(g.counters, broken);
    await expect(g.tokens.isAccessTokenRevoked('abc')).rejects.toMatchObject({ code: 'storage.unavailable' });
    await g.close();
  });

  it('refuses inconsistent jwt settings at start (ConfigError)', () => {
    const base = loadConfig({ env: {}, cwd: tmpdir() }).jwt;
    expect(() => checkJwtConfig({ ...base, jwks: { maxAgeSeconds: 7200 } })).toThrow(/maxAgeSeconds must not exceed/);
    expect(() => checkJwtConfig({ ...base, keyCacheSeconds: 3600 })).toThrow(/keyCacheSeconds/);
    expect(() => checkJwtConfig({ ...base, accessToken: { ...base.accessToken, maxLifetimeSeconds: 60 } })).toThrow(/maxLifetimeSeconds/);
  });
});
