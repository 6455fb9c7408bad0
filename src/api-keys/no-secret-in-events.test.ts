/**
 * Invariant: no raw API key and no stored key hash ever appears in an audit event, in a
 * thrown error (its message, detail, stack or JSON form) or in a value the API-key service
 * returns other than the one-time `key` of create/rotate. Events and errors identify a key
 * only by its public id and display prefix (`gk_live_` + 8 characters). A leaked raw key is
 * a usable credential; a leaked hash lets anyone with the database confirm guesses offline
 * and links log lines to database rows. This test drives a full key life cycle, with a
 * pepper, and searches everything observable for every secret it saw.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock } from '../core/clock.js';
import { loadConfig } from '../core/config/load.js';
import { hashSecret } from '../core/crypto/hash.js';
import type { RandomSource } from '../core/crypto/random.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { AuthEvent } from '../core/events.js';
import { silentLogger } from '../core/logger.js';
import { createMemoryCounterStore } from '../storage/counters/memory.js';
import { createSqlApiKeyStore } from '../storage/sql/api-key-store.js';
import { openDatabase, type SqlDatabase } from '../storage/sql/database.js';
import { generateApiKey } from './format.js';
import { createApiKeyService, type ApiKeyService } from './service.js';

const PEPPER = 'life-cycle-pepper-0123456789abcdefghij';

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

describe('no raw key or stored hash in events, errors or returned views', () => {
  let dataDir: string;
  let database: SqlDatabase;
  let service: ApiKeyService;
  let events: AuthEvent[];
  /** Every raw key seen or presented during the life cycle. */
  const rawKeys: string[] = [];
  /** Everything returned by the service except the one-time `key` fields. */
  const returned: unknown[] = [];
  const errors: GatehouseError[] = [];

  async function expectError(promise: Promise<unknown>): Promise<void> {
    const err: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof GatehouseError)) throw new Error('expected a GatehouseError');
    errors.push(err);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-no-secret-'));
    const clock = createManualClock();
    const config = loadConfig({ env: {}, cwd: dataDir, overrides: { apiKeys: { pepper: PEPPER, defaultRateLimit: { limit: 3, windowSeconds: 60 } } } });
    database = await openDatabase({ url: 'sqlite::memory:', dataDir });
    const audit = createMemoryAuditLog({ clock });
    events = audit.events;
    const counters = createMemoryCounterStore({ clock });
    service = createApiKeyService({
      store: createSqlApiKeyStore(database),
      counters,
      audit,
      clock,
      random: seededRandom('life-cycle'),
      config: config.apiKeys,
      logger: silentLogger,
    });

    const created = await service.create({ name: 'payments', scopes: ['orders:read'], ownerId: 'team-7' });
    rawKeys.push(created.key);
    returned.push(created.apiKey);

    returned.push(await service.verify(created.key, { scopes: ['orders:read'] }));

    const wrongKeys = [
      generateApiKey('gk_live', seededRandom('never-issued')).key,
      created.key.slice(0, -1) + (created.key.endsWith('A') ? 'B' : 'A'),
      `${created.key}x`,
      created.key.replace('gk_live_', 'gk_test_'),
    ];
    rawKeys.push(...wrongKeys);
    for (const wrong of wrongKeys) returned.push(await service.verify(wrong));
    returned.push(await service.verify(created.key, { scopes: ['orders:write'] }));

    const rotated = await service.rotate(created.apiKey.id, { gracePeriodSeconds: 3600 });
    rawKeys.push(rotated.key);
    returned.push(rotated.apiKey, rotated.previous);
    returned.push(await service.verify(created.key));
    for (let i = 0; i < 4; i++) returned.push(await service.verify(rotated.key));

    returned.push(await service.revoke(rotated.apiKey.id));
    returned.push(await service.verify(rotated.key));
    await expectError(service.rotate(rotated.apiKey.id));
    await expectError(service.update(rotated.apiKey.id, { name: 'after revoke' }));

    returned.push(await service.update(created.apiKey.id, { scopes: ['orders:read', 'orders:write'], metadata: { note: 'rotated' } }));
    returned.push(await service.get(created.apiKey.id));
    returned.push(await service.list({ includeRevoked: true }));
    await expectError(service.get('key_00000000000000000000000000'));
    await expectError(service.create({ name: 'bad', scopes: ['has space'] }));

    await service.flushLastUsed();
  });

  afterAll(async () => {
    await service.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The raw keys, their secret bodies, and their stored hashes (with and without the pepper). */
  function secrets(): string[] {
    const out = new Set<string>();
    for (const key of rawKeys) {
      out.add(key);
      out.add(key.slice(key.lastIndexOf('_') + 1));
      out.add(hashSecret(key, Buffer.from(PEPPER)));
      out.add(hashSecret(key, undefined));
    }
    return [...out];
  }

  it('drove the whole life cycle', () => {
    const types = new Set(events.map((e) => `${e.type}:${e.reason}`));
    for (const expected of [
      'api_key.create:ok',
      'api_key.verify:ok',
      'api_key.verify:not_found',
      'api_key.verify:malformed',
      'api_key.verify:insufficient_scope',
      'api_key.rotate:ok',
      'api_key.verify:rate_limited',
      'api_key.revoke:ok',
      'api_key.verify:revoked',
      'api_key.update:ok',
    ]) {
      expect(types, expected).toContain(expected);
    }
    expect(errors.map((e) => e.code)).toEqual(['api_key.conflict', 'api_key.conflict', 'api_key.not_found', 'request.invalid']);
    expect(rawKeys).toHaveLength(6);
  });

  it('no audit event contains a raw key or a stored hash', () => {
    const serialised = events.map((e) => JSON.stringify(e));
    for (const secret of secrets()) {
      for (const line of serialised) expect(line).not.toContain(secret);
    }
  });

  it('no thrown error contains a raw key or a stored hash in its message, detail, stack or JSON', () => {
    for (const err of errors) {
      const surfaces = [err.message, err.detail ?? '', err.stack ?? '', JSON.stringify(err), String(err)];
      for (const secret of secrets()) for (const surface of surfaces) expect(surface).not.toContain(secret);
    }
  });

  it('no returned view, verification result or list contains a raw key or a hash', () => {
    const serialised = returned.map((value) => JSON.stringify(value));
    for (const line of serialised) expect(line).not.toMatch(/"hash"/);
    for (const secret of secrets()) for (const line of serialised) expect(line).not.toContain(secret);
  });

  it('events identify keys only by id and the 8-character display prefix', () => {
    for (const event of events) {
      const prefix = event.credential?.prefix;
      if (prefix !== null && prefix !== undefined) expect(prefix).toMatch(/^gk_(live|test)(_[0-9A-Za-z]{8})?$/);
    }
  });
});
