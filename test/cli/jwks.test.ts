import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliSequence, type CliResult } from '../helpers/cli.js';

const TIMEOUT = 300_000;

describe('gatehouse jwks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-jwks-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped view of CLI output under test
  const json = (r: CliResult): any => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it(
    'list shows the first key; rotate publishes a pending successor; a second rotate is refused; events go to stderr',
    async () => {
      const env = { GATEHOUSE_DATA_DIR: join(dir, 'data'), GATEHOUSE_JWT_PRE_PUBLISH_SECONDS: '600' };
      const [list1, rotate, again, list2, table] = await runCliSequence(
        [
          ['jwks', 'list', '--json'],
          ['jwks', 'rotate', '--json'],
          ['jwks', 'rotate'],
          ['jwks', 'list', '--json'],
          ['jwks', 'list'],
        ],
        { cwd: dir, env },
      );
      const first = json(list1!).items;
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ alg: 'RS256', generation: 1, state: 'active', retires_at: null });
      const created = json(rotate!);
      expect(created).toMatchObject({ generation: 2, state: 'pending' });
      // Activation is 600 s after the rotate call; the key is stamped once generated (RSA takes a moment).
      expect(Date.parse(created.activates_at) - Date.parse(created.created_at)).toBeGreaterThan(590_000);
      expect(Date.parse(created.activates_at) - Date.parse(created.created_at)).toBeLessThanOrEqual(600_000);
      expect(rotate!.stderr).toMatch(/"type":"signing_key\.create"/);
      expect(rotate!.stderr).toMatch(/"actor":\{"type":"cli"/);
      expect(again!.code).toBe(1);
      expect(again!.stderr.trim()).toMatch(/^gatehouse: error: A signing key rotation is already pending.*\(signing_key\.rotation_pending\)$/);
      const both = json(list2!).items;
      expect(both.map((k: { state: string }) => k.state)).toEqual(['active', 'pending']);
      expect(both[0].retires_at).toBe(created.activates_at);
      expect(table!.stdout).toMatch(/^KID\s+ALG\s+GEN\s+STATE/);
      expect(JSON.stringify([list1, rotate, list2, table])).not.toMatch(/gh-kek1|"d":/);
      // The generated key-encryption key is private to its owner.
      expect(statSync(join(dir, 'data', 'jwt-key-encryption.key')).mode & 0o777).toBe(0o600);
    },
    TIMEOUT,
  );
});
