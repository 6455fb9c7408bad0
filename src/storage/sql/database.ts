import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { ConfigError } from '../../core/errors/gatehouse-error.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/** Receives change notifications from other instances; `reset` means some may have been missed. */
export interface ChangeListener {
  message(payload: string): void;
  reset(): void;
}

/** An open SQL database with its dialect. */
export interface SqlDatabase {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** Human-readable location without credentials, for start-up messages. */
  location: string;
  /**
   * SQLite only: the connection's `PRAGMA data_version`, which changes when another
   * connection (another process) commits. Cheap and synchronous. Undefined on PostgreSQL.
   */
  dataVersion?: () => number;
  /**
   * PostgreSQL only: LISTEN on `channel` over a dedicated connection that reconnects by
   * itself; `reset` is called whenever the connection was lost (notifications may have been
   * missed). Returns a function that stops listening. Undefined on SQLite.
   */
  listen?: (channel: string, listener: ChangeListener) => () => void;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Where the database is, as chosen by configuration. */
export interface DatabaseLocation {
  /** `GATEHOUSE_DATABASE_URL`: `sqlite:<path>`, `sqlite::memory:`, `postgres://…`, or unset. */
  url?: string | undefined;
  /** Data directory for the default SQLite file. */
  dataDir: string;
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /** PostgreSQL schema. Default `public`. */
  schema?: string;
  /** PostgreSQL connection timeout, seconds. Default 5. */
  connectTimeoutSeconds?: number;
  /** PostgreSQL: longest wait for a query's answer (pool queries only), seconds. Default 5. */
  queryTimeoutSeconds?: number;
  /** Where pool and listener errors are reported. */
  logger?: Logger;
}

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
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
  // Say only what is allowed: any part of the URL (even its "scheme", when the `://` is
  // mistyped) may hold the password.
  throw new ConfigError('Invalid configuration: database.url (env GATEHOUSE_DATABASE_URL): unsupported scheme; allowed: sqlite:<path>, sqlite::memory:, file:<path>, postgres://…, postgresql://…');
}

/**
 * Opens (creating if needed) the database and runs pending migrations.
 *
 * - SQLite runs in WAL mode with `synchronous=FULL` (a created key survives a crash or power
 *   loss once its 201 is sent) and a 5 s busy timeout so the CLI can write while a server runs.
 * - PostgreSQL uses a `pg` pool; migrations run under a session advisory lock, so when several
 *   instances start at once one migrates and the others wait.
 */
export async function openDatabase(location: DatabaseLocation): Promise<SqlDatabase> {
  return isPostgresUrl(location.url) ? openPostgres(location.url, location) : openSqlite(location);
}

async function openSqlite(location: DatabaseLocation): Promise<SqlDatabase> {
  const path = resolveSqlitePath(location);
  if (path !== ':memory:') createPrivateFile(path);
  const sqlite = new BetterSqlite3(path);
  // The busy timeout first: switching to WAL takes a lock another starting process may hold.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const dataVersionStmt = sqlite.prepare('PRAGMA data_version').pluck();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    // Kysely takes no migration lock on SQLite: hold the write lock so two processes starting
    // on a new file do not both create the tables (the second waits, then finds nothing to do).
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      await migrate(db);
      sqlite.exec('COMMIT');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
  } catch (err) {
    await db.destroy();
    throw err;
  }
  let closed = false;
  return {
    db,
    dialect: 'sqlite',
    location: path === ':memory:' ? 'SQLite (in memory)' : `SQLite at ${path}`,
    dataVersion: () => dataVersionStmt.get() as number,
    ping() {
      if (closed) return Promise.reject(new Error('database closed'));
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

/**
 * Creates the database file, if it does not exist yet, readable and writable by its owner
 * only (0600), and any missing directories above it likewise (0700), before SQLite opens it:
 * it holds every key hash. SQLite gives the `-wal` and `-shm` files it creates beside it the
 * mode of the database file. Existing files and directories are left as they are.
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    // Exclusive create: never touches a file that already exists (or that another process
    // starting at the same moment has just created).
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    // The creation mode is filtered by the umask; set it exactly.
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** `postgres://user:***@host:port/db`: the URL with any password removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return 'an unparseable URL';
  }
}

async function openPostgres(url: string, location: DatabaseLocation): Promise<SqlDatabase> {
  const logger = location.logger ?? silentLogger;
  const schema = location.schema ?? 'public';
  const connectionTimeoutMillis = (location.connectTimeoutSeconds ?? 5) * 1000;
  const clientConfig: pg.ClientConfig = { connectionString: url, connectionTimeoutMillis, options: `-c search_path=${schema}`, application_name: 'gatehouse', keepAlive: true };
  // query_timeout: a server that stops answering without closing the connection (a network
  // partition) would otherwise hang every request that needs it.
  const pool = new pg.Pool({ ...clientConfig, query_timeout: (location.queryTimeoutSeconds ?? 5) * 1000, max: location.poolSize ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'postgres pool client error'));
  // The pool listens for errors only on idle clients. A checked-out client whose connection
  // drops (a query in flight, or an idle client handed out just before its socket's end was
  // read) emits 'error' with no listener, which would crash the process. Its query fails
  // anyway (storage.unavailable, logged with the request) and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // The lock is held on a connection of its own, not one of the pool's: the migrations need
    // a pool connection, and with `poolSize: 1` they would wait forever for the lock's.
    const lockClient = new pg.Client(clientConfig);
    lockClient.on('error', (err) => logger.warn({ err: { message: err.message } }, 'postgres migration lock connection error'));
    await lockClient.connect();
    try {
      // One instance migrates at a time; the others wait here, then find nothing to do.
      await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [`gatehouse_migrations:${schema}`]);
      // Under the lock: concurrent `CREATE SCHEMA IF NOT EXISTS` can fail with a duplicate key.
      if (schema !== 'public') await lockClient.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      await migratePostgres(db, schema);
      await lockClient.query('SELECT pg_advisory_unlock(hashtext($1))', [`gatehouse_migrations:${schema}`]);
    } finally {
      // Ending the session also releases the lock if anything above failed.
      await lockClient.end().catch(() => undefined);
    }
  } catch (err) {
    await db.destroy();
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot open PostgreSQL at ${redactUrl(url)}: ${reason.includes(url) ? 'connection failed' : reason}`, { cause: err });
  }

  const listeners = new Set<() => void>();
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    location: `PostgreSQL at ${redactUrl(url)}${schema === 'public' ? '' : ` (schema ${schema})`}`,
    listen(channel, listener) {
      const stop = listenWithReconnect(clientConfig, channel, listener, logger);
      listeners.add(stop);
      return () => {
        listeners.delete(stop);
        stop();
      };
    },
    async ping() {
      await sql`SELECT 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const stop of listeners) stop();
      await db.destroy();
    },
  };
}

/** A LISTEN connection that reconnects with backoff (250 ms doubling to 5 s) and reports resets. */
function listenWithReconnect(config: pg.ClientConfig, channel: string, listener: ChangeListener, logger: Logger): () => void {
  let stopped = false;
  let client: pg.Client | undefined;
  let delay = 250;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client(config);
    client = c;
    const retry = () => {
      if (stopped || client !== c) return;
      client = undefined;
      listener.reset();
      c.removeAllListeners();
      c.on('error', () => undefined);
      c.end().catch(() => undefined);
      timer = setTimeout(() => void connect(), delay);
      timer.unref();
      delay = Math.min(delay * 2, 5000);
    };
    c.on('error', (err) => {
      logger.warn({ err: { message: err.message }, channel }, 'postgres change listener lost its connection; reconnecting');
      retry();
    });
    c.on('end', retry);
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) listener.message(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      delay = 250;
      // Anything changed while we were not listening is unknown: drop cached state.
      listener.reset();
    } catch {
      retry();
    }
  };
  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      c.end().catch(() => undefined);
    }
  };
}

/**
 * SQLSTATEs (invalid_schema_name, undefined_table) that Kysely's migrator hits when another
 * schema or table of the same database is dropped while it runs: it checks for its bookkeeping
 * tables by introspecting every table of every schema, calling functions that look each one
 * up again by name. Parallel test files each dropping their own schema do exactly that.
 */
const DROPPED_WHILE_INTROSPECTING = new Set(['3F000', '42P01']);

/**
 * {@link migrate} on PostgreSQL, retried (up to 10 times, briefly) when it failed only because
 * something elsewhere in the database was dropped meanwhile. Safe: the caller holds the
 * migration lock, and PostgreSQL runs the migrations in one transaction, so a failed attempt
 * left nothing behind.
 */
async function migratePostgres(db: Kysely<Database>, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, schema);
      return;
    } catch (err) {
      const code = (err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined)?.code;
      if (attempt >= 10 || typeof code !== 'string' || !DROPPED_WHILE_INTROSPECTING.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/**
 * Runs pending migrations. On PostgreSQL `schema` names the schema of the bookkeeping tables:
 * without it Kysely looks for them in every schema of the database, finds another schema's
 * (a second Gatehouse, a test) and then fails on the missing ones in its own.
 */
async function migrate(db: Kysely<Database>, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'gatehouse_migrations',
    migrationLockTableName: 'gatehouse_migrations_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error('Database migration failed', { cause: error });
}
