import type { Kysely, Migration } from 'kysely';

/**
 * Every migration, in order. Written with Kysely's schema builder only, so the same
 * migrations run on SQLite and PostgreSQL. Never edit a released migration: add one.
 */
export const migrations: Record<string, Migration> = {
  '0001_api_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('owner_id', 'varchar(255)')
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('environment', 'varchar(16)', (c) => c.notNull())
        .addColumn('prefix', 'varchar(64)', (c) => c.notNull())
        .addColumn('start', 'varchar(16)', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        .addColumn('rate_limit_limit', 'integer')
        .addColumn('rate_limit_window_seconds', 'integer')
        .addColumn('rotated_from_id', 'varchar(64)')
        .addColumn('rotated_to_id', 'varchar(64)')
        .execute();
      await db.schema.createIndex('api_keys_owner_id_idx').on('api_keys').columns(['owner_id', 'id']).execute();
      await db.schema
        .createTable('gatehouse_meta')
        .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('gatehouse_meta').execute();
      await db.schema.dropTable('api_keys').execute();
    },
  },
};
