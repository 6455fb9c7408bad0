import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKeyStore } from '../../api-keys/store.js';
import type { ApiKeyRecord } from '../../api-keys/types.js';
import { runApiKeyStoreConformance } from '../conformance/api-key-store.suite.js';
import { createSqlApiKeyStore } from './api-key-store.js';
import { openDatabase, type SqlDatabase } from './database.js';
import { migrations } from './migrations/index.js';

/**
 * PostgreSQL runner of the ApiKeyStore conformance suite, plus what only PostgreSQL has:
 * LISTEN/NOTIFY between instances, listener reconnection, concurrent migrations.
 * Every database uses its own random schema (vitest runs files in parallel), dropped afterwards.
 */
const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
const skipReason = 'skipped: GATEHOUSE_TEST_DATABASE_URL is not set';
if (!url) console.warn(`PostgreSQL api key store tests ${skipReason}`);

const T0 = Date.UTC(2026, 0, 1);
const NOTIFY_WAIT_MS = 2000;

const randomSchema = () => `gh_test_${randomBytes(6).toString('hex')}`;

/** Runs one statement on a short-lived admin connection (not the pool under test). */
async function admin<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: url, application_name: 'gatehouse-test-admin' });
  await client.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    await client.end();
  }
}

const dropSchema = (schema: string) => admin(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);

function record(n: number, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `key_01KDPGPGPGPGPGPGPGPGPGPG${String(n).padStart(2, '0')}`,
    name: `k${n}`,
    ownerId: null,
    metadata: {},
    scopes: [],
    environment: 'live',
    prefix: 'gk_live',
    start: 'abcdefgh',
    hash: `${n}`.padStart(64, 'a'),
    createdAt: T0,
    updatedAt: T0,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    rateLimit: null,
    rotatedFromId: null,
    rotatedToId: null,
    ...overrides,
  };
}

/** Collects change-feed calls and resolves waits for a matching one (bounded, no fixed sleeps). */
function changeRecorder(store: ApiKeyStore) {
  const calls: Array<readonly string[] | 'all'> = [];
  const waiters = new Set<{ match: (c: readonly string[] | 'all') => boolean; resolve: () => void }>();
  const unsubscribe = store.onExternalChange((ids) => {
    calls.push(ids);
    for (const w of waiters) if (w.match(ids)) w.resolve();
  });
  const waitFor = (label: string, match: (c: readonly string[] | 'all') => boolean, fromIndex = 0, timeoutMs = NOTIFY_WAIT_MS) =>
    new Promise<void>((resolve, reject) => {
      if (calls.slice(fromIndex).some(match)) return resolve();
      const waiter = {
        match,
        resolve: () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no change notification (${label}) within ${timeoutMs} ms; got ${JSON.stringify(calls.slice(fromIndex))}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  return {
    calls,
    unsubscribe,
    /** Resolves once `id` is reported after position `fromIndex`. */
    waitForId: (id: string, fromIndex = 0) => waitFor(id, (c) => c !== 'all' && c.includes(id), fromIndex),
    /** Resolves once a reset (`'all'`) is reported after position `fromIndex`. */
    waitForReset: (fromIndex = 0, timeoutMs = NOTIFY_WAIT_MS) => waitFor('all', (c) => c === 'all', fromIndex, timeoutMs),
  };
}

if (url) {
  runApiKeyStoreConformance('postgres', async () => {
    const schema = randomSchema();
    let database: SqlDatabase;
    try {
      database = await openDatabase({ url, dataDir: '.', schema, poolSize: 4 });
    } catch (err) {
      await dropSchema(schema);
      throw err;
    }
    return {
      store: createSqlApiKeyStore(database, { schema }),
      async close() {
        await database.close();
        await dropSchema(schema);
      },
    };
  });
}

describe.skipIf(!url)(url ? 'PostgreSQL api key store' : `PostgreSQL api key store (${skipReason})`, () => {
  const schemas = new Set<string>();
  const open: SqlDatabase[] = [];

  async function openIn(schema: string, poolSize = 4): Promise<SqlDatabase> {
    schemas.add(schema);
    const database = await openDatabase({ url: url!, dataDir: '.', schema, poolSize, connectTimeoutSeconds: 5 });
    open.push(database);
    return database;
  }

  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
    for (const schema of schemas) await dropSchema(schema);
    schemas.clear();
  });

  describe('change notifications between instances', () => {
    let schema: string;
    let a: ApiKeyStore;
    let b: ApiKeyStore;
    let feed: ReturnType<typeof changeRecorder>;

    async function setUp(): Promise<void> {
      schema = randomSchema();
      a = createSqlApiKeyStore(await openIn(schema), { schema });
      b = createSqlApiKeyStore(await openIn(schema), { schema });
      feed = changeRecorder(b);
      // The listener reports a reset once LISTEN is in place; from then on nothing is missed.
      await feed.waitForReset();
    }

    it('a revoke through store A reaches store B with the key id', async () => {
      await setUp();
      await a.insert(record(1));
      const from = feed.calls.length;
      expect(await a.revoke(record(1).id, T0 + 1)).not.toBeNull();
      await feed.waitForId(record(1).id, from);
    });

    it('an update through store A reaches store B with the key id', async () => {
      await setUp();
      await a.insert(record(2));
      const from = feed.calls.length;
      expect(await a.update(record(2).id, { scopes: ['narrowed'] }, T0 + 1)).not.toBeNull();
      await feed.waitForId(record(2).id, from);
    });

    it('a rotation through store A reaches store B with the old key id', async () => {
      await setUp();
      await a.insert(record(3));
      const from = feed.calls.length;
      expect(await a.rotate(record(3).id, record(4), T0 + 60_000, T0 + 1)).not.toBeNull();
      await feed.waitForId(record(3).id, from);
    });

    it('does not notify for a write that changed nothing (unknown id, already revoked, refused rotation)', async () => {
      await setUp();
      await a.insert(record(5, { revokedAt: T0 }));
      await a.insert(record(6));
      const from = feed.calls.length;
      expect(await a.revoke('key_00000000000000000000000000', T0 + 1)).toBeNull();
      await a.revoke(record(5).id, T0 + 1);
      expect(await a.update(record(5).id, { name: 'x' }, T0 + 1)).toBeNull();
      expect(await a.rotate(record(5).id, record(7), T0 + 60_000, T0 + 1)).toBeNull();
      // Notifications arrive in commit order, so once this one is in, the ones above would be too.
      await a.revoke(record(6).id, T0 + 1);
      await feed.waitForId(record(6).id, from);
      expect(feed.calls.slice(from)).toEqual([[record(6).id]]);
    });

    it('a store hears its own writes too, in commit order (an extra cache eviction, never a miss)', async () => {
      await setUp();
      const own = changeRecorder(a);
      await own.waitForReset();
      await a.insert(record(8));
      await b.insert(record(9));
      const from = own.calls.length;
      await a.revoke(record(8).id, T0 + 1);
      // Committed after A's revoke, so delivered to A's listener after A's own notification.
      await b.revoke(record(9).id, T0 + 1);
      await own.waitForId(record(9).id, from);
      expect(own.calls.slice(from).filter((c) => c !== 'all')).toEqual([[record(8).id], [record(9).id]]);
      own.unsubscribe();
    });

    it('keeps stores on different schemas apart', async () => {
      await setUp();
      const otherSchema = randomSchema();
      const other = createSqlApiKeyStore(await openIn(otherSchema), { schema: otherSchema });
      await other.insert(record(10));
      await a.insert(record(11));
      const from = feed.calls.length;
      await other.revoke(record(10).id, T0 + 1);
      await a.revoke(record(11).id, T0 + 1);
      await feed.waitForId(record(11).id, from);
      expect(feed.calls.slice(from)).not.toContainEqual([record(10).id]);
    });

    it('notifies with the longest schema name allowed (63 characters)', async () => {
      const longSchema = `gh_test_${randomBytes(28).toString('hex').slice(0, 55)}`;
      expect(longSchema).toHaveLength(63);
      const writer = createSqlApiKeyStore(await openIn(longSchema), { schema: longSchema });
      const reader = createSqlApiKeyStore(await openIn(longSchema), { schema: longSchema });
      const longFeed = changeRecorder(reader);
      await longFeed.waitForReset();
      await writer.insert(record(12));
      const from = longFeed.calls.length;
      expect(await writer.update(record(12).id, { name: 'renamed' }, T0 + 1)).not.toBeNull();
      expect(await writer.revoke(record(12).id, T0 + 2)).not.toBeNull();
      await longFeed.waitForId(record(12).id, from);
      longFeed.unsubscribe();
    });

    it('stops listening after unsubscribe, and the listener connection is released', async () => {
      await setUp();
      const listenersBefore = await countListeners(schema);
      expect(listenersBefore).toBeGreaterThanOrEqual(1);
      feed.unsubscribe();
      await expect.poll(() => countListeners(schema), { timeout: NOTIFY_WAIT_MS, interval: 50 }).toBe(listenersBefore - 1);
    });
  });

  describe('listener connection loss', () => {
    it('reports a reset when the LISTEN connection is killed, reconnects, and delivers later notifications', async () => {
      const schema = randomSchema();
      const a = createSqlApiKeyStore(await openIn(schema), { schema });
      const b = createSqlApiKeyStore(await openIn(schema), { schema });
      const feed = changeRecorder(b);
      await feed.waitForReset();
      await a.insert(record(20));
      await a.insert(record(21));

      const from = feed.calls.length;
      // Kill only this test's listener: same application name and LISTEN query, channel of our schema.
      const killed = await admin<{ killed: boolean }>(
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'gatehouse' AND query LIKE 'LISTEN%' AND query LIKE $1",
        [`%${schema}%`],
      );
      expect(killed.rows.map((r) => r.killed)).toEqual([true]);

      // First reset: the connection was lost. Second: LISTEN is back in place (after backoff).
      await feed.waitForReset(from);
      await expect.poll(() => feed.calls.slice(from).filter((c) => c === 'all').length, { timeout: 5000, interval: 25 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => countListeners(schema), { timeout: 5000, interval: 50 }).toBe(1);

      const after = feed.calls.length;
      await a.revoke(record(21).id, T0 + 1);
      await feed.waitForId(record(21).id, after);
      feed.unsubscribe();
    });
  });

  describe('migrations', () => {
    it('three instances starting at once on a fresh schema all succeed and create the tables once', async () => {
      const schema = randomSchema();
      schemas.add(schema);
      const databases = await Promise.all([openIn(schema), openIn(schema), openIn(schema)]);
      expect(databases).toHaveLength(3);
      const tables = await admin<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['api_keys', 'gatehouse_meta', 'gatehouse_migrations', 'gatehouse_migrations_lock']));
      // Every migration applied exactly once (later domains add their own after 0001).
      const applied = await admin<{ name: string }>(`SELECT name FROM ${pg.escapeIdentifier(schema)}.gatehouse_migrations ORDER BY name`);
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
      // Every instance works.
      for (const [i, database] of databases.entries()) {
        const store = createSqlApiKeyStore(database, { schema });
        await store.insert(record(30 + i));
        expect(await store.findById(record(30 + i).id)).not.toBeNull();
      }
    });

    it('migrates while other schemas of the same database are being dropped (parallel test files, other tenants)', async () => {
      // Kysely's migrator introspects every table of every schema; a schema dropped meanwhile
      // must not fail the start-up.
      let churning = true;
      const churn = (async () => {
        const client = new pg.Client({ connectionString: url, application_name: 'gatehouse-test-admin' });
        await client.connect();
        try {
          while (churning) {
            const other = pg.escapeIdentifier(randomSchema());
            await client.query(`CREATE SCHEMA ${other}; CREATE TABLE ${other}.t (a int, b text, c bigint, d int, e text)`);
            await client.query(`DROP SCHEMA ${other} CASCADE`);
          }
        } finally {
          await client.end();
        }
      })();
      try {
        for (let i = 0; i < 8; i++) {
          const schema = randomSchema();
          const database = await openIn(schema);
          await database.close();
        }
      } finally {
        churning = false;
        await churn;
      }
    });

    it('opens with a pool of one connection (migration does not wait for a second one)', async () => {
      const schema = randomSchema();
      const database = await openIn(schema, 1);
      const store = createSqlApiKeyStore(database, { schema });
      await store.insert(record(35));
      expect((await store.findById(record(35).id))?.id).toBe(record(35).id);
    });

    it('reopening a migrated schema runs nothing and keeps the data', async () => {
      const schema = randomSchema();
      const first = await openIn(schema);
      await createSqlApiKeyStore(first, { schema }).insert(record(36));
      await first.close();
      const again = createSqlApiKeyStore(await openIn(schema), { schema });
      expect(await again.findById(record(36).id)).toEqual(record(36));
    });
  });

  describe('types', () => {
    it('BIGINT times round-trip as numbers, beyond 32 bits and up to the largest safe integer', async () => {
      const schema = randomSchema();
      const store = createSqlApiKeyStore(await openIn(schema), { schema });
      const big = Number.MAX_SAFE_INTEGER;
      const key = record(40, {
        createdAt: T0,
        updatedAt: T0 + 1,
        expiresAt: big,
        revokedAt: null,
        lastUsedAt: null,
        rateLimit: { limit: 2_000_000_000, windowSeconds: 86_400 },
      });
      await store.insert(key);
      const found = await store.findById(key.id);
      expect(found).toEqual(key);
      expect(typeof found?.createdAt).toBe('number');
      expect(typeof found?.expiresAt).toBe('number');
      expect(typeof found?.rateLimit?.limit).toBe('number');
      await store.touchLastUsed([{ id: key.id, lastUsedAt: T0 + 5 }]);
      const revoked = await store.revoke(key.id, T0 + 7);
      expect(revoked).toEqual({ ...key, lastUsedAt: T0 + 5, revokedAt: T0 + 7, updatedAt: T0 + 7 });
      expect(typeof revoked?.revokedAt).toBe('number');
      expect(typeof revoked?.lastUsedAt).toBe('number');
      const page = await store.list({ limit: 5, includeRevoked: true });
      expect(page.items[0]?.expiresAt).toBe(big);
    });
  });
});

/** Number of gatehouse LISTEN connections on this schema's channel. */
async function countListeners(schema: string): Promise<number> {
  const result = await admin<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'gatehouse' AND query LIKE 'LISTEN%' AND query LIKE $1",
    [`%${schema}%`],
  );
  return Number(result.rows[0]?.n ?? 0);
}
