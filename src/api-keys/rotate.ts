import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type ApiKeyDeps, toApiKey } from './context.js';
import { buildKeyRecord } from './create.js';
import { emitManagementEvent, isoOrNull } from './events.js';
import type { ApiKey } from './types.js';
import { validateLifetimeSeconds } from './validate.js';

/** Options of {@link rotateApiKey}. */
export interface RotateApiKeyOptions {
  /**
   * Seconds during which the old key keeps working beside the new one (0 = the old key stops
   * at once). Default `apiKeys.defaultRotationGraceSeconds` (24 h). Never extends an
   * earlier expiry of the old key.
   */
  gracePeriodSeconds?: number;
  /**
   * Lifetime of the new key in seconds. Default: the old key's lifetime length (creation to
   * expiry), or none if the old key never expired.
   */
  expiresInSeconds?: number;
}

/** The outcome of a rotation. */
export interface RotatedApiKey {
  /** The new raw key, shown this once. */
  key: string;
  /** The new key. */
  apiKey: ApiKey;
  /** The old key, now expiring at the end of the grace period. */
  previous: ApiKey;
}

/**
 * Rotates a key: issues a successor with the same name, owner, scopes, metadata,
 * environment and rate limit, and sets the old key to expire at the end of the grace
 * period. Both verify during it. Atomic (one store transaction). Emits `api_key.rotate`.
 *
 * @throws {GatehouseError} `api_key.not_found`; `api_key.conflict` when the key is revoked,
 *   expired or already rotated; `request.invalid`; `storage.unavailable`
 * @example
 * const { key } = await gatehouse.apiKeys.rotate(id, { gracePeriodSeconds: 3600 });
 */
export async function rotateApiKey(deps: ApiKeyDeps, id: string, options: RotateApiKeyOptions = {}, context: RequestContext = {}): Promise<RotatedApiKey> {
  const grace =
    options.gracePeriodSeconds === undefined
      ? deps.config.defaultRotationGraceSeconds
      : options.gracePeriodSeconds === 0
        ? 0
        : validateLifetimeSeconds(options.gracePeriodSeconds, 'grace_period_seconds');
  const old = await deps.store.findById(id);
  if (!old) throw new GatehouseError('api_key.not_found');
  const now = deps.clock.now();
  let lifetimeMs: number | null = null;
  if (options.expiresInSeconds !== undefined) lifetimeMs = validateLifetimeSeconds(options.expiresInSeconds) * 1000;
  else if (old.expiresAt !== null) lifetimeMs = Math.max(1000, old.expiresAt - old.createdAt);

  const { key, record } = buildKeyRecord(deps, {
    name: old.name,
    scopes: [...old.scopes],
    ownerId: old.ownerId,
    metadata: structuredClone(old.metadata),
    environment: old.environment,
    expiresAt: lifetimeMs === null ? null : now + lifetimeMs,
    rateLimit: old.rateLimit,
    rotatedFromId: old.id,
  }, now);
  const updatedOld = await deps.store.rotate(old.id, record, now + grace * 1000, now);
  if (!updatedOld) {
    throw new GatehouseError('api_key.conflict', { detail: 'rotate: key revoked, expired or already rotated' });
  }
  deps.cache?.deleteId(old.id);
  // The store copied the inherited attributes from the row it locked; report those.
  const successor = {
    ...record,
    name: updatedOld.name,
    ownerId: updatedOld.ownerId,
    scopes: updatedOld.scopes,
    metadata: updatedOld.metadata,
    rateLimit: updatedOld.rateLimit,
  };
  emitManagementEvent(deps, {
    type: 'api_key.rotate',
    context,
    targetId: old.id,
    key: record,
    details: { previous_id: old.id, successor_id: record.id, grace_period_seconds: grace, previous_expires_at: isoOrNull(updatedOld.expiresAt) },
  });
  return { key, apiKey: toApiKey(successor), previous: toApiKey(updatedOld) };
}
