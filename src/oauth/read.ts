import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { toOAuthClient, type OAuthDeps } from './context.js';
import type { OAuthClient } from './types.js';

/** `cli_` + 26 Crockford base32 characters. Other ids never reach storage. */
export const CLIENT_ID_PATTERN = /^cli_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Options of {@link listClients}. */
export interface ListClientsOptions {
  /** 1 to 100; default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of clients, newest first. */
export interface ClientList {
  items: OAuthClient[];
  nextCursor: string | null;
}

/**
 * One client by `client_id`.
 *
 * @throws {GatehouseError} `oauth.client_not_found`; `storage.unavailable`
 * @example const client = await gatehouse.oauth.clients.get('cli_01J…');
 */
export async function getClient(deps: OAuthDeps, id: string): Promise<OAuthClient> {
  const record = CLIENT_ID_PATTERN.test(id) ? await deps.clients.findById(id) : null;
  if (!record) throw new GatehouseError('oauth.client_not_found');
  return toOAuthClient(record);
}

/**
 * Clients newest first, keyset-paginated.
 *
 * @throws {GatehouseError} `request.invalid` for a bad limit or cursor; `storage.unavailable`
 * @example const { items, nextCursor } = await gatehouse.oauth.clients.list({ limit: 20 });
 */
export async function listClients(deps: OAuthDeps, options: ListClientsOptions = {}): Promise<ClientList> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new GatehouseError('request.invalid', { publicMessage: 'limit must be an integer from 1 to 100.' });
  if (options.cursor !== undefined && !CLIENT_ID_PATTERN.test(options.cursor)) throw new GatehouseError('request.invalid', { publicMessage: 'cursor is not valid.' });
  const page = await deps.clients.list({ limit, ...(options.cursor !== undefined ? { cursor: options.cursor } : {}) });
  return { items: page.items.map(toOAuthClient), nextCursor: page.nextCursor };
}
