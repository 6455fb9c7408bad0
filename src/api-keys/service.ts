import type { RequestContext } from '../core/events.js';
import { VerifiedKeyCache } from './cache.js';
import type { ApiKeyDeps, ApiKeyServiceOptions } from './context.js';
import { createApiKey, type CreateApiKeyInput, type CreatedApiKey } from './create.js';
import { LastUsedRecorder } from './last-used.js';
import { getApiKey, listApiKeys, type ApiKeyList, type ListApiKeysOptions } from './read.js';
import { revokeApiKey } from './revoke.js';
import { rotateApiKey, type RotateApiKeyOptions, type RotatedApiKey } from './rotate.js';
import type { ApiKey } from './types.js';
import { updateApiKey, type UpdateApiKeyInput } from './update.js';
import { verifyApiKey, verifyApiKeyNow, type VerifyApiKeyOptions, type VerifyApiKeyResult } from './verify.js';

export type { ApiKeyServiceOptions } from './context.js';


/** The API-key domain: every operation, callable without HTTP. */
export interface ApiKeyService {
  create(input: CreateApiKeyInput, context?: RequestContext): Promise<CreatedApiKey>;
  verify(key: string, options?: VerifyApiKeyOptions): Promise<VerifyApiKeyResult>;
  /**
   * {@link verify}, answered synchronously when no I/O is needed (cached key, in-process
   * counters); otherwise the same promise. See `verifyApiKeyNow`.
   */
  verifyNow(key: string, options?: VerifyApiKeyOptions): VerifyApiKeyResult | Promise<VerifyApiKeyResult>;
  get(id: string): Promise<ApiKey>;
  list(options?: ListApiKeysOptions): Promise<ApiKeyList>;
  update(id: string, input: UpdateApiKeyInput, context?: RequestContext): Promise<ApiKey>;
  rotate(id: string, options?: RotateApiKeyOptions, context?: RequestContext): Promise<RotatedApiKey>;
  revoke(id: string, context?: RequestContext): Promise<ApiKey>;
  /**
   * On a database no admin key was ever bootstrapped on, creates one key with scopes
   * `admin` and `keys:verify` and returns it (once across all processes sharing the
   * database); otherwise null.
   */
  bootstrapAdminKey(context?: RequestContext): Promise<CreatedApiKey | null>;
  /** Writes pending `last_used_at` times now. */
  flushLastUsed(): Promise<void>;
  /** Stops timers and flushes. */
  close(): Promise<void>;
}

/**
 * Builds the API-key service from explicit dependencies.
 *
 * @example
 * const apiKeys = createApiKeyService({ store, counters, audit, clock: systemClock, random: secureRandom, config: config.apiKeys, logger });
 */
export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const cache = options.config.cache.enabled ? new VerifiedKeyCache(options.config.cache.maxEntries, options.config.cache.maxAgeSeconds * 1000) : undefined;
  const lastUsed = new LastUsedRecorder(options.store, options.config.lastUsedFlushSeconds, options.logger);
  const deps: ApiKeyDeps = {
    ...options,
    cache,
    lastUsed,
    pepper: options.config.pepper ? Buffer.from(options.config.pepper, 'utf8') : undefined,
    prefixList: Object.freeze([options.config.prefixes.live, options.config.prefixes.test]),
  };
  const unsubscribe = options.store.onExternalChange((ids) => {
    if (!cache) return;
    if (ids === 'all') cache.clear();
    else for (const id of ids) cache.deleteId(id);
  });

  return {
    create: (input, context) => createApiKey(deps, input, context),
    verify: (key, verifyOptions) => verifyApiKey(deps, key, verifyOptions),
    verifyNow: (key, verifyOptions) => verifyApiKeyNow(deps, key, verifyOptions),
    get: (id) => getApiKey(deps, id),
    list: (listOptions) => listApiKeys(deps, listOptions),
    update: (id, input, context) => updateApiKey(deps, id, input, context),
    rotate: (id, rotateOptions, context) => rotateApiKey(deps, id, rotateOptions, context),
    revoke: (id, context) => revokeApiKey(deps, id, context),
    async bootstrapAdminKey(context = { actor: { type: 'system' } }) {
      if (!(await options.store.claimOnce('bootstrap_admin_key', options.clock.now()))) return null;
      return createApiKey(deps, { name: 'bootstrap admin', scopes: ['admin', 'keys:verify'] }, context);
    },
    flushLastUsed: () => lastUsed.flush(),
    async close() {
      unsubscribe();
      await lastUsed.close();
    },
  };
}
