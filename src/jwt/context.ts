import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { AuditLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { CounterStore } from '../rate-limit/store.js';
import type { KeyEncryptionKeyring } from './key-encryption.js';
import type { SigningKeyCache } from './key-cache.js';
import type { RefreshTokenStore, SigningKeyStore } from './store.js';

/**
 * Tells whether a sign-in session still lives, so a refresh token issued from it (browser
 * flow) dies with it. In process: built from `gatehouse.sessions`.
 */
export interface SessionLiveness {
  /** True when session `sessionId` of user `userId` is active now. Rejects when storage is down. */
  isActive(sessionId: string, userId: string): Promise<boolean>;
}

/** What the token service is built from (see `createTokenService`). */
export interface TokenServiceOptions {
  keys: SigningKeyStore;
  refreshTokens: RefreshTokenStore;
  /** Early revocation of access tokens by `jti` (a denylist with TTLs). */
  counters: CounterStore;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  config: GatehouseConfig['jwt'];
  /** The `iss` of every token: `server.publicUrl` (or `http://<host>:<port>`). */
  issuer: string;
  /** Encrypts and decrypts signing private keys at rest. */
  keyring: KeyEncryptionKeyring;
  /** When given, refresh tokens bound to a session stop working once it ends. */
  sessions?: SessionLiveness;
  logger: Logger;
  /** Run key maintenance on a timer (`jwt.rotation.checkIntervalSeconds`). Default true. */
  scheduler?: boolean;
}

/** What every token operation is built from: the options and the in-process key cache. */
export interface TokenDeps extends TokenServiceOptions {
  keyCache: SigningKeyCache;
}
