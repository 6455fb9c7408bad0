import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createSqlDefenseStore } from './defense-store.js';
import { openDatabase, type SqlDatabase } from './database.js';

/**
 * The SQL DefenseStore on SQLite (always) and PostgreSQL (when GATEHOUSE_TEST_DATABASE_URL is
 * set, in a random schema dropped afterwards): the first candidate is kept, later and
 * concurrent candidates get the stored secret, names are independent.
 */
const url = process.env.GATEHOUSE_TEST_DATABASE_URL;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

const backends: Array<[string, () => Promise<{ database: SqlDatabase; cleanup: () => Promise<void> }>]> = [
  ['sqlite', async () => ({ database: await openDatabase({ url: 'sqlite::memory:', dataDir: '.' }), cleanup: () => Promise.resolve() })],
];
if (url) {
  backends.push([
    'postgres',
    async () => {
      const schema = `gh_test_${randomBytes(6).toString('hex')}`;
      return { database: await openDatabase({ url, dataDir: '.', schema, poolSize: 4 }), cleanup: () => dropSchema(schema) };
    },
  ]);
} else {
  console.warn('PostgreSQL defense store tests skipped: GATEHOUSE_TEST_DATABASE_URL is not set');
}

describe.each(backends)('SQL DefenseStore: %s', (_name, open) => {
  it('keeps the first candidate and hands it to every later and concurrent caller', async () => {
    const { database, cleanup } = await open();
    try {
      const store = createSqlDefenseStore(database);
      expect(await store.getOrCreateSecret('defense', 'first-candidate', 1)).toBe('first-candidate');
      expect(await store.getOrCreateSecret('defense', 'second-candidate', 2)).toBe('first-candidate');
      const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => store.getOrCreateSecret('other', `candidate-${i}`, 3)));
      expect(new Set(concurrent).size).toBe(1);
      expect(concurrent[0]).toMatch(/^candidate-\d$/);
      expect(await store.getOrCreateSecret('defense', 'third', 4)).toBe('first-candidate');
    } finally {
      await database.close();
      await cleanup();
    }
  });

  it('fails with storage.unavailable when the database is closed', async () => {
    const { database, cleanup } = await open();
    await database.close();
    try {
      await expect(createSqlDefenseStore(database).getOrCreateSecret('defense', 'x', 1)).rejects.toMatchObject({ code: 'storage.unavailable' });
    } finally {
      await cleanup();
    }
  });
});
