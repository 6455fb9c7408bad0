import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { runSessionStoreConformance } from '../conformance/session-store.suite.js';
import { openDatabase, type SqlDatabase } from './database.js';
import { createSqlSessionStore } from './session-store.js';

/**
 * PostgreSQL runner of the SessionStore conformance suite. Every fixture uses its own random
 * schema (vitest runs files in parallel), dropped afterwards.
 */
const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
if (!url) console.warn('PostgreSQL session store tests skipped: GATEHOUSE_TEST_DATABASE_URL is not set');

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'gatehouse-test-admin' });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

if (url) {
  runSessionStoreConformance('postgres', async () => {
    const schema = `gh_test_${randomBytes(6).toString('hex')}`;
    let database: SqlDatabase;
    try {
      // A pool of several connections, so parallel sign-ins really run concurrently.
      database = await openDatabase({ url, dataDir: '.', schema, poolSize: 6 });
    } catch (err) {
      await dropSchema(schema);
      throw err;
    }
    return {
      store: createSqlSessionStore(database),
      async close() {
        await database.close();
        await dropSchema(schema);
      },
    };
  });
} else {
  describe.skip('SessionStore conformance: postgres (skipped: GATEHOUSE_TEST_DATABASE_URL is not set)', () => {
    it('runs with GATEHOUSE_TEST_DATABASE_URL', () => undefined);
  });
}
