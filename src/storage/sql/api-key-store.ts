import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApiKeyPatch, ApiKeyStore } from '../../api-keys/store.js';
import type { ApiKeyEnvironment, ApiKeyRecord } from '../../api-keys/types.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { SqlDatabase } from './database.js';
import type { ApiKeysTable, Database } from './schema.js';

function toNumber(v: number | string | bigint | null): number | null {
  return v === null ? null : Number(v);
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    scopes: JSON.parse(row.scopes) as string[],
    environment: row.environment as ApiKeyEnvironment,
    prefix: row.prefix,
    start: row.start,
    hash: row.hash,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    expiresAt: toNumber(row.expires_at),
    revokedAt: toNumber(row.revoked_at),
    lastUsedAt: toNumber(row.last_used_at),
    rateLimit:
      row.rate_limit_limit === null || row.rate_limit_window_seconds === null
        ? null
        : { limit: Number(row.rate_limit_limit), windowSeconds: Number(row.rate_limit_window_seconds) },
    rotatedFromId: row.rotated_from_id,
    rotatedToId: row.rotated_to_id,
  };
}

function toRow(r: ApiKeyRecord): ApiKeysTable {
  return {
    id: r.id,
    name: r.name,
    owner_id: r.ownerId,
    metadata: JSON.stringify(r.metadata),
    scopes: JSON.stringify(r.scopes),
    environment: r.environment,
    prefix: r.prefix,
    start: r.start,
    hash: r.hash,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    expires_at: r.expiresAt,
    revoked_at: r.revokedAt,
    last_used_at: r.lastUsedAt,
    rate_limit_limit: r.rateLimit?.limit ?? null,
    rate_limit_window_seconds: r.rateLimit?.windowSeconds ?? null,
    rotated_from_id: r.rotatedFromId,
    rotated_to_id: r.rotatedToId,
  };
}

/** Driver failures become `storage.unavailable` (503), with the cause kept for the log. */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `api_keys.${operation} failed`, cause: err });
  }
}

/**
 * The NOTIFY channel of a schema's key changes. A channel name is an identifier of at most 63
 * bytes (pg_notify refuses a longer one, LISTEN truncates it), and a schema name may itself be
 * 63 characters long, so a long one is replaced by its hash.
 */
function changeChannel(schema: string): string {
  const channel = `gatehouse_api_keys_${schema}`;
  return channel.length <= 63 ? channel : `gatehouse_api_keys_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/** Options of {@link createSqlApiKeyStore}. */
export interface SqlApiKeyStoreOptions {
  /** PostgreSQL schema, for the change-notification channel name. Default `public`. */
  schema?: string;
  /**
   * SQLite: the least time, in milliseconds of monotonic time, between two `PRAGMA data_version`
   * checks. The check costs ~3.5 µs on a WAL file, too much for every verification at tens of
   * thousands per second; at the default 1 ms, a write by another process is seen by the first
   * verification that starts more than 1 ms after it committed. 0 checks on every call.
   */
  externalChangePollIntervalMs?: number;
}

/**
 * The SQL implementation of {@link ApiKeyStore} (Kysely). On SQLite, changes by another
 * process are detected through `PRAGMA data_version` in {@link ApiKeyStore.pollExternalChanges}.
 */
export function createSqlApiKeyStore(database: SqlDatabase, options: SqlApiKeyStoreOptions = {}): ApiKeyStore {
  const { db } = database;
  const pollIntervalMs = options.externalChangePollIntervalMs ?? 1;
  let lastPollAt = Number.NEGATIVE_INFINITY;
  const listeners = new Set<(ids: readonly string[] | 'all') => void>();
  const dataVersion = database.dataVersion;
  let lastDataVersion = dataVersion ? dataVersion() : 0;
  const channel = changeChannel(options.schema ?? 'public');
  let stopListening: (() => void) | undefined;
  const emit = (ids: readonly string[] | 'all') => {
    for (const listener of listeners) listener(ids);
  };

  /**
   * PostgreSQL: tell every instance (including this one) that a key changed. Sent inside the
   * writing transaction, so it is delivered exactly when the change commits: never for a write
   * that rolled back, and never lost after one that committed (a retried revoke changes
   * nothing and would not notify again).
   */
  const notify = async (executor: Kysely<Database>, id: string): Promise<void> => {
    if (database.dialect !== 'postgres') return;
    await sql`SELECT pg_notify(${channel}, ${id})`.execute(executor);
  };
  /** Runs a write and its notification in one transaction (PostgreSQL only; SQLite needs none). */
  const writeAndNotify = <T>(fn: (executor: Kysely<Database>) => Promise<T>): Promise<T> =>
    database.dialect === 'postgres' ? db.transaction().execute(fn) : fn(db);

  return {
    insert: (record) =>
      guard('insert', async () => {
        await db.insertInto('api_keys').values(toRow(record)).execute();
      }),

    findByHash: (hash) =>
      guard('findByHash', async () => {
        const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    findById: (id) =>
      guard('findById', async () => {
        const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    list: ({ ownerId, includeRevoked, limit, cursor }) =>
      guard('list', async () => {
        let q = db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').limit(limit + 1);
        if (ownerId !== undefined) q = q.where('owner_id', '=', ownerId);
        if (!includeRevoked) q = q.where('revoked_at', 'is', null);
        if (cursor !== undefined) q = q.where('id', '<', cursor);
        const rows = await q.execute();
        const items = rows.slice(0, limit).map(toRecord);
        return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
      }),

    update: (id, patch: ApiKeyPatch, now) =>
      guard('update', async () => {
        const set: Partial<ApiKeysTable> = { updated_at: now };
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.metadata !== undefined) set.metadata = JSON.stringify(patch.metadata);
        if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
        if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
        if (patch.rateLimit !== undefined) {
          set.rate_limit_limit = patch.rateLimit?.limit ?? null;
          set.rate_limit_window_seconds = patch.rateLimit?.windowSeconds ?? null;
        }
        const row = await writeAndNotify(async (trx) => {
          let query = trx
            .updateTable('api_keys')
            .set(set)
            .where('id', '=', id)
            .where('revoked_at', 'is', null)
            // Checked in the same statement, so a rotation or expiry that lands first wins.
            .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
          if (patch.expiresAt !== undefined) query = query.where('rotated_to_id', 'is', null);
          const updated = await query.returningAll().executeTakeFirst();
          if (updated) await notify(trx, id);
          return updated;
        });
        return row ? toRecord(row) : null;
      }),

    revoke: (id, now) =>
      guard('revoke', async () => {
        await writeAndNotify(async (trx) => {
          const result = await trx.updateTable('api_keys').set({ revoked_at: now, updated_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
          if (Number(result.numUpdatedRows) > 0) await notify(trx, id);
        });
        const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    rotate: (oldId, successor, oldExpiresAt, now) =>
      guard('rotate', () =>
        db.transaction().execute(async (trx) => {
          const updated = await trx
            .updateTable('api_keys')
            .set({
              rotated_to_id: successor.id,
              updated_at: now,
              expires_at: sql<number>`CASE WHEN expires_at IS NOT NULL AND expires_at < ${oldExpiresAt} THEN expires_at ELSE ${oldExpiresAt} END`,
            })
            .where('id', '=', oldId)
            .where('revoked_at', 'is', null)
            .where('rotated_to_id', 'is', null)
            .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
            .returningAll()
            .executeTakeFirst();
          if (!updated) return null;
          // The UPDATE holds the row lock and returns the latest committed row, so the successor
          // inherits what an update that committed just before us wrote, never a stale copy.
          const locked = toRecord(updated);
          const inherited = {
            name: locked.name,
            ownerId: locked.ownerId,
            scopes: locked.scopes,
            metadata: locked.metadata,
            rateLimit: locked.rateLimit,
            environment: locked.environment,
          };
          await trx.insertInto('api_keys').values(toRow({ ...successor, ...inherited, rotatedFromId: oldId })).execute();
          // Delivered at commit, so no instance hears of a rotation that rolled back.
          await notify(trx, oldId);
          return locked;
        }),
      ),

    touchLastUsed: (entries) =>
      guard('touchLastUsed', async () => {
        if (entries.length === 0) return;
        await db.transaction().execute(async (trx) => {
          for (const { id, lastUsedAt } of entries) {
            await trx
              .updateTable('api_keys')
              .set({ last_used_at: lastUsedAt })
              .where('id', '=', id)
              .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', lastUsedAt)]))
              .execute();
          }
        });
      }),

    claimOnce: (name, now) =>
      guard('claimOnce', async () => {
        const result = await db
          .insertInto('gatehouse_meta')
          .values({ name, created_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
      }),

    onExternalChange(listener) {
      listeners.add(listener);
      if (database.listen && !stopListening) {
        stopListening = database.listen(channel, { message: (id) => emit([id]), reset: () => emit('all') });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stopListening) {
          stopListening();
          stopListening = undefined;
        }
      };
    },

    pollExternalChanges() {
      if (!dataVersion) return;
      if (pollIntervalMs > 0) {
        // Monotonic time: a throttle, not a business time, so not the injected clock.
        const t = performance.now();
        if (t - lastPollAt < pollIntervalMs) return;
        lastPollAt = t;
      }
      let version: number;
      try {
        version = dataVersion();
      } catch (err) {
        throw new GatehouseError('storage.unavailable', { detail: 'api_keys.pollExternalChanges failed', cause: err });
      }
      if (version === lastDataVersion) return;
      lastDataVersion = version;
      emit('all');
    },
  };
}
