import { describeWithPostgres, openTestPostgres } from '../../../test/helpers/postgres.js';
import { runOAuthClientStoreConformance } from '../conformance/oauth-client-store.suite.js';
import { createSqlOAuthClientStore } from './oauth-client-store.js';

/** PostgreSQL runner of the OAuth client store conformance suite; each fixture in its own random schema, dropped afterwards. */
describeWithPostgres('PostgreSQL OAuth client store', () => {
  runOAuthClientStoreConformance('postgres', async () => {
    const { database, close } = await openTestPostgres();
    return { store: createSqlOAuthClientStore(database), close };
  });
});
