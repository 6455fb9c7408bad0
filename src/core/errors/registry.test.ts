import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, GatehouseError, InsufficientScopeError, RateLimitedError, isGatehouseError, type RateLimitState } from './gatehouse-error.js';
import { errorCodes, errorRegistry } from './registry.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

/** Every *.test.ts under src/ and test/ except this one (which iterates the codes). */
function testFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['src', 'test']) {
    let entries: string[];
    try {
      entries = readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(ROOT, dir, entry);
      if (entry.endsWith('.test.ts') && path !== THIS_FILE) files.push(path);
    }
  }
  return files;
}

const state = (resetSeconds: number): RateLimitState => ({ policy: 'api_key', limit: 10, remaining: 0, resetSeconds, windowSeconds: 60 });

describe('errorRegistry', () => {
  it('lists every code once, in domain.problem snake_case (or `internal`)', () => {
    expect(errorCodes.length).toBeGreaterThan(0);
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    for (const code of errorCodes) expect(code).toMatch(/^([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*|internal)$/);
  });

  it.each(errorCodes)('%s has an HTTP error status, a title and a public message', (code) => {
    const entry = errorRegistry[code];
    expect(Number.isInteger(entry.status)).toBe(true);
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThan(600);
    expect(entry.title.trim()).not.toBe('');
    expect(entry.publicMessage.trim()).not.toBe('');
  });

  describe('docs/errors.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');

    it.each(errorCodes)('has a row for %s with its status', (code) => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `no row for ${code}`).toBeDefined();
      expect(row!.split('|').map((cell) => cell.trim())[2]).toBe(String(errorRegistry[code].status));
    });

    it('documents no code that is not registered', () => {
      const documented = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
      expect(documented.sort()).toEqual([...errorCodes].sort());
    });

    it('gives the problem type URI scheme', () => {
      expect(doc).toContain('https://gatehouse.dev/errors/<code>');
    });
  });

  it('every code is referenced by at least one test file under src/ or test/', () => {
    const sources = testFiles().map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const missing = errorCodes.filter((code) => !sources.some(({ text }) => text.includes(`'${code}'`) || text.includes(`"${code}"`)));
    expect(missing, `codes no test names; test files: ${sources.map((s) => relative(ROOT, s.path)).join(', ')}`).toEqual([]);
  });
});

describe('GatehouseError', () => {
  it('takes status, title and message from the registry', () => {
    const err = new GatehouseError('api_key.conflict');
    expect(err.code).toBe('api_key.conflict');
    expect(err.status).toBe(409);
    expect(err.title).toBe(errorRegistry['api_key.conflict'].title);
    expect(err.message).toBe(errorRegistry['api_key.conflict'].publicMessage);
    expect(err).toBeInstanceOf(Error);
    expect(isGatehouseError(err)).toBe(true);
  });

  it.each(errorCodes)('%s: message is the public message and status comes from the registry', (code) => {
    const err = new GatehouseError(code);
    expect(err.message).toBe(errorRegistry[code].publicMessage);
    expect(err.status).toBe(errorRegistry[code].status);
  });

  it('keeps detail and cause private: neither reaches the message', () => {
    const cause = new Error('SQLITE_BUSY: database is locked at /var/lib/gatehouse.db');
    const err = new GatehouseError('storage.unavailable', { detail: 'api_keys.insert failed', cause });
    expect(err.message).toBe(errorRegistry['storage.unavailable'].publicMessage);
    expect(err.detail).toBe('api_keys.insert failed');
    expect(err.cause).toBe(cause);
    expect(err.message).not.toContain('SQLITE');
    expect(err.message).not.toContain('insert');
  });

  it('accepts a more specific public message without changing the status', () => {
    const err = new GatehouseError('request.invalid', { publicMessage: 'limit must be an integer from 1 to 100.' });
    expect(err.message).toBe('limit must be an integer from 1 to 100.');
    expect(err.status).toBe(400);
  });

  it('has no cause property when none is given', () => {
    expect('cause' in new GatehouseError('internal')).toBe(false);
  });
});

describe('RateLimitedError', () => {
  it('is rate_limit.exceeded (429) and carries the limit state', () => {
    const err = new RateLimitedError(state(30));
    expect(err.code).toBe('rate_limit.exceeded');
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(30);
    expect(err.rateLimit).toEqual(state(30));
    expect(err).toBeInstanceOf(GatehouseError);
  });

  it.each([0, -5, 0.2])('never asks to retry after less than 1 second (resetSeconds %s)', (resetSeconds) => {
    expect(new RateLimitedError(state(resetSeconds)).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});

describe('InsufficientScopeError', () => {
  it('is auth.insufficient_scope (403) with the scopes space-separated (RFC 6750 §3)', () => {
    const err = new InsufficientScopeError(['orders:read', 'orders:write']);
    expect(err.code).toBe('auth.insufficient_scope');
    expect(err.status).toBe(403);
    expect(err.scope).toBe('orders:read orders:write');
    expect(err).toBeInstanceOf(GatehouseError);
  });
});

describe('ConfigError', () => {
  it('is not a GatehouseError, so it never maps to an HTTP response', () => {
    const err = new ConfigError('Invalid configuration: server.port');
    expect(isGatehouseError(err)).toBe(false);
    expect(err.name).toBe('ConfigError');
  });
});
