import { createApiKeyService, type ApiKeyService } from './api-keys/service.js';
import { createAuditLog } from './audit/audit-log.js';
import { systemClock, type Clock } from './core/clock.js';
import { loadConfig } from './core/config/load.js';
import type { GatehouseConfig, GatehouseConfigInput } from './core/config/schema.js';
import { secureRandom, type RandomSource } from './core/crypto/random.js';
import type { AuditLog } from './core/events.js';
import { silentLogger, type Logger } from './core/logger.js';
import type { CounterStore } from './rate-limit/store.js';
import { createMemoryCounterStore } from './storage/counters/memory.js';
import { createRedisCounterStore } from './storage/counters/redis.js';
import { createSqlApiKeyStore } from './storage/sql/api-key-store.js';
import { openDatabase, redactUrl, type SqlDatabase } from './storage/sql/database.js';

/** Options of {@link createGatehouse}. */
export interface CreateGatehouseOptions {
  /**
   * Configuration: a validated config (from {@link loadConfig}) or a partial one, merged over
   * defaults, `gatehouse.config.json` and `GATEHOUSE_*` variables. Default: `{}`.
   */
  config?: Readonly<GatehouseConfig> | GatehouseConfigInput;
  /** Injected time source. Default: the wall clock. */
  clock?: Clock;
  /** Injected randomness. Default: `crypto.randomBytes`. */
  random?: RandomSource;
  /** Where auth events go. Default: a pino JSON-lines log at `config.audit.destination`. */
  audit?: AuditLog;
  /** Operational logger. Default: silent. */
  logger?: Logger;
  /** Counters backend. Default: in memory. */
  counters?: CounterStore;
}

/** A running Gatehouse core: every service, in process, with no HTTP. */
export interface Gatehouse {
  config: Readonly<GatehouseConfig>;
  apiKeys: ApiKeyService;
  audit: AuditLog;
  clock: Clock;
  /** Storage location, for start-up messages (no credentials). */
  storageLocation: string;
  /** Counters backend, for start-up messages (no credentials). */
  countersLocation: string;
  /** Checks every backing service; never rejects. `ok` is true when all answer. */
  ready(): Promise<{ ok: boolean; checks: { storage: 'ok' | 'unavailable'; counters: 'ok' | 'unavailable' } }>;
  /** Flushes pending writes and events, then closes connections. */
  close(): Promise<void>;
}

function isFullConfig(config: CreateGatehouseOptions['config']): config is Readonly<GatehouseConfig> {
  return typeof config === 'object' && Object.isFrozen(config);
}

/**
 * Opens storage (running migrations), counters and the audit log, and builds the services.
 *
 * @throws {ConfigError} for invalid configuration
 * @example
 * const gatehouse = await createGatehouse({ config: { database: { url: 'sqlite::memory:' } } });
 * const { key } = await gatehouse.apiKeys.create({ name: 'ci', scopes: ['deploy'] });
 * await gatehouse.close();
 */
export async function createGatehouse(options: CreateGatehouseOptions = {}): Promise<Gatehouse> {
  const config = isFullConfig(options.config) ? options.config : loadConfig({ overrides: options.config ?? {} });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? secureRandom;
  const logger = options.logger ?? silentLogger;
  const audit = options.audit ?? createAuditLog({ destination: config.audit.destination, clock, logger });
  const database: SqlDatabase = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    schema: config.database.schema,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    queryTimeoutSeconds: config.database.queryTimeoutSeconds,
    logger,
  });
  let counters: CounterStore;
  try {
    counters =
      options.counters ??
      (config.redis.url
        ? await createRedisCounterStore({ url: config.redis.url, clock, keyPrefix: config.redis.keyPrefix, commandTimeoutMs: config.redis.commandTimeoutMs, logger })
        : createMemoryCounterStore({ clock }));
  } catch (err) {
    await database.close();
    throw err;
  }
  const apiKeys = createApiKeyService({
    store: createSqlApiKeyStore(database, { schema: config.database.schema }),
    counters,
    audit,
    clock,
    random,
    config: config.apiKeys,
    logger,
  });
  let closed = false;
  return {
    config,
    apiKeys,
    audit,
    clock,
    storageLocation: database.location,
    countersLocation: options.counters ? 'custom' : config.redis.url ? `Redis at ${redactUrl(config.redis.url)}` : 'in memory',
    async ready() {
      const [storage, countersCheck] = await Promise.all([
        database.ping().then(() => 'ok' as const, () => 'unavailable' as const),
        counters.ping().then(() => 'ok' as const, () => 'unavailable' as const),
      ]);
      return { ok: storage === 'ok' && countersCheck === 'ok', checks: { storage, counters: countersCheck } };
    },
    async close() {
      if (closed) return;
      closed = true;
      await apiKeys.close();
      await counters.close();
      await database.close();
      await audit.flush();
    },
  };
}
