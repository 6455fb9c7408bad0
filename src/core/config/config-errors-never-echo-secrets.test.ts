/**
 * Invariant: an error about the configuration never quotes a secret. Configuration errors go
 * to the terminal, to CI logs and to process supervisors' logs, which are far less guarded
 * than the secrets themselves; a database or Redis URL carries a password, and the pepper is
 * a secret outright. So an error quotes a rejected value only when it is a number or a
 * boolean, or a string outside the `database`, `redis` and `apiKeys` sections that contains
 * neither `://` nor `@`; anything else is named by its setting only. The same holds for a
 * config file that is not valid JSON, for a `GATEHOUSE_*` variable that cannot be read, and
 * for a database URL whose scheme Gatehouse does not support. A Redis URL without a
 * `redis://` or `rediss://` scheme is refused at start instead of being taken for a socket
 * path (and logged as one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSqlitePath } from '../../storage/sql/database.js';
import { ConfigError } from '../errors/gatehouse-error.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from './load.js';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'gatehouse-config-secrets-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** Runs `fn`, expects a ConfigError and returns its message. */
function configErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

function fromFile(value: unknown): string {
  writeFileSync(join(cwd, DEFAULT_CONFIG_FILE), JSON.stringify(value));
  return configErrorOf(() => loadConfig({ env: {}, cwd }));
}

const PASSWORD = 'pw-Zq8sV3';

describe('configuration errors never echo secrets', () => {
  it.each<[string, unknown]>([
    ['a database URL in place of the database section', { database: `postgres://u:${PASSWORD}@h/db` }],
    ['a Redis URL in place of the redis section', { redis: `redis://:${PASSWORD}@h:6379` }],
    ['a database URL of the wrong type inside its section', { database: { poolSize: `postgres://u:${PASSWORD}@h/db` } }],
    ['a pepper in place of the apiKeys section', { apiKeys: `${PASSWORD}-0123456789-0123456789-0123456789` }],
    ['a connection string in an unrelated setting', { server: { bodyLimitBytes: `postgres://u:${PASSWORD}@h/db` } }],
    ['a user@host string in an unrelated setting', { server: { port: `u:${PASSWORD}@h` } }],
    ['a connection string as a log level', { log: { level: `u:${PASSWORD}@h` } }],
    ['an object holding a secret', { server: { port: { url: `postgres://u:${PASSWORD}@h/db` } } }],
  ])('%s', (_name, value) => {
    const message = fromFile(value);
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain('; got');
  });

  it('still echoes a harmless value where it helps', () => {
    expect(fromFile({ server: { port: 70_000 } })).toContain('; got 70000');
    expect(fromFile({ server: { trustProxy: 'yes' } })).toContain('; got "yes"');
    expect(fromFile({ log: { level: 'loud' } })).toContain('; got "loud"');
  });

  it('a GATEHOUSE_* variable that cannot be read is not echoed when it looks like a credential', () => {
    const pool = configErrorOf(() => loadConfig({ env: { GATEHOUSE_DATABASE_POOL_SIZE: `postgres://u:${PASSWORD}@h/db` }, cwd }));
    expect(pool).toContain('GATEHOUSE_DATABASE_POOL_SIZE');
    expect(pool).not.toContain(PASSWORD);
    const port = configErrorOf(() => loadConfig({ env: { GATEHOUSE_PORT: `redis://:${PASSWORD}@h` }, cwd }));
    expect(port).not.toContain(PASSWORD);
    const cache = configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_CACHE: PASSWORD }, cwd }));
    expect(cache).not.toContain(PASSWORD);
    const limit = configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_RATE_LIMIT: PASSWORD }, cwd }));
    expect(limit).toContain('GATEHOUSE_API_KEY_RATE_LIMIT');
    expect(limit).toContain('allowed: 1 to 1000000000');
    expect(limit).not.toContain(PASSWORD);
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_PORT: 'abc' }, cwd }))).toContain('; got "abc"');
  });

  it('a config file that is not JSON is located, not quoted', () => {
    writeFileSync(join(cwd, DEFAULT_CONFIG_FILE), `{"database": {"url": postgres://u:${PASSWORD}@h/db}}`);
    const unquoted = configErrorOf(() => loadConfig({ env: {}, cwd }));
    expect(unquoted).toContain('not valid JSON');
    expect(unquoted).not.toContain('postgres');
    expect(unquoted).not.toContain(PASSWORD);
    writeFileSync(join(cwd, DEFAULT_CONFIG_FILE), `{"database": {"url": "postgres://u:${PASSWORD}@h/db"}\n "x": 1}`);
    const missingComma = configErrorOf(() => loadConfig({ env: {}, cwd }));
    expect(missingComma).toContain('line 2');
    expect(missingComma).not.toContain(PASSWORD);
  });

  it('a Redis URL without its scheme is refused at load, without echo', () => {
    for (const url of [`redis//:${PASSWORD}@host:6379`, `:${PASSWORD}@host:6379`, `/tmp/${PASSWORD}.sock`, `http://:${PASSWORD}@host`]) {
      const viaEnv = configErrorOf(() => loadConfig({ env: { GATEHOUSE_REDIS_URL: url }, cwd }));
      expect(viaEnv).toContain('redis.url');
      expect(viaEnv).not.toContain(PASSWORD);
      expect(fromFile({ redis: { url: url } })).not.toContain(PASSWORD);
    }
    expect(loadConfig({ env: { GATEHOUSE_REDIS_URL: 'rediss://:pw@host:6380/1' }, cwd }).redis.url).toBe('rediss://:pw@host:6380/1');
    expect(loadConfig({ env: { GATEHOUSE_REDIS_URL: 'redis://127.0.0.1:6379' }, cwd }).redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('a database URL with an unsupported scheme is refused without any part of it', () => {
    for (const url of [`postgress://u:${PASSWORD}@h/db`, `postgres//u:${PASSWORD}@h/db`, `u:${PASSWORD}@h`, `${PASSWORD}:x`]) {
      const message = configErrorOf(() => resolveSqlitePath({ url, dataDir: cwd }));
      expect(message).toContain('database.url');
      expect(message).toContain('allowed');
      expect(message).not.toContain(PASSWORD);
      expect(message).not.toContain('postgress');
      expect(message).not.toContain('postgres//');
      expect(message).not.toContain('"u');
    }
  });
});
