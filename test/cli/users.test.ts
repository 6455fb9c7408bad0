import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs, cliEnv, type CliResult } from '../helpers/cli.js';

const TIMEOUT = 300_000;
const PASSWORD = 'a CLI passphrase 🦊 long';

/** Runs `gatehouse users <args>` with `input` on standard input. */
function users(dir: string, args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      cliArgs(['users', ...args]),
      {
        cwd: dir,
        env: cliEnv({ GATEHOUSE_DATA_DIR: join(dir, 'data'), GATEHOUSE_ARGON2_MEMORY_KIB: '7168', GATEHOUSE_ARGON2_ITERATIONS: '1' }),
        timeout: 60_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number | string; killed?: boolean }) | null;
        if (e?.killed) return reject(new Error(`timed out: ${stderr}`));
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: null, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

describe('gatehouse users', () => {
  let dir: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped view of CLI output under test
  const json = (r: CliResult): any => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-users-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('create reads the password from stdin (never argv), prints JSON, and audits to stderr without the password', async () => {
    const r = await users(dir, ['create', '--email', 'Ann@Example.com', '--name', 'Ann', '--password-stdin', '--json'], `${PASSWORD}\n`);
    const created = json(r);
    expect(created).toMatchObject({ id: expect.stringMatching(/^usr_/), email: 'Ann@Example.com', name: 'Ann', email_verified: false, status: 'active' });
    expect(r.stderr).toContain('"account.create"');
    expect(r.stderr).toContain('"type":"cli"');
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  }, TIMEOUT);

  it('the life cycle: list, show, update (incl. a new password from stdin), disable, enable, revoke-sessions, delete', async () => {
    const created = json(await users(dir, ['create', '--email', 'bob@example.com', '--password-stdin', '--json'], PASSWORD));
    const id = created.id as string;
    const list = await users(dir, ['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+EMAIL\s+VERIFIED\s+NAME\s+STATUS\s+CREATED$/m);
    expect(list.stdout).toContain('bob@example.com');
    expect(json(await users(dir, ['list', '--json'])).items.length).toBeGreaterThanOrEqual(2);
    expect((await users(dir, ['show', id])).stdout).toMatch(/^email\s+bob@example\.com$/m);
    const updated = json(await users(dir, ['update', id, '--name', 'Bob', '--verified', '--password-stdin', '--json'], 'another CLI passphrase'));
    expect(updated).toMatchObject({ name: 'Bob', email_verified: true });
    expect(updated.password_changed_at).not.toBe(created.password_changed_at);
    expect(json(await users(dir, ['disable', id, '--json'])).status).toBe('disabled');
    expect((await users(dir, ['enable', id])).stdout).toBe(`Enabled ${id} (bob@example.com)\n`);
    expect(json(await users(dir, ['revoke-sessions', id, '--json']))).toEqual({ id, revoked: 0 });
    expect((await users(dir, ['delete', id])).stdout).toBe(`Deleted ${id}\n`);
    const gone = await users(dir, ['show', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('gatehouse: error: No user with this id exists. (account.not_found)\n');
  }, TIMEOUT);

  it('fails with one line and a non-zero exit for a weak password, a duplicate, or no password source', async () => {
    const weak = await users(dir, ['create', '--email', 'carol@example.com', '--password-stdin'], 'password');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toBe('gatehouse: error: The password must have at least 12 characters. (password.too_short)\n');
    const dup = await users(dir, ['create', '--email', 'ANN@example.com', '--password-stdin'], PASSWORD);
    expect(dup.stderr).toMatch(/\(account\.email_taken\)\n$/);
    const noTty = await users(dir, ['create', '--email', 'dave@example.com']);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toMatch(/--password-stdin/);
    const nothing = await users(dir, ['update', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ']);
    expect(nothing.stderr).toMatch(/^gatehouse: error: nothing to update/);
  }, TIMEOUT);
});
