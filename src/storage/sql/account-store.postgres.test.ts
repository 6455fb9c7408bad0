import { describeWithPostgres, openTestPostgres } from '../../../test/helpers/postgres.js';
import { runAccountStoreConformance } from '../conformance/account-store.suite.js';
import { createSqlAccountStore } from './account-store.js';

/** PostgreSQL runner of the AccountStore conformance suite; each fixture in its own random schema, dropped afterwards. */
describeWithPostgres('PostgreSQL account store', () => {
  runAccountStoreConformance('postgres', async () => {
    const { database, close } = await openTestPostgres();
    return { store: createSqlAccountStore(database), close };
  });
});
