import { Command, Option } from 'commander';
import { serializeApiKey } from '../../http/serialize.js';
import { cliContext, withGatehouse, type GlobalOptions } from '../context.js';
import { keyDetails, keyRows, secretBanner } from '../output.js';
import { parseDuration, parseJsonObject, parseRateLimit, parseScopes } from '../parse.js';

const print = (text: string): void => void process.stdout.write(`${text}\n`);
const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** `gatehouse keys create|list|show|update|rotate|revoke`, on the configured database. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys (works on the configured database, also while a server runs)');

  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--name <name>', 'a name for the key')
    .option('--scopes <scopes>', 'comma-separated scopes, e.g. admin or orders:read,orders:write', parseScopes)
    .option('--owner <id>', 'owner id (your user or tenant id)')
    .option('--metadata <json>', 'JSON object stored with the key', parseJsonObject)
    .option('--expires-in <duration>', 'lifetime: seconds or 15m, 12h, 30d', parseDuration)
    .addOption(new Option('--environment <env>', 'key environment (selects the prefix)').choices(['live', 'test']).default('live'))
    .option('--rate-limit <limit/window>', 'per-key limit, e.g. 1000/60 (requests per seconds)', parseRateLimit)
    .option('--json', 'print one JSON object (with "id" and "key")')
    .action(async (o: { name: string; scopes?: string[]; owner?: string; metadata?: Record<string, unknown>; expiresIn?: number; environment: 'live' | 'test'; rateLimit?: { limit: number; windowSeconds: number } | null }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { key, apiKey } = await withGatehouse(globals, (g) =>
        g.apiKeys.create(
          {
            name: o.name,
            environment: o.environment,
            ...(o.scopes ? { scopes: o.scopes } : {}),
            ...(o.owner !== undefined ? { ownerId: o.owner } : {}),
            ...(o.metadata ? { metadata: o.metadata } : {}),
            ...(o.expiresIn !== undefined ? { expiresInSeconds: o.expiresIn } : {}),
            ...(o.rateLimit !== undefined ? { rateLimit: o.rateLimit || null } : {}), // commander turns the parser's null (`default`) into ''
          },
          cliContext,
        ),
      );
      if (globals.json) return printJson({ ...serializeApiKey(apiKey), key });
      print(secretBanner(`Created API key ${apiKey.id} (${apiKey.name})`, key));
    });

  keys
    .command('list')
    .description('list keys, newest first (never shows raw keys)')
    .option('--owner <id>', 'only keys of this owner')
    .option('--all', 'include revoked keys')
    .option('--limit <n>', 'page size, 1 to 100', (v) => Number(v), 50)
    .option('--cursor <id>', 'next_cursor of the previous page')
    .option('--json', 'print JSON')
    .action(async (o: { owner?: string; all?: boolean; limit: number; cursor?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [page, location] = await withGatehouse(globals, async (g) => [
        await g.apiKeys.list({ limit: o.limit, ...(o.owner ? { ownerId: o.owner } : {}), ...(o.all ? { includeRevoked: true } : {}), ...(o.cursor ? { cursor: o.cursor } : {}) }),
        g.storageLocation,
      ] as const);
      if (globals.json) return printJson({ items: page.items.map(serializeApiKey), next_cursor: page.nextCursor });
      if (page.items.length === 0) return print(`No keys in ${location}.`);
      print(keyRows(page.items, Date.now()));
      if (page.nextCursor) print(`\nMore: gatehouse keys list --cursor ${page.nextCursor}`);
    });

  keys
    .command('show <id>')
    .description('show one key')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const key = await withGatehouse(globals, (g) => g.apiKeys.get(id));
      if (globals.json) return printJson(serializeApiKey(key));
      print(keyDetails(key, Date.now()));
    });

  keys
    .command('update <id>')
    .description("change a key's name, scopes, metadata, rate limit or expiry")
    .option('--name <name>', 'new name')
    .option('--scopes <scopes>', 'replace the scopes (comma-separated)', parseScopes)
    .option('--metadata <json>', 'replace the metadata', parseJsonObject)
    .option('--rate-limit <limit/window>', 'new per-key limit, or "default"', parseRateLimit)
    .option('--expires-in <duration>', 'new lifetime from now', parseDuration)
    .option('--no-expiry', 'remove the expiry')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { name?: string; scopes?: string[]; metadata?: Record<string, unknown>; rateLimit?: { limit: number; windowSeconds: number } | null; expiresIn?: number; expiry: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const input = {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.scopes ? { scopes: o.scopes } : {}),
        ...(o.metadata ? { metadata: o.metadata } : {}),
        ...(o.rateLimit !== undefined ? { rateLimit: o.rateLimit || null } : {}), // commander turns the parser's null (`default`) into ''
        ...(o.expiresIn !== undefined ? { expiresInSeconds: o.expiresIn } : {}),
        ...(o.expiry === false ? { expiresAt: null } : {}),
      };
      if (Object.keys(input).length === 0) throw new Error('nothing to update: give at least one of --name, --scopes, --metadata, --rate-limit, --expires-in, --no-expiry');
      const key = await withGatehouse(globals, (g) => g.apiKeys.update(id, input, cliContext));
      if (globals.json) return printJson(serializeApiKey(key));
      print(keyDetails(key, Date.now()));
    });

  keys
    .command('rotate <id>')
    .description('issue a successor key; the old one keeps working for the grace period')
    .option('--grace <duration>', 'how long the old key keeps working (default 24h; 0 = stop at once)', parseDuration)
    .option('--expires-in <duration>', 'lifetime of the new key (default: same as the old)', parseDuration)
    .option('--json', 'print one JSON object (with "id", "key" and "previous")')
    .action(async (id: string, o: { grace?: number; expiresIn?: number }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const rotated = await withGatehouse(globals, (g) =>
        g.apiKeys.rotate(id, { ...(o.grace !== undefined ? { gracePeriodSeconds: o.grace } : {}), ...(o.expiresIn !== undefined ? { expiresInSeconds: o.expiresIn } : {}) }, cliContext),
      );
      if (globals.json) return printJson({ ...serializeApiKey(rotated.apiKey), key: rotated.key, previous: serializeApiKey(rotated.previous) });
      const until = rotated.previous.expiresAt === null ? 'now' : new Date(rotated.previous.expiresAt).toISOString();
      print(secretBanner(`Rotated ${id} -> ${rotated.apiKey.id}; the old key works until ${until}`, rotated.key));
    });

  keys
    .command('revoke <id>')
    .description('revoke a key; it stops working on the next request')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const before = Date.now();
      const key = await withGatehouse(globals, (g) => g.apiKeys.revoke(id, cliContext));
      if (globals.json) return printJson(serializeApiKey(key));
      const at = new Date(key.revokedAt ?? before).toISOString();
      print((key.revokedAt ?? before) < before ? `${key.id} (${key.name}) was already revoked at ${at}` : `Revoked ${key.id} (${key.name}) at ${at}`);
    });
}
