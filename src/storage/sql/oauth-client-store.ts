import type { Selectable, Updateable } from 'kysely';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { OAuthClientStore } from '../../oauth/store.js';
import type { ClientJwks, OAuthClientRecord, OAuthGrantType, TokenEndpointAuthMethod } from '../../oauth/types.js';
import type { SqlDatabase } from './database.js';
import type { OAuthClientsTable } from './schema.js';

function toRecord(row: Selectable<OAuthClientsTable>): OAuthClientRecord {
  return {
    id: row.id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    grantTypes: JSON.parse(row.grant_types) as OAuthGrantType[],
    responseTypes: JSON.parse(row.response_types) as string[],
    tokenEndpointAuthMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod,
    scopes: JSON.parse(row.scope) as string[],
    jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as ClientJwks),
    secretHash: row.secret_hash,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    secretUpdatedAt: row.secret_updated_at === null ? null : Number(row.secret_updated_at),
  };
}

/** Driver failures become `storage.unavailable` (503); the cause is kept for the log, never a secret hash. */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `oauth_clients.${operation} failed`, cause: err });
  }
}

/** The SQL implementation of {@link OAuthClientStore} (Kysely; SQLite and PostgreSQL). */
export function createSqlOAuthClientStore(database: SqlDatabase): OAuthClientStore {
  const { db } = database;
  return {
    insert: (r) =>
      guard('insert', async () => {
        await db
          .insertInto('oauth_clients')
          .values({
            id: r.id,
            name: r.name,
            redirect_uris: JSON.stringify(r.redirectUris),
            post_logout_redirect_uris: JSON.stringify(r.postLogoutRedirectUris),
            grant_types: JSON.stringify(r.grantTypes),
            response_types: JSON.stringify(r.responseTypes),
            token_endpoint_auth_method: r.tokenEndpointAuthMethod,
            scope: JSON.stringify(r.scopes),
            jwks: r.jwks === null ? null : JSON.stringify(r.jwks),
            secret_hash: r.secretHash,
            created_at: r.createdAt,
            updated_at: r.updatedAt,
            secret_updated_at: r.secretUpdatedAt,
          })
          .execute();
      }),

    findById: (id) =>
      guard('findById', async () => {
        const row = await db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    list: ({ limit, cursor }) =>
      guard('list', async () => {
        let query = db.selectFrom('oauth_clients').selectAll().orderBy('id', 'desc').limit(limit + 1);
        if (cursor !== undefined) query = query.where('id', '<', cursor);
        const rows = await query.execute();
        const items = rows.slice(0, limit).map(toRecord);
        return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
      }),

    update: (id, p, now) =>
      guard('update', async () => {
        const set: Updateable<OAuthClientsTable> = { updated_at: now };
        if (p.name !== undefined) set.name = p.name;
        if (p.redirectUris !== undefined) set.redirect_uris = JSON.stringify(p.redirectUris);
        if (p.postLogoutRedirectUris !== undefined) set.post_logout_redirect_uris = JSON.stringify(p.postLogoutRedirectUris);
        if (p.grantTypes !== undefined) set.grant_types = JSON.stringify(p.grantTypes);
        if (p.responseTypes !== undefined) set.response_types = JSON.stringify(p.responseTypes);
        if (p.tokenEndpointAuthMethod !== undefined) set.token_endpoint_auth_method = p.tokenEndpointAuthMethod;
        if (p.scopes !== undefined) set.scope = JSON.stringify(p.scopes);
        if (p.jwks !== undefined) set.jwks = p.jwks === null ? null : JSON.stringify(p.jwks);
        if (p.secretHash !== undefined) set.secret_hash = p.secretHash;
        if (p.secretUpdatedAt !== undefined) set.secret_updated_at = p.secretUpdatedAt;
        const row = await db.updateTable('oauth_clients').set(set).where('id', '=', id).returningAll().executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    delete: (id) =>
      guard('delete', async () => {
        const row = await db.deleteFrom('oauth_clients').where('id', '=', id).returningAll().executeTakeFirst();
        return row ? toRecord(row) : null;
      }),
  };
}
