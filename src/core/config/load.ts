import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../errors/gatehouse-error.js';
import { envVariables, type EnvVariable } from './env.js';
import { configSchema, type GatehouseConfig, type GatehouseConfigInput } from './schema.js';

/** The default configuration file, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'gatehouse.config.json';

/** Where configuration comes from; later sources win: defaults, file, environment, overrides. */
export interface LoadConfigOptions {
  /** Path of a JSON config file. Must exist when given. Default: `gatehouse.config.json` if present. */
  configPath?: string | undefined;
  /** Environment to read `GATEHOUSE_*` variables from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Highest-precedence values, e.g. from CLI flags or a library caller. */
  overrides?: GatehouseConfigInput;
  /** Directory relative paths are resolved against. Default: `process.cwd()`. */
  cwd?: string;
}

/** The defaults, derived from the schema's `default` annotations. */
export function defaultConfig(): GatehouseConfig {
  return Value.Default(configSchema, {}) as GatehouseConfig;
}

/**
 * Loads, merges, validates and deep-freezes the configuration.
 * Order: defaults, file, `GATEHOUSE_*` environment, `overrides`.
 *
 * @throws {ConfigError} with one line naming the setting and what is allowed, for an unknown
 *   key, a wrong type or an out-of-range value. Secret values are never echoed.
 * @example
 * const config = loadConfig({ overrides: { server: { port: 0 } } });
 */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<GatehouseConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configPath = options.configPath ?? env.GATEHOUSE_CONFIG;

  let merged: Record<string, unknown> = {};
  const fileValue = readConfigFile(configPath, cwd);
  if (fileValue) merged = deepMerge(merged, fileValue);
  merged = deepMerge(merged, readEnv(env, cwd));
  if (options.overrides) merged = deepMerge(merged, options.overrides);

  const candidate = Value.Default(configSchema, structuredClone(merged));
  const firstError = Value.Errors(configSchema, candidate).First();
  if (firstError) {
    const path = firstError.path.replace(/^\//, '').split('/').join('.');
    const envVar = envVariables.find((v) => v.path.join('.') === path);
    const isSecret = envVar && 'secret' in envVar && envVar.secret;
    // An unknown key may be a misspelled secret (`peper`), so its value is never echoed either.
    const unknownKey = firstError.message.startsWith('Unexpected property');
    const shown = isSecret || unknownKey || !isEchoable(path, firstError.value) ? '' : `; got ${JSON.stringify(firstError.value)}`;
    const where = envVar ? ` (env ${envVar.name})` : '';
    throw new ConfigError(`Invalid configuration: ${path || '(root)'}${where}: ${describeError(firstError.message, firstError.schema)}${shown}`);
  }
  const config = candidate as GatehouseConfig;
  checkTrustedProxies(config.server.trustProxy);
  config.dataDir = resolve(cwd, config.dataDir);
  return deepFreeze(config);
}

/** Range names Fastify's `trustProxy` (proxy-addr) understands besides addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Each `server.trustProxy` entry must be an IP address, a CIDR range with a prefix that fits
 * the address family, or a range name; Fastify would otherwise throw on its first request.
 */
function checkTrustedProxies(trustProxy: GatehouseConfig['server']['trustProxy']): void {
  if (!Array.isArray(trustProxy)) return;
  for (const entry of trustProxy) {
    if (PROXY_RANGE_NAMES.has(entry)) continue;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(
        `Invalid configuration: server.trustProxy (env GATEHOUSE_TRUST_PROXY): ${JSON.stringify(entry)} is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`,
      );
    }
  }
}

/** Sections whose settings are, or may embed, credentials (connection URLs, the pepper). */
const SECRET_SECTIONS = new Set(['database', 'redis', 'apiKeys', 'mail', 'defense', 'jwt']);

/**
 * Whether a rejected value may be quoted in an error: numbers and booleans, and strings that
 * are neither under a section holding credentials nor shaped like a URL or `user@host`
 * (a connection string put in the wrong place). Nothing else: objects, arrays and null
 * may contain any of those.
 */
function isEchoable(path: string, value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'string') return false;
  return !SECRET_SECTIONS.has(path.split('.')[0] ?? '') && !value.includes('://') && !value.includes('@');
}

function describeError(message: string, schema: unknown): string {
  const s = (schema ?? {}) as { description?: string; minimum?: number; maximum?: number; minLength?: number; pattern?: string };
  const parts = [message];
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`allowed: ${s.minimum ?? '-∞'} to ${s.maximum ?? '∞'}`);
  if (s.pattern) parts.push(`allowed: /${s.pattern}/`);
  if (s.minLength !== undefined && s.minLength > 1) parts.push(`at least ${s.minLength} characters`);
  if (message.startsWith('Expected union') && s.description) parts.push(s.description);
  if (message.startsWith('Unexpected property')) parts.push('this setting does not exist (see docs/configuration.md)');
  return parts.join('; ');
}

function readConfigFile(configPath: string | undefined, cwd: string): Record<string, unknown> | undefined {
  const explicit = configPath !== undefined && configPath !== '';
  const path = resolve(cwd, explicit ? configPath : DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`Invalid configuration: config file ${path} does not exist`);
    return undefined;
  }
  let parsed: unknown;
  const text = readFileSync(path, 'utf8');
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8's message may quote the text around the mistake, which can be a secret: give only where it is.
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    throw new ConfigError(`Invalid configuration: config file ${path} is not valid JSON${position === undefined ? '' : ` (${lineAndColumn(text, Number(position))})`}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Invalid configuration: config file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

function readEnv(env: Readonly<Record<string, string | undefined>>, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const variable of envVariables as readonly EnvVariable[]) {
    let raw = env[variable.name];
    const fileVar = `${variable.name}_FILE`;
    if (variable.secret && env[fileVar]) {
      if (raw !== undefined && raw !== '') throw new ConfigError(`Invalid configuration: set ${variable.name} or ${fileVar}, not both`);
      const filePath = resolve(cwd, env[fileVar]);
      try {
        raw = readFileSync(filePath, 'utf8').trim();
      } catch {
        throw new ConfigError(`Invalid configuration: ${fileVar}: cannot read ${filePath}`);
      }
    }
    if (raw === undefined || raw === '') continue;
    setPath(out, variable.path, coerce(variable, raw));
  }
  return out;
}

function coerce(variable: EnvVariable, raw: string): unknown {
  switch (variable.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(raw.trim())) {
        throw new ConfigError(`Invalid configuration: ${variable.path.join('.')} (env ${variable.name}): ${describeError('Expected integer', schemaAt(variable.path))}${shownNonInteger(variable, raw)}`);
      }
      return Number(raw.trim());
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new ConfigError(`Invalid configuration: ${variable.path.join('.')} (env ${variable.name}): Expected one of true, false, 1, 0, yes, no, on, off${shownRaw(variable, raw)}`);
    }
    case 'list':
      return splitList(raw);
    case 'boolean-or-list': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      return splitList(raw);
    }
    default:
      return raw;
  }
}

/** A comma- (or newline-) separated list, entries trimmed, empty ones dropped. */
function splitList(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * What an integer variable got instead of an integer. Quoted under the rule of
 * {@link isEchoable}, or when it is only digits and number punctuation (`1.5`, `10,000`: no
 * secret looks like that); otherwise described without the value, since a setting beside
 * credentials may have received one by mistake.
 */
function shownNonInteger(variable: EnvVariable, raw: string): string {
  const shown = shownRaw(variable, raw);
  if (shown !== '' || variable.secret) return shown;
  if (/^[0-9.,_eE+\- ]{1,20}$/.test(raw)) return `; got ${JSON.stringify(raw)}`;
  return '; got a value that is not an integer (not shown, in case it is a secret)';
}

/** The schema of a setting (for its allowed range), or undefined when the path has none. */
function schemaAt(path: readonly string[]): unknown {
  let node: unknown = configSchema;
  for (const key of path) node = (node as { properties?: Record<string, unknown> } | undefined)?.properties?.[key];
  return node;
}

function shownRaw(variable: EnvVariable, raw: string): string {
  return variable.secret || !isEchoable(variable.path.join('.'), raw) ? '' : `; got ${JSON.stringify(raw)}`;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (isPlainObject(value) || Array.isArray(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
