import { tmpdir } from 'node:os';
import { runJwtStoresConformance } from '../conformance/jwt-stores.suite.js';
import { openDatabase } from './database.js';
import { createSqlRefreshTokenStore } from './refresh-token-store.js';
import { createSqlSigningKeyStore } from './signing-key-store.js';

runJwtStoresConformance('sqlite (in memory)', async () => {
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
  return { keys: createSqlSigningKeyStore(database), refreshTokens: createSqlRefreshTokenStore(database), close: () => database.close() };
});
