import { createId } from '../core/crypto/ids.js';
import { hashSecret } from '../core/crypto/hash.js';
import type { RequestContext } from '../core/events.js';
import { type ApiKeyDeps, toApiKey } from './context.js';
import { emitManagementEvent, isoOrNull } from './events.js';
import { generateApiKey } from './format.js';
import type { ApiKey, ApiKeyEnvironment, ApiKeyRateLimit, ApiKeyRecord } from './types.js';
import {
  validateLifetimeSeconds,
  validateMetadata,
  validateName,
  validateOwnerId,
  validateRateLimit,
  validateScopes,
} from './validate.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';

/** Input of {@link createApiKey}. */
export interface CreateApiKeyInput {
  /** 1 to 200 characters. */
  name: string;
  /** RFC 6749 §3.3 scope tokens; at most 64. Default none. */
  scopes?: string[];
  /** Who the key belongs to (your user or tenant id), 1 to 255 characters. */
  ownerId?: string | null;
  /** Free-form JSON object, at most 4 KiB serialised. */
  metadata?: Record<string, unknown>;
  /** Lifetime in seconds from now (1 to 10 years). Default: never expires. */
  expiresInSeconds?: number;
  /** Default `live`. */
  environment?: ApiKeyEnvironment;
  /** Overrides the default rate limit for this key. */
  rateLimit?: ApiKeyRateLimit | null;
}

/** A key just made: the raw secret, shown this once, and its public view. */
export interface CreatedApiKey {
  /** The raw key. Show it to the user once; Gatehouse keeps only its hash. */
  key: string;
  apiKey: ApiKey;
}

/** Builds a new key record (not stored) and its raw secret from validated attributes. */
export function buildKeyRecord(
  deps: ApiKeyDeps,
  attrs: Omit<ApiKeyRecord, 'id' | 'prefix' | 'start' | 'hash' | 'createdAt' | 'updatedAt' | 'revokedAt' | 'lastUsedAt' | 'rotatedToId'>,
  now: number,
): { key: string; record: ApiKeyRecord } {
  const prefix = deps.config.prefixes[attrs.environment];
  const { key, start } = generateApiKey(prefix, deps.random);
  const record: ApiKeyRecord = {
    ...attrs,
    id: createId('key', deps.clock, deps.random),
    prefix,
    start,
    hash: hashSecret(key, deps.pepper),
    createdAt: now,
    updatedAt: now,
    revokedAt: null,
    lastUsedAt: null,
    rotatedToId: null,
  };
  return { key, record };
}

/**
 * Creates an API key. Only the key's hash is stored; the raw key is returned once.
 * Emits `api_key.create`.
 *
 * @throws {GatehouseError} `request.invalid` for bad input; `storage.unavailable`
 * @example
 * const { key, apiKey } = await gatehouse.apiKeys.create({ name: 'ci', scopes: ['deploy'] });
 */
export async function createApiKey(deps: ApiKeyDeps, input: CreateApiKeyInput, context: RequestContext = {}): Promise<CreatedApiKey> {
  const environment = input.environment ?? 'live';
  if (environment !== 'live' && environment !== 'test') {
    throw new GatehouseError('request.invalid', { publicMessage: 'environment must be "live" or "test".' });
  }
  const now = deps.clock.now();
  const expiresAt = input.expiresInSeconds === undefined ? null : now + validateLifetimeSeconds(input.expiresInSeconds) * 1000;
  const { key, record } = buildKeyRecord(deps, {
    name: validateName(input.name),
    scopes: validateScopes(input.scopes ?? []),
    ownerId: validateOwnerId(input.ownerId),
    metadata: validateMetadata(input.metadata ?? {}),
    environment,
    expiresAt,
    rateLimit: validateRateLimit(input.rateLimit),
    rotatedFromId: null,
  }, now);
  await deps.store.insert(record);
  emitManagementEvent(deps, {
    type: 'api_key.create',
    context,
    targetId: record.id,
    key: record,
    details: { scopes: record.scopes, environment, owner_id: record.ownerId, expires_at: isoOrNull(expiresAt) },
  });
  return { key, apiKey: toApiKey(record) };
}

