import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { AuditLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { CounterStore } from '../rate-limit/store.js';
import type { VerifiedKeyCache } from './cache.js';
import type { LastUsedRecorder } from './last-used.js';
import type { ApiKeyStore } from './store.js';
import type { ApiKey, ApiKeyRecord } from './types.js';

/** What the API-key service is built from (see `createApiKeyService`). */
export interface ApiKeyServiceOptions {
  store: ApiKeyStore;
  counters: CounterStore;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  config: GatehouseConfig['apiKeys'];
  logger: Logger;
}

/** What every API-key operation is built from: the service's options and its in-process state. */
export interface ApiKeyDeps extends ApiKeyServiceOptions {
  /** `undefined` when the cache is disabled. */
  cache: VerifiedKeyCache | undefined;
  lastUsed: LastUsedRecorder;
  /** The pepper as bytes, or undefined for plain SHA-256. */
  pepper: Buffer | undefined;
  /** The configured key prefixes (live, test), built once. */
  prefixList: readonly string[];
}

/** The public view of a record: everything but the hash. */
export function toApiKey(record: ApiKeyRecord): ApiKey {
  const { hash: _hash, ...view } = record;
  return view;
}

/** Deep-freezes a public view so a cached one cannot be changed by a caller. */
export function freezeApiKey(view: ApiKey): ApiKey {
  Object.freeze(view.scopes);
  deepFreeze(view.metadata);
  if (view.rateLimit) Object.freeze(view.rateLimit);
  return Object.freeze(view);
}

function deepFreeze(value: unknown): void {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
}
