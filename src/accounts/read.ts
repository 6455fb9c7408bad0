import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { type AccountDeps, toUser, USER_ID_PATTERN } from './context.js';
import type { User, UserRecord, UserStatus } from './types.js';
import { validateStatus } from './validate.js';

/** Options of {@link listUsers}. */
export interface ListUsersOptions {
  /** Only users with this status. */
  status?: UserStatus;
  /** Page size, 1 to 100. Default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of users, newest first. Never contains a password hash. */
export interface UserList {
  items: User[];
  nextCursor: string | null;
}

/**
 * Reads a user record by id; an id that cannot exist is `account.not_found` without a query.
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 */
export async function findUserRecord(deps: AccountDeps, id: string): Promise<UserRecord> {
  const record = typeof id === 'string' && USER_ID_PATTERN.test(id) ? await deps.store.findUserById(id) : null;
  if (!record) throw new GatehouseError('account.not_found');
  return record;
}

/**
 * Gets one user by id.
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 * @example const user = await gatehouse.accounts.get('usr_01J…');
 */
export async function getUser(deps: AccountDeps, id: string): Promise<User> {
  return toUser(await findUserRecord(deps, id));
}

/**
 * Lists users newest first, keyset-paginated.
 * @throws {GatehouseError} `request.invalid` for a bad limit, cursor or status; `storage.unavailable`
 * @example const { items, nextCursor } = await gatehouse.accounts.list({ limit: 50 });
 */
export async function listUsers(deps: AccountDeps, options: ListUsersOptions = {}): Promise<UserList> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new GatehouseError('request.invalid', { publicMessage: 'limit must be an integer from 1 to 100.' });
  if (options.cursor !== undefined && !USER_ID_PATTERN.test(options.cursor)) throw new GatehouseError('request.invalid', { publicMessage: 'cursor is not valid.' });
  const status = options.status === undefined ? undefined : validateStatus(options.status);
  const page = await deps.store.listUsers({
    limit,
    ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    ...(status !== undefined ? { status } : {}),
  });
  return { items: page.items.map(toUser), nextCursor: page.nextCursor };
}
