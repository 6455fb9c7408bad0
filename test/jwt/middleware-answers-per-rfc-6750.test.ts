/**
 * The JWT middleware answers as RFC 6750 §3 says on Fastify, Express, Hono and fetch alike:
 * no token → 401 with a bare `Bearer realm` challenge; a refused token → 401 `invalid_token`
 * with one body whatever the reason; a valid token without the route's scope → 403
 * `insufficient_scope` naming the scope; a valid token → the handler runs with the claims.
 */
import { describe, expect, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessToken } from './helpers/tokens.js';

describe('middleware answers per RFC 6750', () => {
  const app = useProtectedApp();

  it('no token: 401 with a bare challenge and the jwt.invalid_token problem', async () => {
    for (const target of app.targets) {
      const answer = await target.request('/me');
      expect(answer.status, target.name).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 401, code: 'jwt.invalid_token' });
    }
  });

  it('a valid token reaches the handler with its claims, on every framework', async () => {
    const token = accessToken(app.keys.rsa);
    for (const target of app.targets) {
      const answer = await target.request('/orders', { authorization: `Bearer ${token}` });
      expect(answer.status, target.name).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ sub: 'usr_alice' });
    }
  });

  it('a valid token without the scope: 403 insufficient_scope with scope', async () => {
    const token = accessToken(app.keys.ec);
    for (const target of app.targets) {
      const answer = await target.request('/admin', { authorization: `Bearer ${token}` });
      expect(answer.status, target.name).toBe(403);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="admin"');
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'auth.insufficient_scope', scope: 'admin' });
    }
    const noScope = accessToken(app.keys.ec, { scope: undefined, jti: 'no-scope' });
    for (const target of app.targets) expect((await target.request('/orders', { authorization: `Bearer ${noScope}` })).status).toBe(403);
  });

  it('scopes match whole space-separated tokens only', async () => {
    const token = accessToken(app.keys.ed, { scope: 'orders:reader  orders:read:all', jti: 'near-miss' });
    for (const target of app.targets) expect((await target.request('/orders', { authorization: `Bearer ${token}` })).status).toBe(403);
  });

  it('expired, wrong-audience and bad-signature tokens get byte-identical 401s', async () => {
    const tokens = [accessToken(app.keys.rsa, { exp: 1 }), accessToken(app.keys.rsa, { aud: 'x' }), `${accessToken(app.keys.rsa).slice(0, -4)}AAAA`];
    for (const target of app.targets) {
      const bodies = new Set<string>();
      const challenges = new Set<string>();
      for (const token of tokens) {
        const answer = await target.request('/me', { authorization: `Bearer ${token}` });
        expect(answer.status).toBe(401);
        bodies.add(answer.body);
        challenges.add(answer.headers['www-authenticate']!);
      }
      expect(bodies.size, target.name).toBe(1);
      expect(challenges.size, target.name).toBe(1);
    }
  });

  it('route scopes that are not scope tokens are a TypeError at declaration', async () => {
    const { jwtAuth } = await import('../../src/middleware/fastify.js');
    expect(() => jwtAuth({ verifier: app.verifier })({ scopes: ['orders read'] })).toThrow(TypeError);
  });
});
