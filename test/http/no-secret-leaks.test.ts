/**
 * Invariant: a raw API key, and the hash Gatehouse stores for it, never leave the core except
 * as the one `key` field of the response that creates or rotates that key. No other response
 * body or header, no auth event, no operational log line and no exception message contains a
 * raw key (or the secret part after its display `start`), its SHA-256/HMAC hash in any common
 * encoding, or the configured pepper, whatever the key's fate (verified, rotated, expired,
 * rate-limited, revoked) and whatever the request (valid, malformed, oversized, conflicting,
 * unauthorised), including after the storage behind a running server has gone away.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/api-keys/format.js';
import { hashSecret } from '../../src/core/crypto/hash.js';
import { secureRandom } from '../../src/core/crypto/random.js';
import { call, startTestServer, type CallOptions, type TestServer } from '../helpers/server.js';

const PEPPER = 'pepper-for-the-no-secret-leaks-test-0123456789';

/** Every encoding of a key's stored hash a careless log line might carry. */
function hashForms(key: string, pepper: string | undefined): string[] {
  const digest = pepper ? createHmac('sha256', pepper).update(key).digest() : createHash('sha256').update(key).digest();
  const hex = hashSecret(key, pepper ? Buffer.from(pepper) : undefined);
  expect(hex).toBe(digest.toString('hex'));
  return [hex, hex.toUpperCase(), digest.toString('base64'), digest.toString('base64url')];
}

/** What must never appear: the key, its undisclosed part, and its hash forms. */
function forbiddenFor(key: string, pepper: string | undefined): string[] {
  const separator = key.lastIndexOf('_');
  const undisclosed = key.slice(separator + 1 + 8);
  return [key, undisclosed, ...hashForms(key, pepper)];
}

function findLeaks(haystack: string[], forbidden: Map<string, string>): string[] {
  const leaks: string[] = [];
  for (const [needle, label] of forbidden) {
    for (const hay of haystack) {
      if (hay.includes(needle)) leaks.push(`${label} found in: ${hay.slice(0, 200)}`);
    }
  }
  return leaks;
}

describe.each([
  ['without a pepper (SHA-256)', undefined],
  ['with a pepper (HMAC-SHA256)', PEPPER],
])('no raw key or stored hash leaks, %s', (_name, pepper) => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('across a full key life cycle over HTTP', async () => {
    const s = await startTestServer({ overrides: pepper ? { apiKeys: { pepper } } : {} });
    server = s;
    /** Raw keys (and other presented secrets) seen during the test, by label. */
    const secrets = new Map<string, string>();
    /** Response texts where a raw key is allowed: the creating/rotating response of that key. */
    const captured: string[] = [];
    const exceptions: string[] = [];
    const issued = (label: string, key: string) => {
      expect(key.length).toBeGreaterThan(40);
      secrets.set(key, label);
      return key;
    };
    issued('admin', s.adminKey);

    /** Calls the API and records the whole response (status line, headers, body). */
    const req = async (path: string, options: CallOptions & { allowKey?: string } = {}) => {
      const res = await call(s, path, options);
      let text = res.text;
      if (options.allowKey !== undefined) {
        // The one place a raw key may appear: as the `key` member of its own create/rotate response.
        expect(res.json.key).toBe(options.allowKey);
        text = JSON.stringify({ ...res.json, key: '[issued]' });
      }
      const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
      // The request line is not recorded: some requests deliberately carry keys in the URL.
      captured.push(`${res.status}\n${headers}\n\n${text}`);
      return res;
    };
    const create = async (label: string, body: Record<string, unknown>) => {
      const res = await call(s, '/v1/keys', { key: s.adminKey, body });
      expect(res.status).toBe(201);
      issued(label, res.json.key);
      return req(`/v1/keys/${res.json.id}`, { key: s.adminKey }).then(() => res.json as { id: string; key: string });
    };
    const admin = s.adminKey;

    // Create.
    const a = await create('A', { name: 'lifecycle', scopes: ['orders:read'], owner_id: 'tenant', metadata: { note: 'plain' }, expires_in_seconds: 86_400 });
    const b = await create('B', { name: 'limited', rate_limit: { limit: 2, window_seconds: 60 } });
    const c = await create('C', { name: 'short-lived', expires_in_seconds: 60 });
    expect((await req('/v1/whoami', { key: c.key })).status).toBe(200);

    // Use and verify.
    expect((await req('/v1/whoami', { key: a.key })).status).toBe(200);
    expect((await req('/v1/whoami', { headers: { 'x-api-key': a.key } })).status).toBe(200);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: a.key } })).json.valid).toBe(true);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: a.key, scopes: ['orders:write'] } })).json.code).toBe('INSUFFICIENT_SCOPE');
    const unknown = issued('unknown', generateApiKey('gk_live', secureRandom).key);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: unknown } })).json.code).toBe('NOT_FOUND');
    expect((await req('/v1/whoami', { key: unknown })).status).toBe(401);
    const tampered = issued('tampered A', a.key.slice(0, -1) + (a.key.endsWith('x') ? 'y' : 'x'));
    expect((await req('/v1/keys/verify', { key: admin, body: { key: tampered } })).json.code).toBe('NOT_FOUND');
    expect((await req('/v1/whoami', { key: tampered })).status).toBe(401);

    // Rotate with a grace period, then let it end.
    const rotated = await call(s, `/v1/keys/${a.id}/rotate`, { key: admin, body: { grace_period_seconds: 3600 } });
    expect(rotated.status).toBe(201);
    const a2 = issued('A2', rotated.json.key);
    captured.push(JSON.stringify({ ...rotated.json, key: '[issued]' }));
    expect((await req('/v1/whoami', { key: a.key })).status).toBe(200);
    expect((await req('/v1/whoami', { key: a2 })).status).toBe(200);
    s.clock.advanceSeconds(3600);
    expect((await req('/v1/whoami', { key: a.key })).status).toBe(401);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: a.key } })).json.code).toBe('EXPIRED');
    expect((await req('/v1/whoami', { key: c.key })).status).toBe(401);
    expect((await req(`/v1/keys/${a.id}/rotate`, { key: admin, body: {} })).status).toBe(409);

    // Immediate rotation.
    const rotatedAgain = await call(s, `/v1/keys/${rotated.json.id}/rotate`, { key: admin, body: { grace_period_seconds: 0 } });
    expect(rotatedAgain.status).toBe(201);
    const a3 = issued('A3', rotatedAgain.json.key);
    const a3Id: string = rotatedAgain.json.id;
    expect((await req('/v1/whoami', { key: a2 })).status).toBe(401);
    expect((await req('/v1/whoami', { key: a3 })).status).toBe(200);

    // Rate limiting.
    for (let i = 0; i < 2; i++) expect((await req('/v1/whoami', { key: b.key })).status).toBe(200);
    expect((await req('/v1/whoami', { key: b.key })).status).toBe(429);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: b.key } })).json.code).toBe('RATE_LIMITED');

    // Management reads and updates.
    expect((await req(`/v1/keys/${a3Id}`, { key: admin, method: 'PATCH', body: { name: 'renamed', scopes: ['orders:read', 'x'], metadata: { v: 2 } } })).status).toBe(200);
    expect((await req('/v1/keys?include_revoked=true&limit=100', { key: admin })).status).toBe(200);
    expect((await req('/v1/keys?limit=1', { key: admin })).status).toBe(200);

    // Bad requests carrying keys in every place a careless error path might echo them.
    expect((await req('/v1/whoami', { headers: { authorization: `Bearer ${a3}`, 'x-api-key': b.key } })).status).toBe(400);
    expect((await req('/v1/whoami', { headers: { authorization: `Bearer ${a3} ${b.key}` } })).status).toBe(401);
    expect((await req('/v1/whoami', { headers: { authorization: `Basic ${Buffer.from(`user:${a3}`).toString('base64')}` } })).status).toBe(401);
    expect((await req('/v1/keys/verify', { key: admin, method: 'POST', rawBody: `{"key":"${a3}"`, headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: a3, extra: a3 } })).status).toBe(400);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: `${a3}${'x'.repeat(1024)}` } })).status).toBe(400);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: a3, scopes: [`bad scope ${a3}`] } })).status).toBe(400);
    expect((await req('/v1/keys', { key: admin, body: { name: a3.repeat(5) } })).status).toBe(400);
    expect((await req('/v1/keys', { key: admin, body: { name: 'x', key: a3 } })).status).toBe(400);
    expect((await req('/v1/keys', { key: admin, body: { name: 'x', metadata: { blob: a3.repeat(100) } } })).status).toBe(400);
    expect((await req('/v1/keys', { key: admin, body: { name: 'x', metadata: { blob: a3.repeat(2000) } } })).status).toBe(413);
    expect((await req('/v1/keys', { key: admin, method: 'POST', rawBody: a3, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await req(`/v1/keys/${a3}`, { key: admin })).status).toBe(404);
    expect((await req(`/v1/keys?cursor=${a3}`, { key: admin })).status).toBe(400);
    expect((await req(`/v1/keys/${a3}?x=${a3}`, { key: admin, method: 'PATCH', body: { name: a3 } })).status).toBe(404);
    expect((await req(`/v1/${a3}`, { key: a3 })).status).toBe(404);
    expect((await req('/v1/keys', { key: b.key, body: { name: 'x' } })).status).toBe(403);

    // Exceptions thrown by the core for ids that are really keys.
    for (const op of [
      () => s.gatehouse.apiKeys.get(a3),
      () => s.gatehouse.apiKeys.revoke(a3),
      () => s.gatehouse.apiKeys.rotate(a3),
      () => s.gatehouse.apiKeys.update(a3, { name: a3 }),
      () => s.gatehouse.apiKeys.create({ name: a3, scopes: [a3 + ' '] }),
      () => s.gatehouse.apiKeys.create({ name: 'x', metadata: { a: a3.repeat(100) } }),
    ]) {
      const err: unknown = await op().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      const e = err as Error & { detail?: unknown };
      exceptions.push(`${String(e)}\n${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}\n${String(e.detail)}`);
    }

    // Revoke, then use the revoked key.
    expect((await req(`/v1/keys/${a3Id}`, { key: admin, method: 'DELETE' })).status).toBe(200);
    expect((await req(`/v1/keys/${a3Id}`, { key: admin, method: 'DELETE' })).status).toBe(200);
    expect((await req('/v1/whoami', { key: a3 })).status).toBe(401);
    expect((await req('/v1/keys/verify', { key: admin, body: { key: a3 } })).json.code).toBe('REVOKED');
    expect((await req(`/v1/keys/${a3Id}`, { key: admin, method: 'PATCH', body: { name: 'x' } })).status).toBe(409);
    await s.gatehouse.apiKeys.flushLastUsed();

    // Storage gone under a running server: the 5xx paths log errors.
    await s.gatehouse.close();
    expect((await req('/v1/whoami', { key: b.key })).status).toBe(503);
    expect((await req('/readyz')).status).toBe(503);
    expect((await req('/v1/keys', { key: admin })).status).toBe(503);

    // The capture worked: every event kind and the display starts are there.
    const eventLines = s.events.map((e) => JSON.stringify(e));
    const eventTypes = new Set(s.events.map((e) => e.type));
    for (const t of ['api_key.create', 'api_key.verify', 'api_key.rotate', 'api_key.update', 'api_key.revoke']) expect(eventTypes).toContain(t);
    const reasons = new Set(s.events.map((e) => e.reason));
    for (const r of ['ok', 'not_found', 'malformed', 'rotation_grace_ended', 'expired', 'revoked', 'rate_limited', 'insufficient_scope']) expect(reasons).toContain(r);
    expect(s.logLines.length).toBeGreaterThan(0);
    expect(exceptions).toHaveLength(6);
    const haystack = [...captured, ...eventLines, ...s.logLines, ...exceptions];
    expect(haystack.join('\n')).toContain(a3.slice(0, 'gk_live_'.length + 8));

    const forbidden = new Map<string, string>();
    for (const [key, label] of secrets) for (const f of forbiddenFor(key, pepper)) forbidden.set(f, `secret of ${label}`);
    if (pepper) forbidden.set(pepper, 'the pepper');
    expect(forbidden.size).toBeGreaterThanOrEqual(secrets.size * 6);
    // The detector detects: a planted key is found.
    expect(findLeaks([`prefix ${a3} suffix`], forbidden)).toHaveLength(2);
    expect(findLeaks(haystack, forbidden)).toEqual([]);
  });
});
