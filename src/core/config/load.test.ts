import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/gatehouse-error.js';
import { DEFAULT_CONFIG_FILE, defaultConfig, loadConfig } from './load.js';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const path = join(cwd, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

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

const PEPPER = 'pepper-value-that-is-long-enough-0123456789';

describe('loadConfig defaults', () => {
  it('binds to loopback on 8080 with a 100 per 60 s key rate limit', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.server.port).toBe(8080);
    expect(config.server.trustProxy).toBe(false);
    expect(config.apiKeys.defaultRateLimit).toEqual({ limit: 100, windowSeconds: 60 });
    expect(config.apiKeys.prefixes).toEqual({ live: 'gk_live', test: 'gk_test' });
    expect(config.apiKeys.pepper).toBeUndefined();
    expect(config.database.url).toBeUndefined();
  });

  it('resolves dataDir against cwd', () => {
    expect(loadConfig({ env: {}, cwd }).dataDir).toBe(join(cwd, 'data'));
    expect(loadConfig({ env: { GATEHOUSE_DATA_DIR: 'state/db' }, cwd }).dataDir).toBe(join(cwd, 'state', 'db'));
    expect(loadConfig({ env: { GATEHOUSE_DATA_DIR: '/var/lib/gh' }, cwd }).dataDir).toBe('/var/lib/gh');
  });

  it('matches defaultConfig() apart from the resolved dataDir', () => {
    const { dataDir: _d, ...loaded } = loadConfig({ env: {}, cwd });
    const { dataDir: _e, ...defaults } = defaultConfig();
    expect(loaded).toEqual(defaults);
  });
});

describe('loadConfig precedence: defaults < file < env < overrides', () => {
  it('applies each later source over the earlier ones, key by key', () => {
    writeJson(DEFAULT_CONFIG_FILE, { server: { port: 1001, host: '0.0.0.0' }, log: { level: 'warn' } });
    const env = { GATEHOUSE_PORT: '1002', GATEHOUSE_LOG_LEVEL: 'error' };

    const fileOnly = loadConfig({ env: {}, cwd });
    expect(fileOnly.server).toMatchObject({ port: 1001, host: '0.0.0.0' });
    expect(fileOnly.log.level).toBe('warn');

    const withEnv = loadConfig({ env, cwd });
    expect(withEnv.server).toMatchObject({ port: 1002, host: '0.0.0.0' });
    expect(withEnv.log.level).toBe('error');

    const withOverrides = loadConfig({ env, cwd, overrides: { server: { port: 1003 } } });
    expect(withOverrides.server).toMatchObject({ port: 1003, host: '0.0.0.0' });
    expect(withOverrides.log.level).toBe('error');
    expect(withOverrides.server.bodyLimitBytes).toBe(65_536);
  });

  it('reads an explicit config path relative to cwd', () => {
    mkdirSync(join(cwd, 'conf'));
    writeJson('conf/gh.json', { apiKeys: { defaultRateLimit: { limit: 7 } } });
    const config = loadConfig({ env: {}, cwd, configPath: 'conf/gh.json' });
    expect(config.apiKeys.defaultRateLimit).toEqual({ limit: 7, windowSeconds: 60 });
  });

  it('reads GATEHOUSE_CONFIG when no path is given', () => {
    writeJson('other.json', { server: { port: 1234 } });
    expect(loadConfig({ env: { GATEHOUSE_CONFIG: 'other.json' }, cwd }).server.port).toBe(1234);
  });

  it('coerces boolean variables', () => {
    expect(loadConfig({ env: { GATEHOUSE_API_KEY_CACHE: 'off' }, cwd }).apiKeys.cache.enabled).toBe(false);
    expect(loadConfig({ env: { GATEHOUSE_TRUST_PROXY: 'YES' }, cwd }).server.trustProxy).toBe(true);
  });

  it('ignores empty variables', () => {
    expect(loadConfig({ env: { GATEHOUSE_PORT: '' }, cwd }).server.port).toBe(8080);
  });

  it('does not freeze or change the caller’s overrides', () => {
    const overrides = { server: { port: 9 } };
    loadConfig({ env: {}, cwd, overrides });
    expect(Object.isFrozen(overrides.server)).toBe(false);
    expect(overrides).toEqual({ server: { port: 9 } });
  });
});

describe('loadConfig errors', () => {
  it('names an unknown key in the file', () => {
    writeJson(DEFAULT_CONFIG_FILE, { server: { prot: 8080 } });
    const message = configErrorOf(() => loadConfig({ env: {}, cwd }));
    expect(message).toContain('server.prot');
    expect(message).toContain('does not exist');
  });

  it('names an unknown top-level key in overrides', () => {
    expect(configErrorOf(() => loadConfig({ env: {}, cwd, overrides: { colour: 'blue' } as never }))).toContain('colour');
  });

  it('never echoes the value of an unknown key (it may be a misspelled secret)', () => {
    writeJson(DEFAULT_CONFIG_FILE, { apiKeys: { peper: PEPPER } });
    const message = configErrorOf(() => loadConfig({ env: {}, cwd }));
    expect(message).toContain('apiKeys.peper');
    expect(message).not.toContain(PEPPER);
  });

  it('GATEHOUSE_PORT=abc: one line naming the setting and the variable', () => {
    const message = configErrorOf(() => loadConfig({ env: { GATEHOUSE_PORT: 'abc' }, cwd }));
    expect(message).not.toContain('\n');
    expect(message).toContain('server.port');
    expect(message).toContain('GATEHOUSE_PORT');
    expect(message).toMatch(/integer/i);
  });

  it('GATEHOUSE_PORT=70000: one line naming the setting, the variable and the range', () => {
    const message = configErrorOf(() => loadConfig({ env: { GATEHOUSE_PORT: '70000' }, cwd }));
    expect(message).not.toContain('\n');
    expect(message).toContain('server.port');
    expect(message).toContain('GATEHOUSE_PORT');
    expect(message).toContain('65535');
  });

  it('GATEHOUSE_API_KEY_RATE_LIMIT=abc: the setting, the variable, the range and what it got, without quoting a value beside secrets', () => {
    const message = configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_RATE_LIMIT: 'abc' }, cwd }));
    expect(message).toBe(
      'Invalid configuration: apiKeys.defaultRateLimit.limit (env GATEHOUSE_API_KEY_RATE_LIMIT): Expected integer; allowed: 1 to 1000000000; got a value that is not an integer (not shown, in case it is a secret)',
    );
    expect(message).not.toContain('abc');
    // Number-shaped input holds no secret, so it is quoted even beside secrets.
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_RATE_LIMIT: '1.5' }, cwd }))).toContain('allowed: 1 to 1000000000; got "1.5"');
    // The same style as an out-of-range integer.
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_RATE_LIMIT: '0' }, cwd }))).toContain('allowed: 1 to 1000000000; got 0');
  });

  it('GATEHOUSE_PORT=abc: names the range and quotes the value outside the secret sections', () => {
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_PORT: 'abc' }, cwd }))).toBe(
      'Invalid configuration: server.port (env GATEHOUSE_PORT): Expected integer; allowed: 0 to 65535; got "abc"',
    );
  });

  it('rejects a boolean variable it cannot read', () => {
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_CACHE: 'maybe' }, cwd }))).toContain('GATEHOUSE_API_KEY_CACHE');
  });

  it('rejects an invalid log level and lists the allowed ones', () => {
    const message = configErrorOf(() => loadConfig({ env: { GATEHOUSE_LOG_LEVEL: 'loud' }, cwd }));
    expect(message).toContain('log.level');
    expect(message).toContain('debug');
  });

  it('rejects a key prefix that does not match the pattern', () => {
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_PREFIX_LIVE: 'GK-Live' }, cwd }))).toContain('apiKeys.prefixes.live');
  });

  describe('a pepper that is too short', () => {
    const short = 'short-pepper-XYZ';

    it.each([
      ['env', { env: { GATEHOUSE_API_KEY_PEPPER: short } }],
      ['overrides', { env: {}, overrides: { apiKeys: { pepper: short } } }],
    ])('from %s: names the setting and never echoes the value', (_source, options) => {
      const message = configErrorOf(() => loadConfig({ cwd, ...options }));
      expect(message).toContain('apiKeys.pepper');
      expect(message).toContain('32');
      expect(message).not.toContain(short);
    });

    it('from the file: never echoes the value', () => {
      writeJson(DEFAULT_CONFIG_FILE, { apiKeys: { pepper: short } });
      expect(configErrorOf(() => loadConfig({ env: {}, cwd }))).not.toContain(short);
    });

    it('of the wrong type: never echoes the value', () => {
      writeJson(DEFAULT_CONFIG_FILE, { apiKeys: { pepper: 123456789 } });
      expect(configErrorOf(() => loadConfig({ env: {}, cwd }))).not.toContain('123456789');
    });
  });

  it('rejects an explicit config path that does not exist', () => {
    const message = configErrorOf(() => loadConfig({ env: {}, cwd, configPath: 'missing.json' }));
    expect(message).toContain(join(cwd, 'missing.json'));
    expect(message).toContain('does not exist');
  });

  it('rejects GATEHOUSE_CONFIG naming a file that does not exist', () => {
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_CONFIG: 'nope.json' }, cwd }))).toContain('does not exist');
  });

  it('rejects a config file that is not valid JSON', () => {
    writeFileSync(join(cwd, DEFAULT_CONFIG_FILE), '{ "server": { "port": 80, } }');
    expect(configErrorOf(() => loadConfig({ env: {}, cwd }))).toContain('not valid JSON');
  });

  it('rejects a config file that holds an array', () => {
    writeJson(DEFAULT_CONFIG_FILE, [{ server: {} }]);
    expect(configErrorOf(() => loadConfig({ env: {}, cwd }))).toContain('JSON object');
  });
});

describe('GATEHOUSE_API_KEY_PEPPER_FILE', () => {
  it('reads the pepper from the file, trimming the trailing newline', () => {
    writeFileSync(join(cwd, 'pepper.txt'), `${PEPPER}\n`);
    const config = loadConfig({ env: { GATEHOUSE_API_KEY_PEPPER_FILE: 'pepper.txt' }, cwd });
    expect(config.apiKeys.pepper).toBe(PEPPER);
  });

  it('rejects setting both the variable and the file', () => {
    writeFileSync(join(cwd, 'pepper.txt'), PEPPER);
    const message = configErrorOf(() =>
      loadConfig({ env: { GATEHOUSE_API_KEY_PEPPER: PEPPER, GATEHOUSE_API_KEY_PEPPER_FILE: 'pepper.txt' }, cwd }),
    );
    expect(message).toContain('GATEHOUSE_API_KEY_PEPPER_FILE');
    expect(message).not.toContain(PEPPER);
  });

  it('rejects a file it cannot read, naming the variable', () => {
    expect(configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_PEPPER_FILE: 'absent.txt' }, cwd }))).toContain(
      'GATEHOUSE_API_KEY_PEPPER_FILE',
    );
  });

  it('validates a short pepper from the file without echoing it', () => {
    writeFileSync(join(cwd, 'pepper.txt'), 'tiny-pepper');
    const message = configErrorOf(() => loadConfig({ env: { GATEHOUSE_API_KEY_PEPPER_FILE: 'pepper.txt' }, cwd }));
    expect(message).toContain('apiKeys.pepper');
    expect(message).not.toContain('tiny-pepper');
  });
});

describe('the loaded configuration', () => {
  it('is deep-frozen', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.apiKeys)).toBe(true);
    expect(Object.isFrozen(config.apiKeys.prefixes)).toBe(true);
    expect(Object.isFrozen(config.apiKeys.defaultRateLimit)).toBe(true);
    expect(Object.isFrozen(config.apiKeys.cache)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(config.server.port).toBe(8080);
  });
});
