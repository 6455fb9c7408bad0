/**
 * Invariant: `PATCH /v1/keys/:id` never brings a dead key back to life. A key that has
 * expired cannot be changed at all (409 `api_key.conflict`): not its expiry, which would
 * revive it, and not its other fields either, so an expired key stays exactly as it died.
 * A key that has been rotated keeps the expiry its rotation gave it (the end of its grace
 * period): changing it (`expires_in_seconds` or `expires_at`, including `null`) is refused
 * with 409, so the old credential cannot outlive its rotation; its other fields may still be
 * changed. Revoked keys were already refused. Rotation and expiry are how a leaked key is
 * retired; an update that undid them would silently re-arm the leak.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestResponse, type TestServer } from '../../../helpers/server.js';

describe('PATCH never resurrects a key', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  const patch = (id: string, body: unknown) => call(server, `/v1/keys/${id}`, { key: server.adminKey, method: 'PATCH', body });
  const show = async (id: string) => (await call(server, `/v1/keys/${id}`, { key: server.adminKey })).json as Record<string, unknown>;

  function expectConflict(res: TestResponse): void {
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json).toMatchObject({ status: 409, code: 'api_key.conflict' });
  }

  const farFuture = () => new Date(server.clock.now() + 365 * 86_400_000).toISOString();

  describe('an expired key', () => {
    it('cannot get a new expiry, lose its expiry, or change at all; it stays expired', async () => {
      const created = await server.gatehouse.apiKeys.create({ name: 'short', scopes: ['a'], expiresInSeconds: 60 });
      const id = created.apiKey.id;
      server.clock.advanceSeconds(61);
      const before = await show(id);

      for (const body of [{ expires_in_seconds: 3600 }, { expires_at: farFuture() }, { expires_at: null }, { name: 'renamed' }, { scopes: ['admin'] }, { metadata: { a: 1 } }, { rate_limit: null }]) {
        expectConflict(await patch(id, body));
      }

      expect(await show(id)).toEqual(before);
      expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(401);
      expect(server.events.filter((e) => e.type === 'api_key.update')).toHaveLength(0);
    });

    it('expires at the exact millisecond of its expiry', async () => {
      const created = await server.gatehouse.apiKeys.create({ name: 'edge', expiresInSeconds: 60 });
      server.clock.advanceSeconds(60);
      expectConflict(await patch(created.apiKey.id, { expires_at: null }));
      expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(401);
    });

    it('a key one millisecond before its expiry can still be extended', async () => {
      const created = await server.gatehouse.apiKeys.create({ name: 'alive', expiresInSeconds: 60 });
      server.clock.advance(59_999);
      const res = await patch(created.apiKey.id, { expires_in_seconds: 3600 });
      expect(res.status).toBe(200);
      server.clock.advanceSeconds(120);
      expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(200);
    });
  });

  describe('a rotated key', () => {
    it('keeps the expiry its rotation set; the grace period still ends it', async () => {
      const created = await server.gatehouse.apiKeys.create({ name: 'rotating', scopes: ['a'] });
      const id = created.apiKey.id;
      const rotated = await call(server, `/v1/keys/${id}/rotate`, { key: server.adminKey, body: { grace_period_seconds: 600 } });
      expect(rotated.status).toBe(201);
      const graceEnd = rotated.json.previous.expires_at as string;

      for (const body of [{ expires_in_seconds: 86_400 }, { expires_at: farFuture() }, { expires_at: null }, { name: 'x', expires_at: null }]) {
        expectConflict(await patch(id, body));
      }
      expect((await show(id)).expires_at).toBe(graceEnd);
      expect((await show(id)).name).toBe('rotating');

      server.clock.advanceSeconds(601);
      expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(401);
    });

    it('may still have its other fields changed during the grace period', async () => {
      const created = await server.gatehouse.apiKeys.create({ name: 'rotating', scopes: ['a'] });
      const id = created.apiKey.id;
      const rotated = await call(server, `/v1/keys/${id}/rotate`, { key: server.adminKey, body: { grace_period_seconds: 600 } });
      const res = await patch(id, { name: 'old one', scopes: ['b'], metadata: { note: 'rotated' } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ name: 'old one', scopes: ['b'], expires_at: rotated.json.previous.expires_at });
    });

    it('its successor can have its expiry changed', async () => {
      const created = await server.gatehouse.apiKeys.create({ name: 'rotating' });
      const rotated = await call(server, `/v1/keys/${created.apiKey.id}/rotate`, { key: server.adminKey, body: { grace_period_seconds: 0 } });
      const res = await patch(rotated.json.id as string, { expires_in_seconds: 3600 });
      expect(res.status).toBe(200);
    });
  });
});
