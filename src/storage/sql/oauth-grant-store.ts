import type { Selectable } from 'kysely';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { AuthorizationCodeRecord, ConsentRecord, OAuthGrantStore } from '../../oauth/grant-store.js';
import type { SqlDatabase } from './database.js';
import type { OAuthAuthorizationCodesTable, OAuthConsentsTable } from './schema.js';

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toCode(row: Selectable<OAuthAuthorizationCodesTable>): AuthorizationCodeRecord {
  return {
    codeHash: row.code_hash,
    clientId: row.client_id,
    userId: row.user_id,
    sessionId: row.session_id,
    redirectUri: row.redirect_uri,
    scopes: JSON.parse(row.scope) as string[],
    codeChallenge: row.code_challenge,
    codeChallengeMethod: row.code_challenge_method as AuthorizationCodeRecord['codeChallengeMethod'],
    nonce: row.nonce,
    authTime: Number(row.auth_time),
    amr: JSON.parse(row.amr) as string[],
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    consumedAt: num(row.consumed_at),
    replayedAt: num(row.replayed_at),
    familyId: row.family_id,
    resources: JSON.parse(row.resource) as string[],
  };
}

function toConsent(row: Selectable<OAuthConsentsTable>): ConsentRecord {
  return { userId: row.user_id, clientId: row.client_id, scopes: JSON.parse(row.scope) as string[], createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}

/** Driver failures become `storage.unavailable` (503); the cause is kept for the log, never a code hash. */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `oauth_grants.${operation} failed`, cause: err });
  }
}

/** The SQL implementation of {@link OAuthGrantStore} (Kysely; SQLite and PostgreSQL). */
export function createSqlOAuthGrantStore(database: SqlDatabase): OAuthGrantStore {
  const { db } = database;
  return {
    insertCode: (r) =>
      guard('insertCode', async () => {
        await db
          .insertInto('oauth_authorization_codes')
          .values({
            code_hash: r.codeHash,
            client_id: r.clientId,
            user_id: r.userId,
            session_id: r.sessionId,
            redirect_uri: r.redirectUri,
            scope: JSON.stringify(r.scopes),
            resource: JSON.stringify(r.resources),
            code_challenge: r.codeChallenge,
            code_challenge_method: r.codeChallengeMethod,
            nonce: r.nonce,
            auth_time: r.authTime,
            amr: JSON.stringify(r.amr),
            created_at: r.createdAt,
            expires_at: r.expiresAt,
            consumed_at: r.consumedAt,
            replayed_at: r.replayedAt,
            family_id: r.familyId,
          })
          .execute();
      }),

    findCode: (codeHash) =>
      guard('findCode', async () => {
        const row = await db.selectFrom('oauth_authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
        return row ? toCode(row) : null;
      }),

    consumeCode: (codeHash, now) =>
      guard('consumeCode', async () => {
        const result = await db
          .updateTable('oauth_authorization_codes')
          .set({ consumed_at: now })
          .where('code_hash', '=', codeHash)
          .where('consumed_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      }),

    recordReplay: (codeHash, now) =>
      guard('recordReplay', async () => {
        await db.updateTable('oauth_authorization_codes').set({ replayed_at: now }).where('code_hash', '=', codeHash).where('replayed_at', 'is', null).execute();
        const row = await db.selectFrom('oauth_authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
        return row ? toCode(row) : null;
      }),

    attachFamily: (codeHash, familyId) =>
      guard('attachFamily', async () => {
        const result = await db
          .updateTable('oauth_authorization_codes')
          .set({ family_id: familyId })
          .where('code_hash', '=', codeHash)
          .where('replayed_at', 'is', null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      }),

    deleteExpiredCodes: (before) =>
      guard('deleteExpiredCodes', async () => {
        const result = await db.deleteFrom('oauth_authorization_codes').where('expires_at', '<', before).executeTakeFirst();
        return Number(result.numDeletedRows);
      }),

    findConsent: (userId, clientId) =>
      guard('findConsent', async () => {
        const row = await db.selectFrom('oauth_consents').selectAll().where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
        return row ? toConsent(row) : null;
      }),

    saveConsent: (r) =>
      guard('saveConsent', async () => {
        const scope = JSON.stringify(r.scopes);
        await db
          .insertInto('oauth_consents')
          .values({ user_id: r.userId, client_id: r.clientId, scope, created_at: r.createdAt, updated_at: r.updatedAt })
          .onConflict((oc) => oc.columns(['user_id', 'client_id']).doUpdateSet({ scope, updated_at: r.updatedAt }))
          .execute();
      }),

    listConsents: (userId) =>
      guard('listConsents', async () => {
        const rows = await db.selectFrom('oauth_consents').selectAll().where('user_id', '=', userId).orderBy('updated_at', 'desc').orderBy('client_id').limit(1000).execute();
        return rows.map(toConsent);
      }),

    deleteConsent: (userId, clientId) =>
      guard('deleteConsent', async () => {
        const result = await db.deleteFrom('oauth_consents').where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      }),
  };
}
