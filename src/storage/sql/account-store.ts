import type { Kysely, Selectable } from 'kysely';
import type { AccountStore, UserPatch, UserWriteResult } from '../../accounts/store.js';
import type { AccountTokenPurpose, AccountTokenRecord, UserRecord, UserStatus } from '../../accounts/types.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { SqlDatabase } from './database.js';
import type { AccountTokensTable, Database, UsersTable } from './schema.js';

function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    emailNormalized: row.email_normalized,
    emailVerified: Number(row.email_verified) === 1,
    name: row.name,
    status: row.status as UserStatus,
    passwordHash: row.password_hash,
    passwordChangedAt: Number(row.password_changed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toUserRow(r: UserRecord): UsersTable {
  return {
    id: r.id,
    email: r.email,
    email_normalized: r.emailNormalized,
    email_verified: r.emailVerified ? 1 : 0,
    name: r.name,
    status: r.status,
    password_hash: r.passwordHash,
    password_changed_at: r.passwordChangedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function toTokenRecord(row: Selectable<AccountTokensTable>): AccountTokenRecord {
  return {
    hash: row.hash,
    purpose: row.purpose as AccountTokenPurpose,
    userId: row.user_id,
    email: row.email,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    consumedAt: row.consumed_at === null ? null : Number(row.consumed_at),
  };
}

/** SQLite's and PostgreSQL's unique-constraint violations. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** Driver failures become `storage.unavailable` (503), with the cause kept for the log. */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `accounts.${operation} failed`, cause: err });
  }
}

/** Consumes a token by compare-and-set; returns its user id, or undefined when it was not eligible. */
async function consumeToken(trx: Kysely<Database>, hash: string, purpose: AccountTokenPurpose, now: number): Promise<string | undefined> {
  const row = await trx
    .updateTable('account_tokens')
    .set({ consumed_at: now })
    .where('hash', '=', hash)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    // Bound to the address it was mailed to: an e-mail change since then voids it.
    .where((eb) => eb('email', '=', eb.selectFrom('users').select('users.email_normalized').whereRef('users.id', '=', 'account_tokens.user_id')))
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** The SQL implementation of {@link AccountStore} (Kysely; SQLite and PostgreSQL). */
export function createSqlAccountStore(database: SqlDatabase): AccountStore {
  const { db } = database;

  return {
    insertUser: (record) =>
      guard('insertUser', async (): Promise<UserWriteResult> => {
        const result = await db
          .insertInto('users')
          .values(toUserRow(record))
          .onConflict((oc) => oc.column('email_normalized').doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return { ok: false, reason: 'email_taken' };
        return { ok: true, user: record };
      }),

    findUserById: (id) =>
      guard('findUserById', async () => {
        const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toUserRecord(row) : null;
      }),

    findUserByEmail: (emailNormalized) =>
      guard('findUserByEmail', async () => {
        const row = await db.selectFrom('users').selectAll().where('email_normalized', '=', emailNormalized).executeTakeFirst();
        return row ? toUserRecord(row) : null;
      }),

    listUsers: ({ limit, cursor, status }) =>
      guard('listUsers', async () => {
        let q = db.selectFrom('users').selectAll().orderBy('id', 'desc').limit(limit + 1);
        if (status !== undefined) q = q.where('status', '=', status);
        if (cursor !== undefined) q = q.where('id', '<', cursor);
        const rows = await q.execute();
        const items = rows.slice(0, limit).map(toUserRecord);
        return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
      }),

    updateUser: (id, patch: UserPatch, now) =>
      guard('updateUser', async (): Promise<UserWriteResult> => {
        const set: Partial<UsersTable> = { updated_at: now };
        if (patch.email !== undefined) {
          set.email = patch.email.display;
          set.email_normalized = patch.email.normalized;
        }
        if (patch.emailVerified !== undefined) set.email_verified = patch.emailVerified ? 1 : 0;
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.status !== undefined) set.status = patch.status;
        try {
          return await db.transaction().execute(async (trx): Promise<UserWriteResult> => {
            const row = await trx.updateTable('users').set(set).where('id', '=', id).returningAll().executeTakeFirst();
            if (!row) return { ok: false, reason: 'not_found' };
            if (patch.email !== undefined) {
              await trx.updateTable('account_tokens').set({ consumed_at: now }).where('user_id', '=', id).where('consumed_at', 'is', null).execute();
            }
            return { ok: true, user: toUserRecord(row) };
          });
        } catch (err) {
          if (isUniqueViolation(err)) return { ok: false, reason: 'email_taken' };
          throw err;
        }
      }),

    setPasswordHash: (id, passwordHash, now) =>
      guard('setPasswordHash', () =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .updateTable('users')
            .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirst();
          if (!row) return null;
          await trx
            .updateTable('account_tokens')
            .set({ consumed_at: now })
            .where('user_id', '=', id)
            .where('purpose', '=', 'password_reset')
            .where('consumed_at', 'is', null)
            .execute();
          return toUserRecord(row);
        }),
      ),

    rehashPassword: (id, expectedHash, newHash) =>
      guard('rehashPassword', async () => {
        const result = await db.updateTable('users').set({ password_hash: newHash }).where('id', '=', id).where('password_hash', '=', expectedHash).executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      }),

    deleteUser: (id) =>
      guard('deleteUser', () =>
        db.transaction().execute(async (trx) => {
          // Explicit as well as by cascade: a SQLite connection opened without foreign_keys
          // (another tool) would not cascade.
          await trx.deleteFrom('account_tokens').where('user_id', '=', id).execute();
          const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
          return Number(result.numDeletedRows) === 1;
        }),
      ),

    insertToken: (record, now) =>
      guard('insertToken', () =>
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('account_tokens').where('user_id', '=', record.userId).where('expires_at', '<', now).execute();
          await trx
            .insertInto('account_tokens')
            .values({
              hash: record.hash,
              purpose: record.purpose,
              user_id: record.userId,
              email: record.email,
              created_at: record.createdAt,
              expires_at: record.expiresAt,
              consumed_at: record.consumedAt,
            })
            .execute();
        }),
      ),

    findToken: (hash) =>
      guard('findToken', async () => {
        const row = await db.selectFrom('account_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
        return row ? toTokenRecord(row) : null;
      }),

    consumeEmailVerification: (hash, now) =>
      guard('consumeEmailVerification', () =>
        db.transaction().execute(async (trx) => {
          const userId = await consumeToken(trx, hash, 'email_verification', now);
          if (userId === undefined) return null;
          const row = await trx.updateTable('users').set({ email_verified: 1, updated_at: now }).where('id', '=', userId).returningAll().executeTakeFirst();
          return row ? toUserRecord(row) : null;
        }),
      ),

    consumePasswordReset: (hash, passwordHash, now) =>
      guard('consumePasswordReset', () =>
        db.transaction().execute(async (trx) => {
          const userId = await consumeToken(trx, hash, 'password_reset', now);
          if (userId === undefined) return null;
          const row = await trx
            .updateTable('users')
            .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now, email_verified: 1 })
            .where('id', '=', userId)
            .returningAll()
            .executeTakeFirst();
          await trx
            .updateTable('account_tokens')
            .set({ consumed_at: now })
            .where('user_id', '=', userId)
            .where('purpose', '=', 'password_reset')
            .where('consumed_at', 'is', null)
            .execute();
          return row ? toUserRecord(row) : null;
        }),
      ),

    consumeAllTokens: (userId, purpose, now) =>
      guard('consumeAllTokens', async () => {
        const result = await db
          .updateTable('account_tokens')
          .set({ consumed_at: now })
          .where('user_id', '=', userId)
          .where('purpose', '=', purpose)
          .where('consumed_at', 'is', null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      }),
  };
}
