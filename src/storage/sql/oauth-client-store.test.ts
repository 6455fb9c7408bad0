import { tmpdir } from 'node:os';
import { runOAuthClientStoreConformance } from '../conformance/oauth-client-store.suite.js';
import { openDatabase } from './database.js';
import { createSqlOAuthClientStore } from './oauth-client-store.js';

runOAuthClientStoreConformance('sqlite (in memory)', async () => {
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
  return { store: createSqlOAuthClientStore(database), close: () => database.close() };
});
