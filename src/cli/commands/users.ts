import { Command, Option } from 'commander';
import { serializeUser } from '../../http/routes/users.js';
import type { User, UserStatus } from '../../index.js';
import { cliContext, withGatehouse, type GlobalOptions } from '../context.js';
import { table } from '../output.js';
import { passwordInput } from '../password-input.js';

const print = (text: string): void => void process.stdout.write(`${text}\n`);
const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const STATUSES = ['active', 'disabled', 'locked'];

function userRows(users: User[]): string {
  return table(
    ['ID', 'EMAIL', 'VERIFIED', 'NAME', 'STATUS', 'CREATED'],
    users.map((u) => [u.id, u.email, u.emailVerified ? 'yes' : 'no', u.name ?? '-', u.status, iso(u.createdAt)]),
  );
}

function userDetails(user: User): string {
  const rows: Array<[string, string]> = [
    ['id', user.id],
    ['email', user.email],
    ['email_verified', user.emailVerified ? 'yes' : 'no'],
    ['name', user.name ?? '-'],
    ['status', user.status],
    ['created_at', iso(user.createdAt)],
    ['updated_at', iso(user.updatedAt)],
    ['password_changed_at', iso(user.passwordChangedAt)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/**
 * `gatehouse users create|list|show|update|disable|enable|delete|revoke-sessions`, on the
 * configured database. Passwords are never taken from arguments: `--password-stdin`, or a
 * prompt without echo on a terminal.
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage user accounts (works on the configured database, also while a server runs)');

  users
    .command('create')
    .description('create a user; the password is read from stdin (--password-stdin) or asked for without echo')
    .requiredOption('--email <address>', 'e-mail address (unique, case-insensitive)')
    .option('--name <name>', 'display name')
    .option('--verified', 'mark the e-mail address as verified')
    .addOption(new Option('--status <status>', 'initial status').choices(STATUSES).default('active'))
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print JSON')
    .action(async (o: { email: string; name?: string; verified?: boolean; status: UserStatus; passwordStdin?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const password = await passwordInput(o, 'Password: ');
      const user = await withGatehouse(globals, (g) =>
        g.accounts.create({ email: o.email, password, status: o.status, ...(o.name !== undefined ? { name: o.name } : {}), ...(o.verified ? { emailVerified: true } : {}) }, cliContext),
      );
      if (globals.json) return printJson(serializeUser(user));
      print(`Created user ${user.id} (${user.email})`);
    });

  users
    .command('list')
    .description('list users, newest first')
    .addOption(new Option('--status <status>', 'only users with this status').choices(STATUSES))
    .option('--limit <n>', 'page size, 1 to 100', (v) => Number(v), 50)
    .option('--cursor <id>', 'next_cursor of the previous page')
    .option('--json', 'print JSON')
    .action(async (o: { status?: UserStatus; limit: number; cursor?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [page, location] = await withGatehouse(globals, async (g) => [
        await g.accounts.list({ limit: o.limit, ...(o.status ? { status: o.status } : {}), ...(o.cursor ? { cursor: o.cursor } : {}) }),
        g.storageLocation,
      ] as const);
      if (globals.json) return printJson({ items: page.items.map(serializeUser), next_cursor: page.nextCursor });
      if (page.items.length === 0) return print(`No users in ${location}.`);
      print(userRows(page.items));
      if (page.nextCursor) print(`\nMore: gatehouse users list --cursor ${page.nextCursor}`);
    });

  users
    .command('show <id>')
    .description('show one user')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const user = await withGatehouse(globals, (g) => g.accounts.get(id));
      if (globals.json) return printJson(serializeUser(user));
      print(userDetails(user));
    });

  users
    .command('update <id>')
    .description("change a user's e-mail, name, verified flag, status or password")
    .option('--email <address>', 'new e-mail address (becomes unverified unless --verified)')
    .option('--name <name>', 'new display name ("" clears it)')
    .option('--verified', 'mark the e-mail address as verified')
    .option('--unverified', 'mark the e-mail address as not verified')
    .addOption(new Option('--status <status>', 'new status (disabled or locked ends every session)').choices(STATUSES))
    .option('--password', 'set a new password, asked for without echo (ends every session)')
    .option('--password-stdin', 'set a new password read from standard input (ends every session)')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        o: { email?: string; name?: string; verified?: boolean; unverified?: boolean; status?: UserStatus; password?: boolean; passwordStdin?: boolean },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        if (o.verified && o.unverified) throw new Error('give --verified or --unverified, not both');
        const input = {
          ...(o.email !== undefined ? { email: o.email } : {}),
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.verified ? { emailVerified: true } : {}),
          ...(o.unverified ? { emailVerified: false } : {}),
          ...(o.status !== undefined ? { status: o.status } : {}),
        };
        const setPassword = o.password === true || o.passwordStdin === true;
        if (Object.keys(input).length === 0 && !setPassword) {
          throw new Error('nothing to update: give at least one of --email, --name, --verified, --unverified, --status, --password, --password-stdin');
        }
        const password = setPassword ? await passwordInput(o, 'New password: ') : undefined;
        const user = await withGatehouse(globals, async (g) => {
          let updated = Object.keys(input).length > 0 ? await g.accounts.update(id, input, cliContext) : await g.accounts.get(id);
          if (password !== undefined) updated = await g.accounts.changePassword(id, { newPassword: password }, cliContext);
          return updated;
        });
        if (globals.json) return printJson(serializeUser(user));
        print(userDetails(user));
      },
    );

  for (const [name, description, verb] of [
    ['disable', 'disable a user: sign-in is refused and every session ends', 'Disabled'],
    ['enable', 'enable a disabled or locked user', 'Enabled'],
  ] as const) {
    users
      .command(`${name} <id>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (id: string, _o: unknown, command: Command) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const user = await withGatehouse(globals, (g) => (name === 'disable' ? g.accounts.disable(id, cliContext) : g.accounts.enable(id, cliContext)));
        if (globals.json) return printJson(serializeUser(user));
        print(`${verb} ${user.id} (${user.email})`);
      });
  }

  users
    .command('delete <id>')
    .description('delete a user, its sessions and its pending links')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      await withGatehouse(globals, (g) => g.accounts.delete(id, cliContext));
      if (globals.json) return printJson({ id, deleted: true });
      print(`Deleted ${id}`);
    });

  users
    .command('revoke-sessions <id>')
    .description('sign a user out everywhere: end every session')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const revoked = await withGatehouse(globals, (g) => g.accounts.revokeSessions(id, cliContext));
      if (globals.json) return printJson({ id, revoked });
      print(`Ended ${revoked} session${revoked === 1 ? '' : 's'} of ${id}`);
    });
}
