import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/api-keys/format.js';
import { hashSecret } from '../../../src/core/crypto/hash.js';
import { secureRandom } from '../../../src/core/crypto/random.js';
import { rawRequest } from '../../helpers/raw-http.js';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

/** Replaces the character at `index` with a different base62 character. */
function changeCharAt(key: string, index: number): string {
  const i = index < 0 ? key.length + index : index;
  const replacement = key[i] === 'A' ? 'B' : 'A';
  return key.slice(0, i) + replacement + key.slice(i + 1);
}

describe('GET /v1/whoami → 401', () => {
  let server: TestServer;
  let validKey: string;
  let expiredKey: string;
  let revokedKey: string;
  /** The body of the first 401, which every other one must equal byte for byte. */
  let reference: string;

  beforeAll(async () => {
    server = await startTestServer();
    validKey = (await server.gatehouse.apiKeys.create({ name: 'valid', scopes: ['read'] })).key;
    const expiring = await server.gatehouse.apiKeys.create({ name: 'expiring', expiresInSeconds: 60 });
    expiredKey = expiring.key;
    const revoked = await server.gatehouse.apiKeys.create({ name: 'revoked' });
    revokedKey = revoked.key;
    // Let both work once first, so the cache holds them before they go bad.
    expect((await call(server, '/v1/whoami', { key: expiredKey })).status).toBe(200);
    expect((await call(server, '/v1/whoami', { key: revokedKey })).status).toBe(200);
    await server.gatehouse.apiKeys.revoke(revoked.apiKey.id);
    server.clock.advanceSeconds(61);
    const missing = await call(server, '/v1/whoami');
    expect(missing.status).toBe(401);
    reference = missing.text;
  });

  afterAll(async () => {
    await server.close();
  });

  function expectUnauthorized(res: { status: number; text: string; headers: Headers }, presented: string | undefined): void {
    expect(res.status).toBe(401);
    expect(res.text).toBe(reference);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const challenge = res.headers.get('www-authenticate');
    if (presented === undefined) {
      expect(challenge).toBe('Bearer realm="gatehouse"');
    } else {
      expect(challenge).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
    }
    expect(res.headers.get('ratelimit')).toBeNull();
    if (presented !== undefined && presented.length > 0) {
      expect(res.text).not.toContain(presented);
      expect(res.text).not.toContain(hashSecret(presented, undefined));
      expect(challenge).not.toContain(presented);
    }
    expect(res.text).not.toMatch(/sqlite|select|hash|checksum|prefix|expired|revoked/i);
  }

  it('the body is an RFC 9457 problem with a stable code and no request-specific member', () => {
    const body = JSON.parse(reference) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'https://gatehouse.dev/errors/api_key.invalid',
      title: 'Unauthorized',
      status: 401,
      detail: expect.any(String),
      code: 'api_key.invalid',
    });
  });

  it('missing key: bare challenge', async () => {
    expectUnauthorized(await call(server, '/v1/whoami'), undefined);
  });

  it('another Authorization scheme counts as no key', async () => {
    expectUnauthorized(await call(server, '/v1/whoami', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), undefined);
  });

  const cases: Array<[string, () => string]> = [
    ['empty bearer token', () => ''],
    ['bad checksum', () => changeCharAt(validKey, -1)],
    ['changed random part (checksum no longer matches)', () => changeCharAt(validKey, 'gk_live_'.length + 3)],
    ['wrong prefix, valid checksum', () => generateApiKey('gk_prod', secureRandom).key],
    ['wrong prefix on an issued key', () => validKey.replace(/^gk_live_/, 'gk_test_')],
    ['too short', () => validKey.slice(0, -1)],
    ['too long by one', () => `${validKey}A`],
    ['very long', () => `gk_live_${'A'.repeat(4000)}`],
    ['not a key at all', () => 'hello'],
    ['underscore-free garbage', () => 'A'.repeat(55)],
    ['unknown: well-formed, valid checksum, never issued', () => generateApiKey('gk_live', secureRandom).key],
    ['unknown test-environment key', () => generateApiKey('gk_test', secureRandom).key],
    ['expired', () => expiredKey],
    ['revoked', () => revokedKey],
  ];

  for (const [name, makeKey] of cases) {
    it(`${name}: Authorization: Bearer`, async () => {
      const key = makeKey();
      expectUnauthorized(await call(server, '/v1/whoami', { headers: { authorization: `Bearer ${key}` } }), key);
    });
    it(`${name}: X-API-Key`, async () => {
      const key = makeKey();
      if (key === '') return; // an empty X-API-Key is covered by the bearer case
      expectUnauthorized(await call(server, '/v1/whoami', { headers: { 'x-api-key': key } }), key);
    });
  }

  it('non-ASCII (UTF-8 bytes in the header, sent on a raw socket)', async () => {
    const key = `${validKey.slice(0, 12)}ключ🔑${validKey.slice(18)}`;
    for (const header of ['Authorization: Bearer ', 'X-API-Key: ']) {
      const res = await rawRequest(server.url, 'GET', '/v1/whoami', [Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(key, 'utf8')])]);
      expect(res.status).toBe(401);
      expect(res.body).toBe(reference);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
    }
  });

  it('non-ASCII (a Latin-1 character in place of one key character, via node:http)', async () => {
    const key = `${validKey.slice(0, 20)}é${validKey.slice(21)}`;
    const res = await new Promise<{ status: number; body: string; challenge: string | undefined }>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), challenge: response.headers['www-authenticate'] }),
        );
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(401);
    expect(res.body).toBe(reference);
    expect(res.challenge).toMatch(/error="invalid_token"/);
  });

  it('the same valid key is still accepted (the failures above are about the keys, not the server)', async () => {
    const res = await call(server, '/v1/whoami', { key: validKey });
    expect(res.status).toBe(200);
  });

  it('every failure is audited with its real reason while the client sees one answer', () => {
    const reasons = new Set(server.events.filter((e) => e.type === 'api_key.verify' && e.outcome === 'failure').map((e) => e.reason));
    for (const reason of ['malformed', 'not_found', 'expired', 'revoked']) expect(reasons).toContain(reason);
  });
});
