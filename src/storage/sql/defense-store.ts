import type { DefenseStore } from '../../defense/store.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { SqlDatabase } from './database.js';

/**
 * The SQL implementation of {@link DefenseStore} (table `server_secrets`, migration
 * `0004_defense`). On SQLite the database file is created with mode 0600, so the stored
 * secret is readable only by the server's user; on PostgreSQL it is as private as the schema.
 */
export function createSqlDefenseStore(database: SqlDatabase): DefenseStore {
  const { db } = database;
  return {
    async getOrCreateSecret(name, candidate, now) {
      try {
        await db
          .insertInto('server_secrets')
          .values({ name, value: candidate, created_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
        const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
        return row.value;
      } catch (err) {
        throw new GatehouseError('storage.unavailable', { detail: 'server_secrets.getOrCreate failed', cause: err });
      }
    },
  };
}
