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
  '0002_accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('email_normalized', 'varchar(320)', (c) => c.notNull().unique())
        .addColumn('email_verified', 'integer', (c) => c.notNull())
        .addColumn('name', 'varchar(200)')
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('account_tokens')
        .addColumn('hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('email', 'varchar(320)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint')
        .execute();
      await db.schema.createIndex('account_tokens_user_idx').on('account_tokens').columns(['user_id', 'purpose']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('account_tokens').execute();
      await db.schema.dropTable('users').execute();
    },
  },
  '0003_sessions': {
    async up(db: Kysely<unknown>) {
      // No foreign key to users: sessions are ended through the sessions domain
      // (revokeAllForUser), and a session row outlives nothing it points to.
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('authenticated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('idle_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('end_reason', 'varchar(32)')
        .addColumn('ip', 'varchar(64)')
        .addColumn('user_agent', 'varchar(512)')
        .addColumn('auth_level', 'integer', (c) => c.notNull())
        .addColumn('amr', 'varchar(200)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user_id_idx').on('sessions').columns(['user_id', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('sessions').execute();
    },
  },
  '0004_defense': {
    async up(db: Kysely<unknown>) {
      // Server secrets generated at first start and shared by every instance (the login
      // defence's device-cookie and identifier-hash key when none is configured).
      await db.schema
        .createTable('server_secrets')
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('value', 'varchar(255)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('server_secrets').execute();
    },
  },
  '0005_jwt': {
    async up(db: Kysely<unknown>) {
      // `generation` is unique: two instances rotating at once both try to insert the next
      // generation and exactly one succeeds (the compare-and-set of scheduled rotation).
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('generation', 'integer', (c) => c.notNull().unique())
        .addColumn('alg', 'varchar(16)', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('activates_at', 'bigint', (c) => c.notNull())
        .addColumn('retires_at', 'bigint')
        .addColumn('state', 'varchar(16)', (c) => c.notNull())
        .addColumn('state_changed_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('refresh_token_families')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('subject', 'varchar(255)', (c) => c.notNull())
        .addColumn('client_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('auth_time', 'bigint')
        .addColumn('amr', 'varchar(200)', (c) => c.notNull())
        .addColumn('session_id', 'varchar(64)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('revoke_reason', 'varchar(32)')
        .execute();
      await db.schema.createIndex('refresh_token_families_subject_idx').on('refresh_token_families').columns(['subject']).execute();
      await db.schema.createIndex('refresh_token_families_expires_idx').on('refresh_token_families').columns(['expires_at']).execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('family_id', 'varchar(64)', (c) => c.notNull().references('refresh_token_families.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('successor_id', 'varchar(64)')
        .addColumn('successor_blob', 'text')
        .addColumn('access_jti', 'varchar(64)')
        .addColumn('access_expires_at', 'bigint')
        .execute();
      await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').columns(['family_id']).execute();
      await db.schema.createIndex('refresh_tokens_used_idx').on('refresh_tokens').columns(['used_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('refresh_tokens').execute();
      await db.schema.dropTable('refresh_token_families').execute();
      await db.schema.dropTable('signing_keys').execute();
    },
  },
  '0006_oauth_clients': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('oauth_clients')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('redirect_uris', 'text', (c) => c.notNull())
        .addColumn('grant_types', 'varchar(200)', (c) => c.notNull())
        .addColumn('response_types', 'varchar(200)', (c) => c.notNull())
        .addColumn('token_endpoint_auth_method', 'varchar(32)', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('jwks', 'text')
        .addColumn('secret_hash', 'varchar(64)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('secret_updated_at', 'bigint')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('oauth_clients').execute();
    },
  },
  '0007_oauth_grants': {
    async up(db: Kysely<unknown>) {
      // Authorization codes by SHA-256 only. No foreign keys: a code outlives nothing it
      // names, and deleting a client or user must not fail on a pending code.
      await db.schema
        .createTable('oauth_authorization_codes')
        .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('session_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('redirect_uri', 'text')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'varchar(128)')
        .addColumn('code_challenge_method', 'varchar(8)')
        .addColumn('nonce', 'varchar(512)')
        .addColumn('auth_time', 'bigint', (c) => c.notNull())
        .addColumn('amr', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint')
        .addColumn('replayed_at', 'bigint')
        .addColumn('family_id', 'varchar(64)')
        .execute();
      await db.schema.createIndex('oauth_authorization_codes_expires_idx').on('oauth_authorization_codes').columns(['expires_at']).execute();
      await db.schema
        .createTable('oauth_consents')
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('oauth_consents_pk', ['user_id', 'client_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('oauth_consents').execute();
      await db.schema.dropTable('oauth_authorization_codes').execute();
    },
  },
  '0008_oidc': {
    async up(db: Kysely<unknown>) {
      // OpenID Connect RP-Initiated Logout 1.0 §2 `post_logout_redirect_uris` (a JSON array), and
      // the RFC 8707 `resource` values of an authorization request, bound to its code (a JSON array).
      await db.schema.alterTable('oauth_clients').addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('oauth_authorization_codes').addColumn('resource', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('oauth_authorization_codes').dropColumn('resource').execute();
      await db.schema.alterTable('oauth_clients').dropColumn('post_logout_redirect_uris').execute();
    },
  },
};
