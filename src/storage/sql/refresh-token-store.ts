import type { Selectable } from 'kysely';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { RefreshTokenStore } from '../../jwt/store.js';
import type { RefreshTokenFamily, RefreshTokenRecord } from '../../jwt/types.js';
import type { SqlDatabase } from './database.js';
import type { RefreshTokenFamiliesTable, RefreshTokensTable } from './schema.js';

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

function toFamily(row: Selectable<RefreshTokenFamiliesTable>): RefreshTokenFamily {
  return {
    id: row.id,
    subject: row.subject,
    clientId: row.client_id,
    scopes: JSON.parse(row.scope) as string[],
    audience: JSON.parse(row.audience) as string[],
    authTime: num(row.auth_time),
    amr: JSON.parse(row.amr) as string[],
    sessionId: row.session_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    revokedAt: num(row.revoked_at),
    revokeReason: row.revoke_reason,
  };
}

function familyRow(f: RefreshTokenFamily): RefreshTokenFamiliesTable {
  return {
    id: f.id,
    subject: f.subject,
    client_id: f.clientId,
    scope: JSON.stringify(f.scopes),
    audience: JSON.stringify(f.audience),
    auth_time: f.authTime,
    amr: JSON.stringify(f.amr),
    session_id: f.sessionId,
    created_at: f.createdAt,
    expires_at: f.expiresAt,
    revoked_at: f.revokedAt,
    revoke_reason: f.revokeReason,
  };
}

function toToken(row: Selectable<RefreshTokensTable>): RefreshTokenRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    familyId: row.family_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: num(row.used_at),
    successorId: row.successor_id,
    successorBlob: row.successor_blob,
    accessJti: row.access_jti,
    accessExpiresAt: num(row.access_expires_at),
  };
}

function tokenRow(t: RefreshTokenRecord): RefreshTokensTable {
  return {
    id: t.id,
    token_hash: t.tokenHash,
    family_id: t.familyId,
    created_at: t.createdAt,
    expires_at: t.expiresAt,
    used_at: t.usedAt,
    successor_id: t.successorId,
    successor_blob: t.successorBlob,
    access_jti: t.accessJti,
    access_expires_at: t.accessExpiresAt,
  };
}

/** Driver failures become `storage.unavailable` (503), with the cause kept for the log (never a token or hash). */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `refresh_tokens.${operation} failed`, cause: err });
  }
}

/** The SQL implementation of {@link RefreshTokenStore} (Kysely; SQLite and PostgreSQL). */
export function createSqlRefreshTokenStore(database: SqlDatabase): RefreshTokenStore {
  const { db } = database;
  return {
    createFamily: (family, first) =>
      guard('createFamily', () =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('refresh_token_families').values(familyRow(family)).execute();
          await trx.insertInto('refresh_tokens').values(tokenRow(first)).execute();
        }),
      ),

    findByHash: (hash) =>
      guard('findByHash', async () => {
        const token = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
        if (!token) return null;
        const family = await db.selectFrom('refresh_token_families').selectAll().where('id', '=', token.family_id).executeTakeFirst();
        return family ? { token: toToken(token), family: toFamily(family) } : null;
      }),

    rotate: (oldId, successor, successorBlob, now) =>
      guard('rotate', () =>
        db.transaction().execute(async (trx) => {
          // The conditional UPDATE is the compare-and-set: it takes the row lock (PostgreSQL)
          // or the write lock (SQLite), and a concurrent call finds used_at already set.
          const result = await trx
            .updateTable('refresh_tokens')
            .set({ used_at: now, successor_id: successor.id, successor_blob: successorBlob })
            .where('id', '=', oldId)
            .where('used_at', 'is', null)
            .where('expires_at', '>', now)
            .where((eb) =>
              eb.exists(
                eb
                  .selectFrom('refresh_token_families')
                  .select('refresh_token_families.id')
                  .whereRef('refresh_token_families.id', '=', 'refresh_tokens.family_id')
                  .where('refresh_token_families.revoked_at', 'is', null),
              ),
            )
            .executeTakeFirst();
          if (Number(result.numUpdatedRows) !== 1) return false;
          await trx.insertInto('refresh_tokens').values(tokenRow(successor)).execute();
          return true;
        }),
      ),

    revokeFamily: (familyId, reason, now) =>
      guard('revokeFamily', async () => {
        const row = await db
          .updateTable('refresh_token_families')
          .set({ revoked_at: now, revoke_reason: reason })
          .where('id', '=', familyId)
          .where('revoked_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        return row ? toFamily(row) : null;
      }),

    revokeFamiliesOfSubject: (subject, reason, now, clientId) =>
      guard('revokeFamiliesOfSubject', async () => {
        let query = db
          .updateTable('refresh_token_families')
          .set({ revoked_at: now, revoke_reason: reason })
          .where('subject', '=', subject)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now);
        if (clientId !== undefined) query = query.where('client_id', '=', clientId);
        const rows = await query.returning('id').execute();
        return rows.map((r) => r.id);
      }),

    liveAccessTokens: (familyId, now) =>
      guard('liveAccessTokens', async () => {
        const rows = await db
          .selectFrom('refresh_tokens')
          .select(['access_jti', 'access_expires_at'])
          .where('family_id', '=', familyId)
          .where('access_jti', 'is not', null)
          .where('access_expires_at', '>', now)
          .execute();
        return rows.map((r) => ({ jti: r.access_jti!, expiresAt: Number(r.access_expires_at) }));
      }),

    clearSuccessors: (usedAtOrBefore) =>
      guard('clearSuccessors', async () => {
        const result = await db
          .updateTable('refresh_tokens')
          .set({ successor_blob: null })
          .where('successor_blob', 'is not', null)
          .where('used_at', '<=', usedAtOrBefore)
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      }),

    deleteExpired: (before) =>
      guard('deleteExpired', () =>
        db.transaction().execute(async (trx) => {
          // Tokens first: SQLite enforces the foreign key only with foreign_keys=ON, and the
          // cascade must not depend on it.
          await trx
            .deleteFrom('refresh_tokens')
            .where('family_id', 'in', (eb) => eb.selectFrom('refresh_token_families').select('id').where('expires_at', '<', before))
            .execute();
          const result = await trx.deleteFrom('refresh_token_families').where('expires_at', '<', before).executeTakeFirst();
          return Number(result.numDeletedRows);
        }),
      ),
  };
}
