import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { runOAuthGrantStoreConformance } from '../conformance/oauth-grant-store.suite.js';
import { openDatabase } from './database.js';
import { createSqlOAuthGrantStore } from './oauth-grant-store.js';

/** PostgreSQL runner of the OAuth grant store conformance suite; each fixture in its own random schema, dropped afterwards. */
const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
const skipReason = 'skipped: GATEHOUSE_TEST_DATABASE_URL is not set';
if (!url) console.warn(`PostgreSQL OAuth grant store tests ${skipReason}`);

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
  runOAuthGrantStoreConformance('postgres', async () => {
    const schema = `gh_test_${randomBytes(6).toString('hex')}`;
    const database = await openDatabase({ url, dataDir: '.', schema, poolSize: 4 }).catch(async (err: unknown) => {
      await dropSchema(schema);
      throw err;
    });
    return {
      store: createSqlOAuthGrantStore(database),
      async close() {
        await database.close();
        await dropSchema(schema);
      },
    };
  });
} else {
  describe(`PostgreSQL OAuth grant store (${skipReason})`, () => {
    it.skip('needs GATEHOUSE_TEST_DATABASE_URL', () => undefined);
  });
}
