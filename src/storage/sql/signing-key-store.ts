import type { Selectable } from 'kysely';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { SigningKeyStore } from '../../jwt/store.js';
import type { PublicJwk, SigningAlgorithm, SigningKeyRecord, SigningKeyState } from '../../jwt/types.js';
import type { SqlDatabase } from './database.js';
import type { SigningKeysTable } from './schema.js';

function toRecord(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  return {
    kid: row.kid,
    generation: Number(row.generation),
    alg: row.alg as SigningAlgorithm,
    publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
    encryptedPrivateKey: row.private_key,
    createdAt: Number(row.created_at),
    activatesAt: Number(row.activates_at),
    retiresAt: row.retires_at === null ? null : Number(row.retires_at),
    recordedState: row.state as SigningKeyState,
    recordedStateAt: Number(row.state_changed_at),
  };
}

function toRow(r: SigningKeyRecord): SigningKeysTable {
  return {
    kid: r.kid,
    generation: r.generation,
    alg: r.alg,
    public_jwk: JSON.stringify(r.publicJwk),
    private_key: r.encryptedPrivateKey,
    created_at: r.createdAt,
    activates_at: r.activatesAt,
    retires_at: r.retiresAt,
    state: r.recordedState,
    state_changed_at: r.recordedStateAt,
  };
}

/** Driver failures become `storage.unavailable` (503), with the cause kept for the log. */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `signing_keys.${operation} failed`, cause: err });
  }
}

/** The SQL implementation of {@link SigningKeyStore} (Kysely; SQLite and PostgreSQL). */
export function createSqlSigningKeyStore(database: SqlDatabase): SigningKeyStore {
  const { db } = database;
  return {
    list: (options = {}) =>
      guard('list', async () => {
        let q = db.selectFrom('signing_keys').selectAll().orderBy('generation', 'asc');
        if (!options.includeRemoved) q = q.where('state', '!=', 'removed');
        return (await q.execute()).map(toRecord);
      }),

    insertNext: (record) =>
      guard('insertNext', () =>
        db.transaction().execute(async (trx) => {
          // ON CONFLICT DO NOTHING: a concurrent insert of the same generation waits for the
          // first to commit, then inserts nothing. The unique index is the compare-and-set.
          const result = await trx.insertInto('signing_keys').values(toRow(record)).onConflict((oc) => oc.doNothing()).executeTakeFirst();
          if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
          if (record.generation > 1) {
            await trx.updateTable('signing_keys').set({ retires_at: record.activatesAt }).where('generation', '=', record.generation - 1).execute();
          }
          return true;
        }),
      ),

    advanceState: (kid, from, to, now) =>
      guard('advanceState', async () => {
        const result = await db
          .updateTable('signing_keys')
          .set(to === 'removed' ? { state: to, state_changed_at: now, private_key: null } : { state: to, state_changed_at: now })
          .where('kid', '=', kid)
          .where('state', '=', from)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      }),
  };
}
