import { createHash } from 'node:crypto';
import { createMemoryAuditLog } from '../../src/audit/audit-log.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config/load.js';
import type { GatehouseConfigInput } from '../../src/core/config/schema.js';
import type { RandomSource } from '../../src/core/crypto/random.js';
import type { AuthEvent } from '../../src/core/events.js';
import type { Logger } from '../../src/core/logger.js';
import type { MailMessage, MailSender } from '../../src/mail/types.js';
import { createAccountService, type AccountService } from '../../src/accounts/service.js';
import type { AccountStore } from '../../src/accounts/store.js';
import type { SessionRevoker } from '../../src/accounts/types.js';
import { createMemoryCounterStore } from '../../src/storage/counters/memory.js';
import { createSqlAccountStore } from '../../src/storage/sql/account-store.js';
import { openDatabase, type SqlDatabase } from '../../src/storage/sql/database.js';
import { tmpdir } from 'node:os';

/** 2026-01-01T00:00:00Z. */
export const START = Date.UTC(2026, 0, 1);

/** Cheap argon2id parameters for tests that are not about the parameters (OWASP's take ~7 ms a hash here). */
export const FAST_ARGON2 = { memoryKiB: 7168, iterations: 1, parallelism: 1 } as const;

/** A passphrase that passes the default policy. */
export const GOOD_PASSWORD = 'correct horse battery staple';

/** Deterministic random bytes from a seed (SHA-256 in counter mode). */
export function seededRandom(seed: string): RandomSource & { calls: number } {
  let counter = 0;
  const source = {
    calls: 0,
    bytes(size: number) {
      source.calls++;
      const out = Buffer.alloc(size);
      for (let offset = 0; offset < size; ) offset += createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, offset);
      return out;
    },
  };
  return source;
}

/** A mail sender that keeps every message in memory. */
export function memoryMailSender(): MailSender & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    send(message) {
      sent.push(message);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

/** The token in the first link of a message body, or undefined. */
export function tokenFromMail(message: MailMessage | undefined): string | undefined {
  return message?.text.match(/[?&]token=([A-Za-z0-9_-]+)/)?.[1];
}

/** Everything an accounts unit test needs, over in-memory SQLite. */
export interface AccountsFixture {
  accounts: AccountService;
  store: AccountStore;
  database: SqlDatabase;
  clock: ManualClock;
  random: ReturnType<typeof seededRandom>;
  events: AuthEvent[];
  mail: ReturnType<typeof memoryMailSender>;
  /** Every call of the session revoker. */
  revocations: Array<{ userId: string; reason: string }>;
  logLines: Array<{ level: string; obj: object; msg?: string }>;
  close(): Promise<void>;
}

/** Builds the account service over `sqlite::memory:` with a manual clock, seeded random, memory audit and mail. */
export async function accountsFixture(overrides: GatehouseConfigInput['accounts'] = {}, options: { store?: (store: AccountStore) => AccountStore } = {}): Promise<AccountsFixture> {
  const clock = createManualClock(START);
  const random = seededRandom('accounts-fixture');
  const audit = createMemoryAuditLog({ clock });
  const mail = memoryMailSender();
  const revocations: AccountsFixture['revocations'] = [];
  const sessions: SessionRevoker = {
    revokeAllForUser(userId, reason) {
      revocations.push({ userId, reason });
      return Promise.resolve(2);
    },
  };
  const logLines: AccountsFixture['logLines'] = [];
  const logger: Logger = {
    info: (obj, msg) => logLines.push({ level: 'info', obj, ...(msg !== undefined ? { msg } : {}) }),
    warn: (obj, msg) => logLines.push({ level: 'warn', obj, ...(msg !== undefined ? { msg } : {}) }),
    error: (obj, msg) => logLines.push({ level: 'error', obj, ...(msg !== undefined ? { msg } : {}) }),
  };
  const config = loadConfig({ env: {}, cwd: tmpdir(), overrides: { accounts: { argon2: FAST_ARGON2, ...overrides } } });
  const database = await openDatabase({ url: 'sqlite::memory:', dataDir: tmpdir() });
  const counters = createMemoryCounterStore({ clock });
  const sqlStore = createSqlAccountStore(database);
  const store = options.store ? options.store(sqlStore) : sqlStore;
  const accounts = createAccountService({
    store,
    counters,
    audit,
    clock,
    random,
    config: config.accounts,
    mail,
    publicUrl: 'https://auth.example.com',
    sessions,
    logger,
  });
  return {
    accounts,
    store,
    database,
    clock,
    random,
    events: audit.events,
    mail,
    revocations,
    logLines,
    async close() {
      await accounts.close();
      await counters.close();
      await database.close();
    },
  };
}
