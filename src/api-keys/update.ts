import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type ApiKeyDeps, toApiKey } from './context.js';
import { emitManagementEvent } from './events.js';
import { ID_PATTERN } from './read.js';
import type { ApiKeyPatch } from './store.js';
import type { ApiKey, ApiKeyRateLimit } from './types.js';
import { validateLifetimeSeconds, validateMetadata, validateName, validateRateLimit, validateScopes } from './validate.js';

/** Input of {@link updateApiKey}; omitted fields stay as they are. */
export interface UpdateApiKeyInput {
  name?: string;
  /** Replaces the metadata object. */
  metadata?: Record<string, unknown>;
  /** Replaces the scopes. */
  scopes?: string[];
  /** A new per-key limit, or null to fall back to the default. */
  rateLimit?: ApiKeyRateLimit | null;
  /** New lifetime in seconds from now. Exclusive with `expiresAt`. */
  expiresInSeconds?: number;
  /** New absolute expiry (epoch ms, in the future), or null for none. Exclusive with `expiresInSeconds`. */
  expiresAt?: number | null;
}

/**
 * Changes a key's name, metadata, scopes, rate limit or expiry. Takes effect on the next
 * verification. Emits `api_key.update`. An update never brings a dead key back: revoked and
 * expired keys cannot be changed at all, and a rotated key's expiry (set by the rotation to
 * the end of its grace period) cannot be changed; its other fields can.
 *
 * @throws {GatehouseError} `api_key.not_found`; `api_key.conflict` for a revoked or expired
 *   key, or for an expiry change of a rotated key; `request.invalid`; `storage.unavailable`
 * @example await gatehouse.apiKeys.update(id, { scopes: ['read'] });
 */
export async function updateApiKey(deps: ApiKeyDeps, id: string, input: UpdateApiKeyInput, context: RequestContext = {}): Promise<ApiKey> {
  if (!ID_PATTERN.test(id)) throw new GatehouseError('api_key.not_found');
  const now = deps.clock.now();
  const patch: ApiKeyPatch = {};
  if (input.name !== undefined) patch.name = validateName(input.name);
  if (input.metadata !== undefined) patch.metadata = validateMetadata(input.metadata);
  if (input.scopes !== undefined) patch.scopes = validateScopes(input.scopes);
  if (input.rateLimit !== undefined) patch.rateLimit = validateRateLimit(input.rateLimit);
  if (input.expiresInSeconds !== undefined && input.expiresAt !== undefined) {
    throw new GatehouseError('request.invalid', { publicMessage: 'Give expires_in_seconds or expires_at, not both.' });
  }
  if (input.expiresInSeconds !== undefined) patch.expiresAt = now + validateLifetimeSeconds(input.expiresInSeconds) * 1000;
  if (input.expiresAt !== undefined) {
    if (input.expiresAt !== null && (!Number.isFinite(input.expiresAt) || input.expiresAt <= now)) {
      throw new GatehouseError('request.invalid', { publicMessage: 'expires_at must be in the future (revoke a key to stop it now).' });
    }
    patch.expiresAt = input.expiresAt;
  }
  // Checked here for a precise error; the store's update repeats the same conditions in its
  // write statement, so a rotation or expiry that commits in between still wins.
  const existing = await deps.store.findById(id);
  if (!existing) throw new GatehouseError('api_key.not_found');
  if (existing.revokedAt !== null) throw new GatehouseError('api_key.conflict', { detail: 'update: key revoked, expired or rotated meanwhile' });
  if (existing.expiresAt !== null && now >= existing.expiresAt) throw new GatehouseError('api_key.conflict', { detail: 'update: key expired' });
  if (existing.rotatedToId !== null && patch.expiresAt !== undefined) {
    throw new GatehouseError('api_key.conflict', { detail: 'update: the expiry of a rotated key is fixed by its rotation' });
  }
  const updated = await deps.store.update(id, patch, now);
  deps.cache?.deleteId(id);
  if (!updated) {
    // Revoked, expired or rotated (or deleted) since it was read.
    const current = await deps.store.findById(id);
    throw current ? new GatehouseError('api_key.conflict', { detail: 'update: key revoked, expired or rotated meanwhile' }) : new GatehouseError('api_key.not_found');
  }
  emitManagementEvent(deps, { type: 'api_key.update', context, targetId: id, key: updated, details: { fields: Object.keys(patch) } });
  return toApiKey(updated);
}
