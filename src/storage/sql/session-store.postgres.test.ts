import { describeWithPostgres, openTestPostgres } from '../../../test/helpers/postgres.js';
import { runSessionStoreConformance } from '../conformance/session-store.suite.js';
import { createSqlSessionStore } from './session-store.js';

/** PostgreSQL runner of the SessionStore conformance suite; each fixture in its own random schema, dropped afterwards. */
describeWithPostgres('PostgreSQL session store', () => {
  runSessionStoreConformance('postgres', async () => {
    // A pool of several connections, so parallel sign-ins really run concurrently.
    const { database, close } = await openTestPostgres({ poolSize: 6 });
    return { store: createSqlSessionStore(database), close };
  });
});
