import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../src/storage/sql/database.js';

/** `GATEHOUSE_TEST_DATABASE_URL`: PostgreSQL for the tests that need it (CI sets it). */
export const TEST_DATABASE_URL = process.env.GATEHOUSE_TEST_DATABASE_URL;

/** Why PostgreSQL tests skip on a machine without it. */
export const POSTGRES_SKIP_REASON = 'skipped: GATEHOUSE_TEST_DATABASE_URL is not set';

/** A fresh schema name (vitest runs files in parallel: each fixture gets its own). */
export function randomTestSchema(): string {
  return `gh_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropTestSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: 'gatehouse-test-admin' });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Opens Gatehouse's database (migrations run) in a fresh random schema of the test PostgreSQL;
 * `close` closes it and drops the schema. Requires {@link TEST_DATABASE_URL}.
 */
export async function openTestPostgres(options: { poolSize?: number } = {}): Promise<{ database: SqlDatabase; close: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error(`openTestPostgres: ${POSTGRES_SKIP_REASON}`);
  const schema = randomTestSchema();
  let database: SqlDatabase;
  try {
    database = await openDatabase({ url: TEST_DATABASE_URL, dataDir: '.', schema, poolSize: options.poolSize ?? 4 });
  } catch (err) {
    await dropTestSchema(schema);
    throw err;
  }
  return {
    database,
    async close() {
      await database.close();
      await dropTestSchema(schema);
    },
  };
}

/**
 * Registers PostgreSQL tests when {@link TEST_DATABASE_URL} is set; otherwise one skipped test
 * named `name` says why (and one warning line does too), so a machine without PostgreSQL passes
 * and shows what it did not run.
 */
export function describeWithPostgres(name: string, register: () => void): void {
  if (TEST_DATABASE_URL) {
    register();
    return;
  }
  console.warn(`${name} ${POSTGRES_SKIP_REASON}`);
  describe(`${name} (${POSTGRES_SKIP_REASON})`, () => {
    it.skip('needs GATEHOUSE_TEST_DATABASE_URL', () => undefined);
  });
}
