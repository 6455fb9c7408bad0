import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

const TIMEOUT = 300_000;

describe('gatehouse clients', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-clients-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped view of CLI output under test
  const json = (r: CliResult): any => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it(
    'create prints the secret once; list, show, update, rotate-secret and delete work on the database',
    async () => {
      const env = { GATEHOUSE_DATA_DIR: join(dir, 'data') };
      const run = (args: string[]) => runCli(args, { cwd: dir, env });
      const created = json(await run(['clients', 'create', '--name', 'worker', '--grant-types', 'client_credentials', '--scope', 'jobs:run,jobs:read', '--json']));
      expect(created).toMatchObject({ client_name: 'worker', grant_types: ['client_credentials'], scope: 'jobs:run jobs:read', client_secret_expires_at: 0 });
      expect(created.client_secret).toMatch(/^gkcs_[0-9A-Za-z]{43}$/);
      const id = created.client_id as string;
      const listed = await run(['clients', 'list']);
      expect(listed.stdout).toContain(id);
      expect(listed.stdout).not.toContain(created.client_secret);
      expect(json(await run(['clients', 'show', id, '--json']))).not.toHaveProperty('client_secret');
      expect(json(await run(['clients', 'update', id, '--scope', 'jobs:run', '--json'])).scope).toBe('jobs:run');
      const rotated = json(await run(['clients', 'rotate-secret', id, '--json']));
      expect(rotated.client_secret).not.toBe(created.client_secret);
      expect((await run(['clients', 'delete', id])).stdout).toContain(`Deleted ${id}`);
      const missing = await run(['clients', 'show', id]);
      expect(missing.code).not.toBe(0);
    },
    TIMEOUT,
  );
});
