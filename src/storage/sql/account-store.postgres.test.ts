import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { runAccountStoreConformance } from '../conformance/account-store.suite.js';
import { createSqlAccountStore } from './account-store.js';
import { openDatabase, type SqlDatabase } from './database.js';

/**
 * PostgreSQL runner of the AccountStore conformance suite. Every database uses its own random
 * schema (vitest runs files in parallel), dropped afterwards.
 */
const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
const skipReason = 'skipped: GATEHOUSE_TEST_DATABASE_URL is not set';
if (!url) console.warn(`PostgreSQL account store tests ${skipReason}`);

const randomSchema = () => `gh_test_${randomBytes(6).toString('hex')}`;

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
  runAccountStoreConformance('postgres', async () => {
    const schema = randomSchema();
    let database: SqlDatabase;
    try {
      database = await openDatabase({ url, dataDir: '.', schema, poolSize: 4 });
    } catch (err) {
      await dropSchema(schema);
      throw err;
    }
    return {
      store: createSqlAccountStore(database),
      async close() {
        await database.close();
        await dropSchema(schema);
      },
    };
  });
} else {
  describe('AccountStore conformance: postgres', () => {
    it.skip(skipReason, () => undefined);
  });
}
