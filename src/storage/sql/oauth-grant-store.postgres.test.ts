import { describeWithPostgres, openTestPostgres } from '../../../test/helpers/postgres.js';
import { runOAuthGrantStoreConformance } from '../conformance/oauth-grant-store.suite.js';
import { createSqlOAuthGrantStore } from './oauth-grant-store.js';

/** PostgreSQL runner of the OAuth grant store conformance suite; each fixture in its own random schema, dropped afterwards. */
describeWithPostgres('PostgreSQL OAuth grant store', () => {
  runOAuthGrantStoreConformance('postgres', async () => {
    const { database, close } = await openTestPostgres();
    return { store: createSqlOAuthGrantStore(database), close };
  });
});
