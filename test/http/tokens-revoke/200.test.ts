import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /v1/tokens/revoke (admin)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('revokes a jti until exp plus the tolerance; the check then reports it revoked', async () => {
    const at = await server.gatehouse.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a' });
    const exp = at.expiresAt / 1000;
    const res = await call(server, '/v1/tokens/revoke', { key: server.adminKey, body: { jti: at.jti, exp } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ jti: at.jti, revoked: true, revoked_until: new Date(at.expiresAt + 60_000).toISOString() });
    expect(await server.gatehouse.tokens.isAccessTokenRevoked(at.jti)).toBe(true);
    expect(server.events.find((e) => e.type === 'token.revoke')).toMatchObject({ actor: { type: 'api_key', id: server.adminId } });
  });

  it('needs an admin key (401 without, 403 without the scope) and a well-formed jti (400)', async () => {
    expect((await call(server, '/v1/tokens/revoke', { body: { jti: 'abc' } })).status).toBe(401);
    const { key } = await server.gatehouse.apiKeys.create({ name: 'ro', scopes: ['orders:read'] });
    expect((await call(server, '/v1/tokens/revoke', { key, body: { jti: 'abc' } })).status).toBe(403);
    for (const body of [{ jti: '../x' }, { jti: '' }, { jti: 'a', exp: -1 }, { jti: 'a', extra: 1 }]) {
      const res = await call(server, '/v1/tokens/revoke', { key: server.adminKey, body });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('request.invalid');
    }
  });
});
