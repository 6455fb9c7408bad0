import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { type ApiKeyDeps, toApiKey } from './context.js';
import type { ApiKey } from './types.js';
import { validateOwnerId } from './validate.js';

/** Options of {@link listApiKeys}. */
export interface ListApiKeysOptions {
  ownerId?: string;
  /** Include revoked keys. Default false. */
  includeRevoked?: boolean;
  /** Page size, 1 to 100. Default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of keys, newest first. Never contains a raw key or a hash. */
export interface ApiKeyList {
  items: ApiKey[];
  nextCursor: string | null;
}

/**
 * The shape of every key id (`key_` + a ULID). By-id operations check it before touching
 * storage: an id that cannot exist is `api_key.not_found` without a query, and bytes a
 * database refuses (NUL, control characters) never reach one.
 */
export const ID_PATTERN = /^key_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Gets one key by id.
 * @throws {GatehouseError} `api_key.not_found`; `storage.unavailable`
 */
export async function getApiKey(deps: ApiKeyDeps, id: string): Promise<ApiKey> {
  const record = ID_PATTERN.test(id) ? await deps.store.findById(id) : null;
  if (!record) throw new GatehouseError('api_key.not_found');
  return toApiKey(record);
}

/**
 * Lists keys newest first, keyset-paginated.
 * @throws {GatehouseError} `request.invalid` for a bad limit, cursor or owner id; `storage.unavailable`
 */
export async function listApiKeys(deps: ApiKeyDeps, options: ListApiKeysOptions = {}): Promise<ApiKeyList> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new GatehouseError('request.invalid', { publicMessage: 'limit must be an integer from 1 to 100.' });
  if (options.cursor !== undefined && !ID_PATTERN.test(options.cursor)) throw new GatehouseError('request.invalid', { publicMessage: 'cursor is not valid.' });
  const ownerId = options.ownerId === undefined ? undefined : validateOwnerId(options.ownerId);
  const page = await deps.store.list({
    limit,
    ...(ownerId !== undefined && ownerId !== null ? { ownerId } : {}),
    ...(options.includeRevoked ? { includeRevoked: true } : {}),
    ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
  });
  return { items: page.items.map(toApiKey), nextCursor: page.nextCursor };
}
