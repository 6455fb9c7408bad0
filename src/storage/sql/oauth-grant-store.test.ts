import { tmpdir } from 'node:os';
import { runOAuthGrantStoreConformance } from '../conformance/oauth-grant-store.suite.js';
import { openDatabase } from './database.js';
import { createSqlOAuthGrantStore } from './oauth-grant-store.js';

runOAuthGrantStoreConformance('sqlite (in memory)', async () => {
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
  return { store: createSqlOAuthGrantStore(database), close: () => database.close() };
});
