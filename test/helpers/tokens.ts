import { tmpdir } from 'node:os';
import { createMemoryAuditLog } from '../../src/audit/audit-log.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config/load.js';
import type { GatehouseConfigInput } from '../../src/core/config/schema.js';
import { secureRandom } from '../../src/core/crypto/random.js';
import type { AuthEvent } from '../../src/core/events.js';
import type { Logger } from '../../src/core/logger.js';
import type { SessionLiveness } from '../../src/jwt/context.js';
import { createKeyring, parseKeyEncryptionKey, type KeyEncryptionKeyring } from '../../src/jwt/key-encryption.js';
import { createTokenService, type TokenService } from '../../src/jwt/service.js';
import type { RefreshTokenStore, SigningKeyStore } from '../../src/jwt/store.js';
import type { CounterStore } from '../../src/rate-limit/store.js';
import { createMemoryCounterStore } from '../../src/storage/counters/memory.js';
import { openDatabase, type SqlDatabase } from '../../src/storage/sql/database.js';
import { createSqlRefreshTokenStore } from '../../src/storage/sql/refresh-token-store.js';
import { createSqlSigningKeyStore } from '../../src/storage/sql/signing-key-store.js';

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
/** A fixed 32-byte key-encryption key for tests (base64url). */
export const TEST_KEK = Buffer.alloc(32, 7).toString('base64url');
export const ISSUER = 'https://auth.example.com';

/** Everything a token-service unit test needs, over in-memory SQLite with a manual clock. */
export interface TokensFixture {
  tokens: TokenService;
  keys: SigningKeyStore;
  refreshTokens: RefreshTokenStore;
  counters: CounterStore;
  database: SqlDatabase;
  clock: ManualClock;
  keyring: KeyEncryptionKeyring;
  events: AuthEvent[];
  /** Session ids that count as ended for the liveness check. */
  endedSessions: Set<string>;
  warnings: object[];
  close(): Promise<void>;
}

/** Builds the token service (no timer) over `sqlite::memory:`; the first key is created at `T0`. */
export async function tokensFixture(jwt: GatehouseConfigInput['jwt'] = {}, options: { database?: SqlDatabase; keyring?: KeyEncryptionKeyring; clock?: ManualClock } = {}): Promise<TokensFixture> {
  const clock = options.clock ?? createManualClock(T0);
  const audit = createMemoryAuditLog({ clock });
  const config = loadConfig({ env: {}, cwd: tmpdir(), overrides: { jwt: { algorithm: 'ES256', ...jwt } } });
  const database = options.database ?? (await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() }));
  const counters = createMemoryCounterStore({ clock });
  const keys = createSqlSigningKeyStore(database);
  const refreshTokens = createSqlRefreshTokenStore(database);
  const keyring = options.keyring ?? createKeyring(parseKeyEncryptionKey(TEST_KEK, 'test'));
  const endedSessions = new Set<string>();
  const sessions: SessionLiveness = { isActive: (sessionId) => Promise.resolve(!endedSessions.has(sessionId)) };
  const warnings: object[] = [];
  const logger: Logger = { info: () => undefined, warn: (o) => warnings.push(o), error: (o) => warnings.push(o) };
  const tokens = await createTokenService({ keys, refreshTokens, counters, audit, clock, random: secureRandom, config: config.jwt, issuer: ISSUER, keyring, sessions, logger, scheduler: false });
  return {
    tokens,
    keys,
    refreshTokens,
    counters,
    database,
    clock,
    keyring,
    events: audit.events,
    endedSessions,
    warnings,
    async close() {
      await tokens.close();
      await counters.close();
      if (!options.database) await database.close();
    },
  };
}

/** A typical browser-flow issue input. */
export const USER_TOKENS = { subject: 'usr_alice', clientId: 'gatehouse', audience: ISSUER, scopes: ['profile'], authTime: T0, amr: ['pwd'], sessionId: 'ses_1' } as const;
