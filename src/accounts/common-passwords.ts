import { readFileSync } from 'node:fs';

/**
 * The bundled list of commonly used passwords (`assets/common-passwords.txt`, 49,233 entries
 * from the zxcvbn-ts password dictionary; source and licence in
 * `assets/common-passwords.SOURCE.md`). The path is the same relative to `src/accounts/` and
 * to `dist/accounts/`.
 */
export const COMMON_PASSWORDS_URL = new URL('../../assets/common-passwords.txt', import.meta.url);

let cached: ReadonlySet<string> | undefined;

/**
 * The common-password list as a set of NFKC, lower-cased entries, read from disk once per
 * process on first use (about 50,000 entries, a few MB of memory).
 *
 * @throws {Error} when the bundled file is missing (a broken installation; fails at start-up)
 */
export function loadCommonPasswords(): ReadonlySet<string> {
  if (!cached) {
    const set = new Set<string>();
    for (const line of readFileSync(COMMON_PASSWORDS_URL, 'utf8').split('\n')) {
      const entry = line.trim().normalize('NFKC').toLowerCase();
      if (entry !== '') set.add(entry);
    }
    cached = set;
  }
  return cached;
}
