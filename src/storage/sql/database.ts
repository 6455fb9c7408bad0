import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { ConfigError } from '../../core/errors/gatehouse-error.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** An open SQL database with its dialect. */
export interface SqlDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite';
  /** Human-readable location without credentials, for start-up messages. */
  location: string;
  /**
   * SQLite only: the connection's `PRAGMA data_version`, which changes when another
   * connection (another process) commits. Cheap and synchronous.
   */
  dataVersion(): number;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where the database is, as chosen by configuration. */
export interface DatabaseLocation {
  /** `GATEHOUSE_DATABASE_URL`: `sqlite:<path>`, `sqlite::memory:`, or unset. */
  url?: string | undefined;
  /** Data directory for the default SQLite file. */
  dataDir: string;
}

/**
 * Resolves the SQLite file path from configuration.
 *
 * @throws {ConfigError} for a URL scheme this build cannot open
 */
export function resolveSqlitePath(location: DatabaseLocation): string {
  const { url } = location;
  if (!url) return join(location.dataDir, 'gatehouse.db');
  if (url === 'sqlite::memory:' || url === ':memory:') return ':memory:';
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (url.startsWith('file:')) return url.slice('file:'.length);
  const scheme = url.split(':')[0] ?? '';
  throw new ConfigError(`Invalid configuration: database.url (env GATEHOUSE_DATABASE_URL): unsupported scheme "${scheme}:"; allowed: sqlite:<path>, sqlite::memory:`);
}

/**
 * Opens (creating if needed) the database and runs pending migrations.
 * SQLite runs in WAL mode with `synchronous=FULL` (a created key survives a crash or power
 * loss once its 201 is sent) and a 5 s busy timeout so the CLI can write while a server runs.
 */
export async function openDatabase(location: DatabaseLocation): Promise<SqlDatabase> {
  const path = resolveSqlitePath(location);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const dataVersionStmt = sqlite.prepare('PRAGMA data_version').pluck();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  let closed = false;
  return {
    db,
    dialect: 'sqlite',
    location: path === ':memory:' ? 'SQLite (in memory)' : `SQLite at ${path}`,
    dataVersion: () => dataVersionStmt.get() as number,
    async ping() {
      if (closed) throw new Error('database closed');
      sqlite.prepare('SELECT 1').get();
      return Promise.resolve();
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'gatehouse_migrations', migrationLockTableName: 'gatehouse_migrations_lock' });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error('Database migration failed', { cause: error });
}
