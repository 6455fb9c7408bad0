import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import { runAccountStoreConformance } from '../conformance/account-store.suite.js';
import { createSqlAccountStore } from './account-store.js';
import { openDatabase } from './database.js';

runAccountStoreConformance('sqlite (in memory)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-accounts-'));
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir });
  return {
    store: createSqlAccountStore(database),
    async close() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SQLite account store', () => {
  it('fails with storage.unavailable (cause kept, not in the message) when the database is gone', async () => {
    const database = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
    const store = createSqlAccountStore(database);
    await database.close();
    const err: unknown = await store.findUserByEmail('ann@example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseError);
    expect((err as GatehouseError).code).toBe('storage.unavailable');
    expect((err as GatehouseError).message).not.toContain('ann@example.com');
  });
});
