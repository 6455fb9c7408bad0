import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import { runSessionStoreConformance } from '../conformance/session-store.suite.js';
import { openDatabase } from './database.js';
import { createSqlSessionStore } from './session-store.js';

runSessionStoreConformance('sqlite (in memory)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-sessions-'));
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir });
  return {
    store: createSqlSessionStore(database),
    async close() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe('SQLite session store', () => {
  it('fails with storage.unavailable (cause kept, not in the message) when the database is gone', async () => {
    const db = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
    const store = createSqlSessionStore(db);
    await db.close();
    const err: unknown = await store.findByHash('a'.repeat(64)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseError);
    expect((err as GatehouseError).code).toBe('storage.unavailable');
    expect((err as GatehouseError).message).not.toContain('a'.repeat(64));
  });
});
