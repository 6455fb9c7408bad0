import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/core/crypto/hash.js';
import { RAW_KEY, runCli, runCliSequence, type CliResult } from '../helpers/cli.js';

const TIMEOUT = 300_000;

describe('gatehouse keys', () => {
  let dir: string;
  const env = () => ({ GATEHOUSE_DATA_DIR: join(dir, 'data') });
  const cli = (...args: string[]) => runCli(['keys', ...args], { cwd: dir, env: env() });
  /** Runs several `gatehouse keys …` commands in turn; one result per command. */
  const clis = async <T extends string[][]>(...runs: T): Promise<{ [K in keyof T]: CliResult }> =>
    (await runCliSequence(
      runs.map((args) => ['keys', ...args]),
      { cwd: dir, env: env() },
    )) as { [K in keyof T]: CliResult };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped view of CLI output under test
  const json = (r: CliResult): any => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  /** Asserts a failure: a non-zero exit and exactly one line on stderr. */
  const expectOneLineError = (r: CliResult, pattern: RegExp) => {
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stdout).toBe('');
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('create --json prints one parseable JSON object with id and key; events go to stderr without the key', async () => {
    const r = await cli('create', '--name', 'ci', '--scopes', 'admin', '--json');
    const created = json(r);
    expect(created.id).toMatch(/^key_[0-9A-Z]{26}$/);
    expect(created.key).toMatch(/^gk_live_[0-9A-Za-z]{49}$/);
    expect(created).toMatchObject({ name: 'ci', scopes: ['admin'], start: created.key.slice(0, 16) });
    expect(r.stdout.match(RAW_KEY)).toHaveLength(1);
    // stdout is the JSON object and nothing else; the audit event went to stderr.
    expect(r.stdout.trim().startsWith('{')).toBe(true);
    expect(r.stdout).not.toContain('api_key.create');
    expect(r.stderr).toContain('"api_key.create"');
    expect(r.stderr).not.toContain(created.key);
    expect(r.stderr).not.toContain(hashSecret(created.key, undefined));
  }, TIMEOUT);

  it('the full cycle: create, list, show, update, rotate, revoke, with --json and as tables', async () => {
    const created = json(
      await cli('create', '--name', 'worker', '--scopes', 'orders:read,orders:write', '--owner', 'team-a', '--metadata', '{"env":"ci"}', '--rate-limit', '50/1m', '--expires-in', '30d', '--environment', 'test', '--json'),
    );
    expect(created).toMatchObject({
      name: 'worker',
      scopes: ['orders:read', 'orders:write'],
      owner_id: 'team-a',
      metadata: { env: 'ci' },
      rate_limit: { limit: 50, window_seconds: 60 },
      environment: 'test',
    });
    expect(created.key).toMatch(/^gk_test_/);
    // The CLI reads the wall clock more than once while creating, so allow a second of drift.
    expect(Math.abs(Date.parse(created.expires_at) - Date.parse(created.created_at) - 30 * 86_400_000)).toBeLessThan(1000);
    const { id, key } = created as { id: string; key: string };

    const [listJson, listTable, showJson, showTable] = await clis(['list', '--json'], ['list'], ['show', id, '--json'], ['show', id]);
    const listed = json(listJson);
    expect(listed.items.map((k: { id: string }) => k.id)).toContain(id);
    expect(listed.next_cursor).toBeNull();
    for (const item of listed.items) expect(item).not.toHaveProperty('key');
    for (const r of [listJson, listTable, showJson, showTable]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(RAW_KEY);
      expect(r.stdout).not.toContain(hashSecret(key, undefined));
    }
    expect(listTable.stdout).toMatch(/^ID\s+NAME\s+START\s+OWNER\s+SCOPES/);
    expect(listTable.stdout).toContain(id);
    expect(listTable.stdout).toContain('worker');
    expect(listTable.stdout).toContain(key.slice(0, 16));
    expect(json(showJson)).toMatchObject({ id, name: 'worker', owner_id: 'team-a' });
    expect(showTable.stdout).toContain(id);
    expect(showTable.stdout).toMatch(/status\s+active/);
    expect(showTable.stdout).toMatch(/rate_limit\s+50 per 60 s/);

    const updated = json(await cli('update', id, '--name', 'worker-2', '--scopes', 'orders:read', '--rate-limit', '10/30', '--metadata', '{"env":"prod"}', '--json'));
    expect(updated).toMatchObject({ id, name: 'worker-2', scopes: ['orders:read'], rate_limit: { limit: 10, window_seconds: 30 }, metadata: { env: 'prod' } });
    const noExpiry = json(await cli('update', id, '--no-expiry', '--rate-limit', 'default', '--json'));
    expect(noExpiry).toMatchObject({ expires_at: null, rate_limit: null });
    const updateTable = await cli('update', id, '--expires-in', '1h');
    expect(updateTable.code, updateTable.stderr).toBe(0);
    expect(updateTable.stdout).toMatch(/name\s+worker-2/);

    const rotated = json(await cli('rotate', id, '--grace', '0', '--json'));
    expect(rotated.key).toMatch(/^gk_test_/);
    expect(rotated.key).not.toBe(key);
    expect(rotated).toMatchObject({ name: 'worker-2', rotated_from_id: id, previous: { id, rotated_to_id: rotated.id } });
    expect(rotated.previous).not.toHaveProperty('key');

    const rotatedTable = await cli('rotate', rotated.id, '--grace', '1h');
    expect(rotatedTable.code, rotatedTable.stderr).toBe(0);
    const bannerKeys = rotatedTable.stdout.match(RAW_KEY) ?? [];
    expect(bannerKeys).toHaveLength(1);
    expect(rotatedTable.stdout).toContain(`Rotated ${rotated.id} -> `);
    expect(rotatedTable.stdout).toMatch(/shown only once/);
    const third = json(await cli('list', '--json')).items.find((k: { rotated_from_id: string | null }) => k.rotated_from_id === rotated.id);
    expect(third).toBeDefined();

    const revoked = json(await cli('revoke', third.id, '--json'));
    expect(revoked.revoked_at).not.toBeNull();
    const revokedAgain = await cli('revoke', third.id);
    expect(revokedAgain.code).toBe(0);
    // A second revocation changes nothing and says so.
    expect(revokedAgain.stdout).toContain(`${third.id} (${third.name}) was already revoked at ${revoked.revoked_at}`);
    const afterRevoke = json(await cli('list', '--json')).items.map((k: { id: string }) => k.id);
    expect(afterRevoke).not.toContain(third.id);
    const withRevoked = json(await cli('list', '--all', '--json')).items.map((k: { id: string }) => k.id);
    expect(withRevoked).toContain(third.id);
    const shownRevoked = await cli('show', third.id);
    expect(shownRevoked.stdout).toMatch(/status\s+revoked/);
  }, TIMEOUT);

  it('create without --json prints the key once in a marked banner with the id', async () => {
    const r = await cli('create', '--name', 'human');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(RAW_KEY)).toHaveLength(1);
    expect(r.stdout).toMatch(/Created API key key_[0-9A-Z]{26} \(human\)/);
    expect(r.stdout).toMatch(/shown only once/);
  }, TIMEOUT);

  it('errors are one line on stderr and a non-zero exit', async () => {
    const unknown = 'key_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const existing = json(await cli('create', '--name', 'target', '--json')) as { id: string };
    const [show, update, rotate, revoke, badRate, badRateUpdate, nothing, badMeta, badScopes, badDuration] = await clis(
      ['show', unknown],
      ['update', unknown, '--name', 'x'],
      ['rotate', unknown],
      ['revoke', 'garbage'],
      ['create', '--name', 'x', '--rate-limit', 'abc'],
      ['update', existing.id, '--rate-limit', '0/60'],
      ['update', existing.id],
      ['create', '--name', 'x', '--metadata', '[1]'],
      ['create', '--name', 'x', '--scopes', 'a"b'],
      ['rotate', existing.id, '--grace', 'soon'],
    );
    for (const r of [show, update, rotate, revoke]) expectOneLineError(r, /^gatehouse: error: .*api_key\.not_found/);
    expect(badRate.code).not.toBe(0);
    expect(badRate.stderr).toMatch(/--rate-limit/);
    expect(badRate.stdout).toBe('');
    expectOneLineError(badRateUpdate, /rate_limit/);
    expectOneLineError(nothing, /nothing to update/);
    expect(badMeta.code).not.toBe(0);
    expect(badMeta.stderr).toMatch(/--metadata/);
    expectOneLineError(badScopes, /scope/i);
    expect(badDuration.code).not.toBe(0);
    expect(badDuration.stderr).toMatch(/--grace/);
    // None of them created or changed anything.
    const listed = json(await cli('list', '--all', '--json')).items as Array<{ id: string; name: string; rotated_to_id: string | null }>;
    expect(listed.filter((k) => k.name === 'x')).toHaveLength(0);
    expect(listed.find((k) => k.id === existing.id)?.rotated_to_id).toBeNull();
  }, TIMEOUT);
});
