import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS_URL, loadCommonPasswords } from './common-passwords.js';

describe('the bundled common-password list', () => {
  it('holds at least 10,000 distinct entries, most common first', () => {
    const lines = readFileSync(COMMON_PASSWORDS_URL, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(10_000);
    expect(lines.slice(0, 2)).toEqual(['123456', 'password']);
    expect(loadCommonPasswords().size).toBe(lines.length);
  });

  it('is the file documented in SOURCE (same SHA-256)', () => {
    const source = readFileSync(new URL('../../assets/common-passwords.SOURCE.md', import.meta.url), 'utf8');
    const digest = createHash('sha256').update(readFileSync(COMMON_PASSWORDS_URL)).digest('hex');
    expect(source).toContain(digest);
    expect(source).toMatch(/Licence: MIT/);
  });

  it('loads once into a Set of NFKC lower-cased entries', () => {
    const set = loadCommonPasswords();
    expect(loadCommonPasswords()).toBe(set);
    expect(set.has('qwertyuiop')).toBe(true);
    for (const entry of [...set].slice(0, 500)) expect(entry).toBe(entry.normalize('NFKC').toLowerCase());
  });
});
