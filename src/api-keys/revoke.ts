import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type ApiKeyDeps, toApiKey } from './context.js';
import { emitManagementEvent } from './events.js';
import { ID_PATTERN } from './read.js';
import type { ApiKey } from './types.js';

/**
 * Revokes a key; the next verification anywhere in this process refuses it (the cache entry
 * is dropped at once; other processes see it through the store's change feed). Idempotent:
 * revoking a revoked key returns it unchanged. Emits `api_key.revoke`.
 *
 * @throws {GatehouseError} `api_key.not_found`; `storage.unavailable`
 * @example await gatehouse.apiKeys.revoke('key_01J…');
 */
export async function revokeApiKey(deps: ApiKeyDeps, id: string, context: RequestContext = {}): Promise<ApiKey> {
  if (!ID_PATTERN.test(id)) throw new GatehouseError('api_key.not_found');
  const now = deps.clock.now();
  const record = await deps.store.revoke(id, now);
  if (!record) throw new GatehouseError('api_key.not_found');
  deps.cache?.deleteId(id);
  const changed = record.revokedAt === now;
  emitManagementEvent(deps, { type: 'api_key.revoke', context, targetId: id, key: record, reason: changed ? 'ok' : 'already_revoked' });
  return toApiKey(record);
}
