import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../api-keys/types.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import { runApiKeyStoreConformance } from '../conformance/api-key-store.suite.js';
import { createSqlApiKeyStore } from './api-key-store.js';
import { openDatabase, type SqlDatabase } from './database.js';

runApiKeyStoreConformance('sqlite (in memory)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-store-'));
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir });
  return {
    store: createSqlApiKeyStore(database, { externalChangePollIntervalMs: 0 }),
    async close() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

const T0 = Date.UTC(2026, 0, 1);

function record(n: number): ApiKeyRecord {
  return {
    id: `key_01KDZZZZZZZZZZZZZZZZZZZZ${String(n).padStart(2, '0')}`,
    name: `k${n}`,
    ownerId: null,
    metadata: {},
    scopes: [],
    environment: 'live',
    prefix: 'gk_live',
    start: 'abcdefgh',
    hash: String(n).padStart(64, '0'),
    createdAt: T0,
    updatedAt: T0,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    rateLimit: null,
    rotatedFromId: null,
    rotatedToId: null,
  };
}

describe('SQLite api key store', () => {
  let dataDir: string;
  const open: SqlDatabase[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-'));
  });

  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function openFile(): Promise<SqlDatabase> {
    const db = await openDatabase({ dataDir });
    open.push(db);
    return db;
  }

  it('tells listeners about a write by another connection, once, after pollExternalChanges()', async () => {
    const first = createSqlApiKeyStore(await openFile(), { externalChangePollIntervalMs: 0 });
    const second = createSqlApiKeyStore(await openFile(), { externalChangePollIntervalMs: 0 });
    const calls: unknown[] = [];
    first.onExternalChange((ids) => calls.push(ids));

    await second.insert(record(1));
    expect(calls).toEqual([]);
    first.pollExternalChanges();
    expect(calls).toEqual(['all']);
    first.pollExternalChanges();
    expect(calls).toEqual(['all']);
    expect(await first.findById(record(1).id)).not.toBeNull();
  });

  it('does not report a write by the same connection', async () => {
    const first = createSqlApiKeyStore(await openFile(), { externalChangePollIntervalMs: 0 });
    const calls: unknown[] = [];
    first.onExternalChange((ids) => calls.push(ids));
    await first.insert(record(2));
    await first.revoke(record(2).id, T0 + 1);
    first.pollExternalChanges();
    expect(calls).toEqual([]);
  });

  it('stops notifying after unsubscribe', async () => {
    const first = createSqlApiKeyStore(await openFile(), { externalChangePollIntervalMs: 0 });
    const second = createSqlApiKeyStore(await openFile(), { externalChangePollIntervalMs: 0 });
    const calls: unknown[] = [];
    const unsubscribe = first.onExternalChange((ids) => calls.push(ids));
    unsubscribe();
    await second.insert(record(3));
    first.pollExternalChanges();
    expect(calls).toEqual([]);
  });

  it('creates the database file under dataDir and keeps data across reopen', async () => {
    const db = await openFile();
    expect(db.location).toBe(`SQLite at ${join(dataDir, 'gatehouse.db')}`);
    await createSqlApiKeyStore(db).insert(record(4));
    await db.close();
    const again = createSqlApiKeyStore(await openFile(), { externalChangePollIntervalMs: 0 });
    expect(await again.findById(record(4).id)).toEqual(record(4));
  });

  it('fails with storage.unavailable (cause kept, not in the message) when the database is gone', async () => {
    const db = await openDatabase({ url: 'sqlite::memory:', dataDir });
    const store = createSqlApiKeyStore(db);
    await db.close();
    const err: unknown = await store.findById(record(5).id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseError);
    expect((err as GatehouseError).code).toBe('storage.unavailable');
    expect((err as GatehouseError).status).toBe(503);
    expect((err as GatehouseError).cause).toBeDefined();
    expect((err as GatehouseError).message).toBe('A backing service is unavailable. Retry later.');
  });

  it('wraps a driver error (duplicate hash) in a GatehouseError that does not carry the hash', async () => {
    const db = await openDatabase({ url: 'sqlite::memory:', dataDir });
    open.push(db);
    const store = createSqlApiKeyStore(db);
    await store.insert(record(6));
    const clash = { ...record(7), hash: record(6).hash };
    const err: unknown = await store.insert(clash).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseError);
    expect(JSON.stringify(err)).not.toContain(clash.hash);
    expect((err as GatehouseError).message).not.toContain(clash.hash);
  });
});

describe('external change polling throttle (SQLite)', () => {
  it('checks PRAGMA data_version at most once per interval, and on every call with interval 0', async () => {
    const database = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
    let calls = 0;
    const counting = { ...database, dataVersion: () => (calls++, 1) };
    const throttled = createSqlApiKeyStore(counting, { externalChangePollIntervalMs: 60_000 });
    for (let i = 0; i < 1000; i++) throttled.pollExternalChanges();
    expect(calls).toBe(2); // one at creation, one on the first poll
    calls = 0;
    const everyTime = createSqlApiKeyStore(counting, { externalChangePollIntervalMs: 0 });
    for (let i = 0; i < 1000; i++) everyTime.pollExternalChanges();
    expect(calls).toBe(1001);
    await database.close();
  });
});
