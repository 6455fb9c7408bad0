import { describeWithPostgres, openTestPostgres } from '../../../test/helpers/postgres.js';
import { runJwtStoresConformance } from '../conformance/jwt-stores.suite.js';
import { createSqlRefreshTokenStore } from './refresh-token-store.js';
import { createSqlSigningKeyStore } from './signing-key-store.js';

/** PostgreSQL runner of the JWT stores conformance suite; each fixture in its own random schema, dropped afterwards. */
describeWithPostgres('PostgreSQL JWT stores', () => {
  runJwtStoresConformance('postgres', async () => {
    const { database, close } = await openTestPostgres();
    return { keys: createSqlSigningKeyStore(database), refreshTokens: createSqlRefreshTokenStore(database), close };
  });
});
