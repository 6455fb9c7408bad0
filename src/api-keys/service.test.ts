import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock, type ManualClock } from '../core/clock.js';
import { loadConfig } from '../core/config/load.js';
import type { GatehouseConfigInput } from '../core/config/schema.js';
import { hashSecret } from '../core/crypto/hash.js';
import type { RandomSource } from '../core/crypto/random.js';
import { GatehouseError, type ErrorCode } from '../core/errors/index.js';
import type { AuthEvent } from '../core/events.js';
import { silentLogger } from '../core/logger.js';
import { createMemoryCounterStore } from '../storage/counters/memory.js';
import { createSqlApiKeyStore } from '../storage/sql/api-key-store.js';
import { openDatabase } from '../storage/sql/database.js';
import { generateApiKey } from './format.js';
import { createApiKeyService, type ApiKeyService } from './service.js';
import type { ApiKeyStore } from './store.js';
import type { VerifyApiKeyOptions, VerifyApiKeyResult } from './verify.js';

const T0 = Date.UTC(2026, 0, 1);
const DAY_SECONDS = 86_400;

function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return {
    bytes(size) {
      const out = Buffer.alloc(size);
      for (let offset = 0; offset < size; ) offset += createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, offset);
      return out;
    },
  };
}

interface Harness {
  service: ApiKeyService;
  store: ApiKeyStore;
  clock: ManualClock;
  events: AuthEvent[];
  dataDir: string;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A service on SQLite (in memory unless `dataDir` is shared), memory counters and a memory audit log. */
async function setup(
  apiKeys: GatehouseConfigInput['apiKeys'] = {},
  options: { dataDir?: string; clock?: ManualClock; onDisk?: boolean } = {},
): Promise<Harness> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-service-'));
  const clock = options.clock ?? createManualClock(T0);
  const config = loadConfig({ env: {}, cwd: dataDir, overrides: { apiKeys } });
  const database = await openDatabase({ url: options.onDisk ? undefined : 'sqlite::memory:', dataDir });
  const store = createSqlApiKeyStore(database, { externalChangePollIntervalMs: 0 });
  const counters = createMemoryCounterStore({ clock });
  const audit = createMemoryAuditLog({ clock, instance: 'test' });
  const service = createApiKeyService({ store, counters, audit, clock, random: seededRandom(dataDir + String(cleanups.length)), config: config.apiKeys, logger: silentLogger });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await service.close();
    await counters.close();
    await database.close();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  cleanups.push(close);
  return { service, store, clock, events: audit.events, dataDir, close };
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GatehouseError)) throw new Error(`expected a GatehouseError, got ${String(err)}`);
  return err.code;
}

function verifyEvents(h: Harness): AuthEvent[] {
  return h.events.filter((e) => e.type === 'api_key.verify');
}

/** Verifies and returns the result with the one `api_key.verify` event it emitted. */
async function verifyOnce(h: Harness, key: string, options?: VerifyApiKeyOptions): Promise<{ result: VerifyApiKeyResult; event: AuthEvent }> {
  const before = verifyEvents(h).length;
  const result = await h.service.verify(key, options);
  const emitted = verifyEvents(h).slice(before);
  expect(emitted).toHaveLength(1);
  return { result, event: emitted[0]! };
}

function codeOfResult(result: VerifyApiKeyResult): string {
  return result.valid ? 'VALID' : result.code;
}

describe('create', () => {
  it('returns the raw key once and a view without the hash', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: ' ci deploy ', scopes: ['deploy', 'deploy', 'read'], ownerId: 'team-1', metadata: { a: 1 } });
    expect(key).toMatch(/^gk_live_[0-9A-Za-z]{49}$/);
    expect('hash' in apiKey).toBe(false);
    expect(apiKey).toMatchObject({
      name: 'ci deploy',
      scopes: ['deploy', 'read'],
      ownerId: 'team-1',
      metadata: { a: 1 },
      environment: 'live',
      prefix: 'gk_live',
      start: key.slice(8, 16),
      createdAt: T0,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      rateLimit: null,
    });
    expect(apiKey.id).toMatch(/^key_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await h.service.get(apiKey.id)).toEqual(apiKey);
  });

  it('stores only the SHA-256 of the key', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    const stored = await h.store.findById(apiKey.id);
    expect(stored?.hash).toBe(hashSecret(key, undefined));
    expect(JSON.stringify(stored)).not.toContain(key.slice(8));
  });

  it('stores the HMAC under the pepper when one is configured', async () => {
    const pepper = 'a-pepper-of-at-least-thirty-two-characters';
    const h = await setup({ pepper });
    const { key, apiKey } = await h.service.create({ name: 'k' });
    expect((await h.store.findById(apiKey.id))?.hash).toBe(hashSecret(key, Buffer.from(pepper)));
    expect((await h.service.verify(key)).valid).toBe(true);
  });

  it('uses the test prefix for the test environment', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k', environment: 'test' });
    expect(key.startsWith('gk_test_')).toBe(true);
    expect(apiKey.environment).toBe('test');
    expect((await h.service.verify(key)).valid).toBe(true);
  });

  it.each([
    ['an empty name', { name: '  ' }],
    ['a scope with a space', { name: 'k', scopes: ['a b'] }],
    ['a zero lifetime', { name: 'k', expiresInSeconds: 0 }],
    ['an unknown environment', { name: 'k', environment: 'prod' as never }],
    ['a bad rate limit', { name: 'k', rateLimit: { limit: 0, windowSeconds: 60 } }],
    ['oversized metadata', { name: 'k', metadata: { blob: 'x'.repeat(5000) } }],
  ])('rejects %s with request.invalid and stores nothing', async (_label, input) => {
    const h = await setup();
    expect(await codeOf(h.service.create(input))).toBe('request.invalid');
    expect((await h.service.list()).items).toEqual([]);
    expect(h.events).toEqual([]);
  });
});

describe('verify', () => {
  it('accepts a fresh key and reports its rate-limit state', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k', scopes: ['orders:read'] });
    const result = await h.service.verify(key, { scopes: ['orders:read'] });
    expect(result).toEqual({
      valid: true,
      key: apiKey,
      rateLimit: { policy: 'api_key', limit: 100, remaining: 99, resetSeconds: 60, windowSeconds: 60 },
    });
  });

  it('returns a view that cannot be changed by the caller', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k', scopes: ['a'] });
    const result = await h.service.verify(key);
    if (!result.valid) throw new Error('expected valid');
    expect(Object.isFrozen(result.key)).toBe(true);
    expect(Object.isFrozen(result.key.scopes)).toBe(true);
  });

  it.each([
    ['garbage', 'not-a-key'],
    ['the empty string', ''],
    ['a very long string', 'x'.repeat(10_000)],
  ])('answers NOT_FOUND for %s', async (_label, presented) => {
    const h = await setup();
    expect(await h.service.verify(presented)).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('answers NOT_FOUND for a key with a broken checksum', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k' });
    const tampered = key.slice(0, 20) + (key[20] === 'A' ? 'B' : 'A') + key.slice(21);
    expect(await h.service.verify(tampered)).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('answers NOT_FOUND for a well-formed key that was never issued', async () => {
    const h = await setup();
    await h.service.create({ name: 'k' });
    const unknown = generateApiKey('gk_live', seededRandom('never-issued')).key;
    expect(await h.service.verify(unknown)).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('answers EXPIRED from the moment the lifetime ends', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k', expiresInSeconds: 3600 });
    h.clock.advanceSeconds(3599);
    expect((await h.service.verify(key)).valid).toBe(true);
    h.clock.advanceSeconds(1);
    expect(await h.service.verify(key)).toEqual({ valid: false, code: 'EXPIRED' });
  });

  it('answers REVOKED for a revoked key', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    await h.service.revoke(apiKey.id);
    expect(await h.service.verify(key)).toEqual({ valid: false, code: 'REVOKED' });
  });

  it('answers INSUFFICIENT_SCOPE naming the required scopes, without consuming the rate limit', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k', scopes: ['read'] });
    for (let i = 0; i < 5; i++) {
      expect(await h.service.verify(key, { scopes: ['read', 'write'] })).toEqual({
        valid: false,
        code: 'INSUFFICIENT_SCOPE',
        requiredScopes: ['read', 'write'],
      });
    }
    const ok = await h.service.verify(key, { scopes: ['read'] });
    expect(ok.valid && ok.rateLimit.remaining).toBe(99);
  });

  it('allows the default 100 requests per 60 s, then RATE_LIMITED until the window ends', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k' });
    h.clock.advanceSeconds(20);
    const remaining: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await h.service.verify(key);
      if (!r.valid) throw new Error(`request ${i + 1} refused`);
      remaining.push(r.rateLimit.remaining);
    }
    expect(remaining[0]).toBe(99);
    expect(remaining[99]).toBe(0);
    const refused = await h.service.verify(key);
    expect(refused).toEqual({
      valid: false,
      code: 'RATE_LIMITED',
      rateLimit: { policy: 'api_key', limit: 100, remaining: 0, resetSeconds: 40, windowSeconds: 60 },
    });
    h.clock.advanceSeconds(39);
    expect(codeOfResult(await h.service.verify(key))).toBe('RATE_LIMITED');
    h.clock.advanceSeconds(1);
    const again = await h.service.verify(key);
    expect(again.valid && again.rateLimit.remaining).toBe(99);
  });

  it('limits each key separately', async () => {
    const h = await setup({ defaultRateLimit: { limit: 1, windowSeconds: 60 } });
    const a = await h.service.create({ name: 'a' });
    const b = await h.service.create({ name: 'b' });
    expect((await h.service.verify(a.key)).valid).toBe(true);
    expect(codeOfResult(await h.service.verify(a.key))).toBe('RATE_LIMITED');
    expect((await h.service.verify(b.key)).valid).toBe(true);
  });

  it('applies a per-key rate limit instead of the default', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k', rateLimit: { limit: 2, windowSeconds: 10 } });
    const first = await h.service.verify(key);
    expect(first.valid && first.rateLimit).toEqual({ policy: 'api_key', limit: 2, remaining: 1, resetSeconds: 10, windowSeconds: 10 });
    expect((await h.service.verify(key)).valid).toBe(true);
    expect(codeOfResult(await h.service.verify(key))).toBe('RATE_LIMITED');
    h.clock.advanceSeconds(10);
    expect((await h.service.verify(key)).valid).toBe(true);
  });

  it('applies a rate limit set by update on the next request', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    expect((await h.service.verify(key)).valid).toBe(true);
    await h.service.update(apiKey.id, { rateLimit: { limit: 1, windowSeconds: 60 } });
    expect(codeOfResult(await h.service.verify(key))).toBe('RATE_LIMITED');
  });
});

describe('rotate', () => {
  it('issues a successor with the same attributes; both verify during the default 24 h grace', async () => {
    const h = await setup();
    const old = await h.service.create({ name: 'svc', scopes: ['a'], ownerId: 'o', metadata: { m: true }, rateLimit: { limit: 50, windowSeconds: 60 } });
    h.clock.advanceSeconds(100);
    const rotated = await h.service.rotate(old.apiKey.id);
    expect(rotated.key).not.toBe(old.key);
    expect(rotated.apiKey).toMatchObject({
      name: 'svc',
      scopes: ['a'],
      ownerId: 'o',
      metadata: { m: true },
      rateLimit: { limit: 50, windowSeconds: 60 },
      rotatedFromId: old.apiKey.id,
      expiresAt: null,
    });
    expect(rotated.previous).toMatchObject({ id: old.apiKey.id, rotatedToId: rotated.apiKey.id, expiresAt: T0 + 100_000 + DAY_SECONDS * 1000 });

    h.clock.advanceSeconds(DAY_SECONDS - 1);
    expect((await h.service.verify(old.key)).valid).toBe(true);
    expect((await h.service.verify(rotated.key)).valid).toBe(true);
    h.clock.advanceSeconds(1);
    expect(await h.service.verify(old.key)).toEqual({ valid: false, code: 'EXPIRED' });
    expect((await h.service.verify(rotated.key)).valid).toBe(true);
  });

  it('honours an explicit grace period', async () => {
    const h = await setup();
    const old = await h.service.create({ name: 'k' });
    await h.service.rotate(old.apiKey.id, { gracePeriodSeconds: 3600 });
    h.clock.advanceSeconds(3599);
    expect((await h.service.verify(old.key)).valid).toBe(true);
    h.clock.advanceSeconds(1);
    expect(codeOfResult(await h.service.verify(old.key))).toBe('EXPIRED');
  });

  it('with gracePeriodSeconds 0, stops the old key at once even when it was cached', async () => {
    const h = await setup();
    const old = await h.service.create({ name: 'k' });
    expect((await h.service.verify(old.key)).valid).toBe(true);
    const rotated = await h.service.rotate(old.apiKey.id, { gracePeriodSeconds: 0 });
    expect(await h.service.verify(old.key)).toEqual({ valid: false, code: 'EXPIRED' });
    expect((await h.service.verify(rotated.key)).valid).toBe(true);
  });

  it('never extends an earlier expiry of the old key, and gives the successor the old lifetime', async () => {
    const h = await setup();
    const old = await h.service.create({ name: 'k', expiresInSeconds: 600 });
    h.clock.advanceSeconds(60);
    const rotated = await h.service.rotate(old.apiKey.id, { gracePeriodSeconds: 3600 });
    expect(rotated.previous.expiresAt).toBe(T0 + 600_000);
    expect(rotated.apiKey.expiresAt).toBe(T0 + 60_000 + 600_000);
  });

  it('refuses a revoked key with api_key.conflict', async () => {
    const h = await setup();
    const old = await h.service.create({ name: 'k' });
    await h.service.revoke(old.apiKey.id);
    expect(await codeOf(h.service.rotate(old.apiKey.id))).toBe('api_key.conflict');
    expect((await h.service.list({ includeRevoked: true })).items).toHaveLength(1);
  });

  it('refuses an already rotated key and an expired key with api_key.conflict', async () => {
    const h = await setup();
    const rotatedOnce = await h.service.create({ name: 'k' });
    await h.service.rotate(rotatedOnce.apiKey.id);
    expect(await codeOf(h.service.rotate(rotatedOnce.apiKey.id))).toBe('api_key.conflict');

    const expiring = await h.service.create({ name: 'e', expiresInSeconds: 10 });
    h.clock.advanceSeconds(10);
    expect(await codeOf(h.service.rotate(expiring.apiKey.id))).toBe('api_key.conflict');
  });

  it('answers api_key.not_found for an unknown id', async () => {
    const h = await setup();
    expect(await codeOf(h.service.rotate('key_00000000000000000000000000'))).toBe('api_key.not_found');
  });

  it('rejects a bad grace period with request.invalid', async () => {
    const h = await setup();
    const old = await h.service.create({ name: 'k' });
    expect(await codeOf(h.service.rotate(old.apiKey.id, { gracePeriodSeconds: -1 }))).toBe('request.invalid');
    expect(await codeOf(h.service.rotate(old.apiKey.id, { gracePeriodSeconds: 1.5 }))).toBe('request.invalid');
  });
});

describe('revoke', () => {
  it('takes effect on the next verification although the key was cached', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    expect((await h.service.verify(key)).valid).toBe(true);
    expect((await h.service.verify(key)).valid).toBe(true);
    await h.service.revoke(apiKey.id);
    expect(codeOfResult(await h.service.verify(key))).toBe('REVOKED');
  });

  it('is idempotent and keeps the first revocation time', async () => {
    const h = await setup();
    const { apiKey } = await h.service.create({ name: 'k' });
    const first = await h.service.revoke(apiKey.id);
    h.clock.advanceSeconds(5);
    const second = await h.service.revoke(apiKey.id);
    expect(second.revokedAt).toBe(first.revokedAt);
    expect(h.events.filter((e) => e.type === 'api_key.revoke').map((e) => e.reason)).toEqual(['ok', 'already_revoked']);
  });

  it('answers api_key.not_found for an unknown id', async () => {
    const h = await setup();
    expect(await codeOf(h.service.revoke('key_00000000000000000000000000'))).toBe('api_key.not_found');
  });

  it('reaches another process sharing the database (change feed)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-shared-'));
    cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    const clock = createManualClock(T0);
    const a = await setup({}, { dataDir, clock, onDisk: true });
    const b = await setup({}, { dataDir, clock, onDisk: true });
    const { key, apiKey } = await a.service.create({ name: 'k' });
    expect((await a.service.verify(key)).valid).toBe(true);
    await b.service.revoke(apiKey.id);
    expect(codeOfResult(await a.service.verify(key))).toBe('REVOKED');
  });
});

describe('update', () => {
  it('changes scopes with effect on the next verification (cache invalidated)', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k', scopes: ['read'] });
    expect(codeOfResult(await h.service.verify(key, { scopes: ['write'] }))).toBe('INSUFFICIENT_SCOPE');
    await h.service.update(apiKey.id, { scopes: ['read', 'write'] });
    expect((await h.service.verify(key, { scopes: ['write'] })).valid).toBe(true);
    await h.service.update(apiKey.id, { scopes: [] });
    expect(codeOfResult(await h.service.verify(key, { scopes: ['read'] }))).toBe('INSUFFICIENT_SCOPE');
  });

  it('changes the expiry with effect on the next verification', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    expect((await h.service.verify(key)).valid).toBe(true);
    await h.service.update(apiKey.id, { expiresInSeconds: 60 });
    h.clock.advanceSeconds(60);
    expect(codeOfResult(await h.service.verify(key))).toBe('EXPIRED');
  });

  it('returns the updated view and sets updatedAt', async () => {
    const h = await setup();
    const { apiKey } = await h.service.create({ name: 'k' });
    h.clock.advanceSeconds(7);
    const updated = await h.service.update(apiKey.id, { name: 'renamed', metadata: { v: 2 } });
    expect(updated).toMatchObject({ name: 'renamed', metadata: { v: 2 }, updatedAt: T0 + 7000 });
    expect('hash' in updated).toBe(false);
  });

  it('refuses a revoked key with api_key.conflict and an unknown one with api_key.not_found', async () => {
    const h = await setup();
    const { apiKey } = await h.service.create({ name: 'k' });
    await h.service.revoke(apiKey.id);
    expect(await codeOf(h.service.update(apiKey.id, { name: 'x' }))).toBe('api_key.conflict');
    expect(await codeOf(h.service.update('key_00000000000000000000000000', { name: 'x' }))).toBe('api_key.not_found');
  });

  it('rejects an expiry in the past and both expiry forms at once with request.invalid', async () => {
    const h = await setup();
    const { apiKey } = await h.service.create({ name: 'k' });
    expect(await codeOf(h.service.update(apiKey.id, { expiresAt: T0 }))).toBe('request.invalid');
    expect(await codeOf(h.service.update(apiKey.id, { expiresAt: T0 + 10_000, expiresInSeconds: 10 }))).toBe('request.invalid');
  });
});

describe('get and list', () => {
  it('get answers api_key.not_found for a malformed or unknown id', async () => {
    const h = await setup();
    expect(await codeOf(h.service.get('nope'))).toBe('api_key.not_found');
    expect(await codeOf(h.service.get('key_00000000000000000000000000'))).toBe('api_key.not_found');
  });

  it('lists newest first with a cursor and never includes a hash', async () => {
    const h = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await h.service.create({ name: `k${i}` })).apiKey.id);
      h.clock.advanceSeconds(1);
    }
    const first = await h.service.list({ limit: 2 });
    expect(first.items.map((k) => k.id)).toEqual([ids[2], ids[1]]);
    const second = await h.service.list({ limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.items.map((k) => k.id)).toEqual([ids[0]]);
    for (const item of [...first.items, ...second.items]) expect('hash' in item).toBe(false);
  });

  it('rejects a bad limit or cursor with request.invalid', async () => {
    const h = await setup();
    expect(await codeOf(h.service.list({ limit: 0 }))).toBe('request.invalid');
    expect(await codeOf(h.service.list({ limit: 101 }))).toBe('request.invalid');
    expect(await codeOf(h.service.list({ cursor: "key_' OR 1=1 --" }))).toBe('request.invalid');
  });
});

describe('with the cache disabled', () => {
  it('verifies, and sees revocation and updates at once', async () => {
    const h = await setup({ cache: { enabled: false } });
    const { key, apiKey } = await h.service.create({ name: 'k', scopes: ['a'] });
    expect((await h.service.verify(key, { scopes: ['a'] })).valid).toBe(true);
    await h.service.update(apiKey.id, { scopes: ['b'] });
    expect(codeOfResult(await h.service.verify(key, { scopes: ['a'] }))).toBe('INSUFFICIENT_SCOPE');
    await h.service.revoke(apiKey.id);
    expect(codeOfResult(await h.service.verify(key))).toBe('REVOKED');
  });
});

describe('last used', () => {
  it('is written by flushLastUsed, not by verification itself', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    h.clock.advanceSeconds(30);
    await h.service.verify(key);
    expect((await h.service.get(apiKey.id)).lastUsedAt).toBeNull();
    await h.service.flushLastUsed();
    expect((await h.service.get(apiKey.id)).lastUsedAt).toBe(T0 + 30_000);

    h.clock.advanceSeconds(30);
    await h.service.verify(key);
    await h.service.flushLastUsed();
    expect((await h.service.get(apiKey.id)).lastUsedAt).toBe(T0 + 60_000);
  });

  it('is not recorded for a failed verification', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k', scopes: ['a'] });
    await h.service.verify(key, { scopes: ['b'] });
    await h.service.flushLastUsed();
    expect((await h.service.get(apiKey.id)).lastUsedAt).toBeNull();
  });

  it('is flushed by close()', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    await h.service.verify(key);
    await h.service.close();
    expect((await h.store.findById(apiKey.id))?.lastUsedAt).toBe(T0);
  });
});

describe('bootstrapAdminKey', () => {
  it('returns an admin key the first time and null afterwards', async () => {
    const h = await setup();
    const first = await h.service.bootstrapAdminKey();
    expect(first).not.toBeNull();
    expect(first!.apiKey.scopes).toEqual(['admin', 'keys:verify']);
    expect((await h.service.verify(first!.key, { scopes: ['admin'] })).valid).toBe(true);
    expect(await h.service.bootstrapAdminKey()).toBeNull();
    expect((await h.service.list()).items).toHaveLength(1);
    const created = h.events.filter((e) => e.type === 'api_key.create');
    expect(created).toHaveLength(1);
    expect(created[0]!.actor).toEqual({ type: 'system' });
  });
});

describe('audit events of verify', () => {
  const context = { source: { ip: '203.0.113.9', user_agent: 'curl/8' }, http: { method: 'GET', route: '/orders', request_id: 'req-1' } };

  it('success: one event with outcome success, reason ok, the key id and the rate limit', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'k' });
    const { event } = await verifyOnce(h, key, { context });
    expect(event).toMatchObject({
      schema: 'gatehouse.event/1',
      type: 'api_key.verify',
      outcome: 'success',
      reason: 'ok',
      severity: 'info',
      actor: { type: 'api_key', id: apiKey.id },
      credential: { kind: 'api_key', id: apiKey.id, prefix: `gk_live_${apiKey.start}` },
      ratelimit: { policy: 'api_key', limit: 100, remaining: 99, reset_s: 60 },
      source: context.source,
      http: context.http,
      ts: new Date(T0).toISOString(),
    });
  });

  it('malformed: names the failed check in details, with no credential id', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'k' });
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const { event } = await verifyOnce(h, tampered);
    expect(event).toMatchObject({ outcome: 'failure', reason: 'malformed', details: { check: 'checksum' }, credential: { id: null, prefix: null } });
    expect((await verifyOnce(h, 'short')).event).toMatchObject({ reason: 'malformed', details: { check: 'length' } });
  });

  it('not_found: records the prefix but no id', async () => {
    const h = await setup();
    const unknown = generateApiKey('gk_test', seededRandom('unknown')).key;
    const { event } = await verifyOnce(h, unknown);
    expect(event).toMatchObject({ outcome: 'failure', reason: 'not_found', credential: { kind: 'api_key', id: null, prefix: 'gk_test' } });
    expect(event.actor).toBeUndefined();
  });

  it('expired, revoked, insufficient_scope, rate_limited and rotation_grace_ended: the real reason', async () => {
    const h = await setup({ defaultRateLimit: { limit: 1, windowSeconds: 60 } });
    const expiring = await h.service.create({ name: 'e', expiresInSeconds: 5 });
    const revoked = await h.service.create({ name: 'r' });
    const scoped = await h.service.create({ name: 's', scopes: ['read'] });
    const limited = await h.service.create({ name: 'l' });
    const rotated = await h.service.create({ name: 'o' });

    await h.service.revoke(revoked.apiKey.id);
    await h.service.rotate(rotated.apiKey.id, { gracePeriodSeconds: 0 });
    await h.service.verify(limited.key);
    h.clock.advanceSeconds(5);

    const cases: Array<[string, string, VerifyApiKeyOptions | undefined, string, string]> = [
      [expiring.key, expiring.apiKey.id, undefined, 'expired', 'EXPIRED'],
      [revoked.key, revoked.apiKey.id, undefined, 'revoked', 'REVOKED'],
      [scoped.key, scoped.apiKey.id, { scopes: ['write'] }, 'insufficient_scope', 'INSUFFICIENT_SCOPE'],
      [limited.key, limited.apiKey.id, undefined, 'rate_limited', 'RATE_LIMITED'],
      [rotated.key, rotated.apiKey.id, undefined, 'rotation_grace_ended', 'EXPIRED'],
    ];
    for (const [key, id, options, reason, publicCode] of cases) {
      const { result, event } = await verifyOnce(h, key, options);
      expect(codeOfResult(result), reason).toBe(publicCode);
      expect(event, reason).toMatchObject({ type: 'api_key.verify', outcome: 'failure', reason, credential: { id } });
    }
  });

  it('rate_limited is medium severity and carries the exhausted limit; scope failures carry the required scopes', async () => {
    const h = await setup({ defaultRateLimit: { limit: 1, windowSeconds: 60 } });
    const { key } = await h.service.create({ name: 'k', scopes: ['read'] });
    await h.service.verify(key);
    expect((await verifyOnce(h, key)).event).toMatchObject({ severity: 'medium', ratelimit: { limit: 1, remaining: 0, reset_s: 60 } });
    expect((await verifyOnce(h, key, { scopes: ['write'] })).event).toMatchObject({ severity: 'low', details: { required_scopes: ['write'] } });
  });
});

describe('audit events of management operations', () => {
  it('create, update, rotate and revoke each emit one success event with the actor', async () => {
    const h = await setup();
    const actor = { actor: { type: 'cli' as const, id: 'ops' } };
    const { apiKey } = await h.service.create({ name: 'k' }, actor);
    await h.service.update(apiKey.id, { name: 'k2' }, actor);
    const rotated = await h.service.rotate(apiKey.id, {}, actor);
    await h.service.revoke(rotated.apiKey.id, actor);
    expect(h.events.map((e) => [e.type, e.outcome, e.reason, e.actor?.id])).toEqual([
      ['api_key.create', 'success', 'ok', 'ops'],
      ['api_key.update', 'success', 'ok', 'ops'],
      ['api_key.rotate', 'success', 'ok', 'ops'],
      ['api_key.revoke', 'success', 'ok', 'ops'],
    ]);
    expect(h.events[1]!.details).toEqual({ fields: ['name'] });
    expect(h.events[2]!.details).toMatchObject({ previous_id: apiKey.id, successor_id: rotated.apiKey.id, grace_period_seconds: DAY_SECONDS });
    expect(h.events[3]!.target).toEqual({ type: 'api_key', id: rotated.apiKey.id });
  });
});

describe('verifyNow (the synchronous hot path)', () => {
  it('answers a cached key synchronously with memory counters, with the same result and one event', async () => {
    const h = await setup();
    const { key } = await h.service.create({ name: 'hot', rateLimit: { limit: 2, windowSeconds: 60 } });
    const first = h.service.verifyNow(key);
    expect(first).toBeInstanceOf(Promise); // not cached yet: one lookup
    expect(codeOfResult(await first)).toBe('VALID');
    const before = verifyEvents(h).length;
    const second = h.service.verifyNow(key);
    expect(second).not.toBeInstanceOf(Promise);
    expect(codeOfResult(second as VerifyApiKeyResult)).toBe('VALID');
    expect(verifyEvents(h).length).toBe(before + 1);
    // The rate limit is consumed exactly as by verify().
    const third = h.service.verifyNow(key) as VerifyApiKeyResult;
    expect(codeOfResult(third)).toBe('RATE_LIMITED');
  });

  it('sees a revocation at once on the synchronous path', async () => {
    const h = await setup();
    const { key, apiKey } = await h.service.create({ name: 'hot' });
    await h.service.verify(key);
    expect(codeOfResult(h.service.verifyNow(key) as VerifyApiKeyResult)).toBe('VALID');
    await h.service.revoke(apiKey.id);
    expect(codeOfResult(await h.service.verifyNow(key))).toBe('REVOKED');
  });

  it('refuses malformed keys synchronously, with no storage lookup', async () => {
    const h = await setup();
    const result = h.service.verifyNow('gk_live_nope');
    expect(result).not.toBeInstanceOf(Promise);
    expect(codeOfResult(result as VerifyApiKeyResult)).toBe('NOT_FOUND');
  });
});
