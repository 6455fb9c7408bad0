/**
 * Invariant: an identifier that cannot be a key id, or an owner id with control characters,
 * never reaches the storage backend. Every by-id operation (get, update, revoke) answers an id
 * that does not match the id pattern with `api_key.not_found` without a query, and listing by
 * owner refuses control characters with `request.invalid`. PostgreSQL rejects a NUL byte in
 * text with an error, which Gatehouse reports as `storage.unavailable` (503): without this
 * rule anyone able to call the API could make healthy storage look down, fill the log with
 * storage errors and trip alerts, with a single `%00`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock } from '../core/clock.js';
import { loadConfig } from '../core/config/load.js';
import { secureRandom } from '../core/crypto/random.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { silentLogger } from '../core/logger.js';
import { createMemoryCounterStore } from '../storage/counters/memory.js';
import { createSqlApiKeyStore } from '../storage/sql/api-key-store.js';
import { openDatabase, type SqlDatabase } from '../storage/sql/database.js';
import { ID_PATTERN } from './read.js';
import { createApiKeyService, type ApiKeyService } from './service.js';
import type { ApiKeyStore } from './store.js';

/** Every call the service makes to the store, with its arguments. */
let calls: Array<{ method: string; args: unknown[] }>;
let database: SqlDatabase;
let service: ApiKeyService;
let validId: string;

beforeEach(async () => {
  calls = [];
  database = await openDatabase({ url: 'sqlite::memory:', dataDir: '.' });
  const real = createSqlApiKeyStore(database);
  // A store that records every call before passing it on.
  const store = new Proxy(real, {
    get(target, property: keyof ApiKeyStore) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const clock = createManualClock();
  const config = loadConfig({ env: {}, cwd: '.', overrides: {} });
  service = createApiKeyService({
    store,
    counters: createMemoryCounterStore({ clock }),
    audit: createMemoryAuditLog({ clock }),
    clock,
    random: secureRandom,
    config: config.apiKeys,
    logger: silentLogger,
  });
  validId = (await service.create({ name: 'target', ownerId: 'owner-1' })).apiKey.id;
  calls = [];
});

afterEach(async () => {
  await service.close();
  await database.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GatehouseError);
    return (err as GatehouseError).code;
  }
  throw new Error('expected a GatehouseError');
}

const badIds = (valid: string): Array<[string, string]> => [
  ['a NUL byte inside a valid id', `${valid.slice(0, 10)}\u0000${valid.slice(11)}`],
  ['a valid id followed by NUL', `${valid}\u0000`],
  ['a valid id followed by a newline', `${valid}\n`],
  ['a control character', `key_\u0001${'0'.repeat(25)}`],
  ['the empty string', ''],
  ['lower case', valid.toLowerCase()],
  ['too long', `${valid}0`],
  ['a LIKE wildcard', 'key_%'],
  ['another prefix', valid.replace('key_', 'usr_')],
];

describe('malformed ids never reach storage', () => {
  it('the exported pattern accepts real ids only', () => {
    expect(ID_PATTERN.test(validId)).toBe(true);
    for (const [, id] of badIds(validId)) expect(ID_PATTERN.test(id)).toBe(false);
  });

  it('get, update and revoke answer api_key.not_found without a store call', async () => {
    for (const [name, id] of badIds(validId)) {
      expect(await codeOf(service.get(id)), `get: ${name}`).toBe('api_key.not_found');
      expect(await codeOf(service.update(id, { name: 'x' })), `update: ${name}`).toBe('api_key.not_found');
      expect(await codeOf(service.update(id, { expiresInSeconds: 60 })), `update expiry: ${name}`).toBe('api_key.not_found');
      expect(await codeOf(service.revoke(id)), `revoke: ${name}`).toBe('api_key.not_found');
    }
    expect(calls).toEqual([]);
  });

  it('listing by an owner id with control characters is request.invalid without a store call', async () => {
    for (const ownerId of ['owner\u0000', '\u0000', 'own\ner', 'tab\there', 'del\u007f', '', 'x'.repeat(256)]) {
      expect(await codeOf(service.list({ ownerId })), JSON.stringify(ownerId)).toBe('request.invalid');
    }
    expect(calls).toEqual([]);
  });

  it('well-formed ids and owner ids still reach the store', async () => {
    expect((await service.get(validId)).id).toBe(validId);
    expect((await service.update(validId, { name: 'renamed' })).name).toBe('renamed');
    expect((await service.list({ ownerId: 'owner-1' })).items.map((k) => k.id)).toEqual([validId]);
    expect((await service.revoke(validId)).revokedAt).not.toBeNull();
    const absent = `key_${'0'.repeat(26)}`;
    expect(await codeOf(service.update(absent, { name: 'x' }))).toBe('api_key.not_found');
    expect(await codeOf(service.revoke(absent))).toBe('api_key.not_found');
    expect(calls.length).toBeGreaterThan(0);
  });
});
