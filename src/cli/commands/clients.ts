import { Command, Option } from 'commander';
import { serializeClient } from '../../http/serialize.js';
import type { OAuthClient } from '../../oauth/types.js';
import { cliContext, withGatehouse, type GlobalOptions } from '../context.js';
import { secretBanner, table } from '../output.js';
import { parseJsonObject } from '../parse.js';

const print = (text: string): void => void process.stdout.write(`${text}\n`);
const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter((s) => s !== '');
const scopes = (value: string): string[] => value.split(/[\s,]+/).filter((s) => s !== '');

function details(c: OAuthClient): string {
  const rows: Array<[string, string]> = [
    ['client_id', c.id],
    ['client_name', c.name],
    ['auth method', c.tokenEndpointAuthMethod],
    ['grant types', c.grantTypes.join(' ')],
    ['scope', c.scopes.join(' ') || '-'],
    ['redirect URIs', c.redirectUris.join(' ') || '-'],
    ['post-logout URIs', c.postLogoutRedirectUris.join(' ') || '-'],
    ['created', new Date(c.createdAt).toISOString()],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

interface MetadataOptions {
  name?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  grantTypes?: string[];
  authMethod?: string;
  scope?: string[];
  jwks?: Record<string, unknown>;
}

const toInput = (o: MetadataOptions) => ({
  ...(o.name !== undefined ? { name: o.name } : {}),
  ...(o.redirectUris ? { redirectUris: o.redirectUris } : {}),
  ...(o.postLogoutRedirectUris ? { postLogoutRedirectUris: o.postLogoutRedirectUris } : {}),
  ...(o.grantTypes ? { grantTypes: o.grantTypes as never } : {}),
  ...(o.authMethod ? { tokenEndpointAuthMethod: o.authMethod as never } : {}),
  ...(o.scope ? { scopes: o.scope } : {}),
  ...(o.jwks ? { jwks: o.jwks as never } : {}),
});

const metadataOptions = (command: Command): Command =>
  command
    .option('--redirect-uris <uris>', 'comma-separated exact redirect URIs', list)
    .option('--post-logout-redirect-uris <uris>', 'comma-separated exact post_logout_redirect_uris (OpenID Connect RP-initiated logout)', list)
    .option('--grant-types <types>', 'comma-separated: client_credentials, authorization_code, refresh_token', list)
    .addOption(new Option('--auth-method <method>', 'token_endpoint_auth_method').choices(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']))
    .option('--scope <scopes>', 'scopes the client may ask for (space- or comma-separated)', scopes)
    .option('--jwks <json>', 'the client\'s public JWK Set, for private_key_jwt', parseJsonObject)
    .option('--json', 'print JSON');

/** `gatehouse clients create|list|show|update|delete|rotate-secret`, on the configured database. */
export function registerClients(program: Command): void {
  const clients = program.command('clients').description('manage OAuth clients (works on the configured database, also while a server runs)');

  metadataOptions(clients.command('create').description('register an OAuth client; prints its secret once').requiredOption('--name <name>', 'client_name')).action(async (o: MetadataOptions & { name: string }, command: Command) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const { client, secret } = await withGatehouse(globals, (g) => g.oauth.clients.create({ ...toInput(o), name: o.name }, cliContext));
    if (globals.json) return printJson({ ...serializeClient(client), ...(secret !== null ? { client_secret: secret, client_secret_expires_at: 0 } : {}) });
    print(secret !== null ? `${secretBanner(`Created OAuth client ${client.id} (${client.name})`, secret)}\n${details(client)}` : `Created OAuth client ${client.id}\n${details(client)}`);
  });

  clients
    .command('list')
    .description('list clients, newest first (never shows secrets)')
    .option('--limit <n>', 'page size, 1 to 100', (v) => Number(v), 50)
    .option('--cursor <id>', 'next_cursor of the previous page')
    .option('--json', 'print JSON')
    .action(async (o: { limit: number; cursor?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const page = await withGatehouse(globals, (g) => g.oauth.clients.list({ limit: o.limit, ...(o.cursor ? { cursor: o.cursor } : {}) }));
      if (globals.json) return printJson({ items: page.items.map(serializeClient), next_cursor: page.nextCursor });
      if (page.items.length === 0) return print('No OAuth clients.');
      print(table(['client_id', 'name', 'auth method', 'grant types'], page.items.map((c) => [c.id, c.name, c.tokenEndpointAuthMethod, c.grantTypes.join(' ')])));
      if (page.nextCursor) print(`\nMore: gatehouse clients list --cursor ${page.nextCursor}`);
    });

  clients
    .command('show <client_id>')
    .description('show one client')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const client = await withGatehouse(globals, (g) => g.oauth.clients.get(id));
      if (globals.json) return printJson(serializeClient(client));
      print(details(client));
    });

  metadataOptions(clients.command('update <client_id>').description("change a client's metadata").option('--name <name>', 'client_name')).action(async (id: string, o: MetadataOptions, command: Command) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const input = toInput(o);
    if (Object.keys(input).length === 0) throw new Error('nothing to update: give at least one of --name, --redirect-uris, --post-logout-redirect-uris, --grant-types, --auth-method, --scope, --jwks');
    const { client, secret } = await withGatehouse(globals, (g) => g.oauth.clients.update(id, input, cliContext));
    if (globals.json) return printJson({ ...serializeClient(client), ...(secret !== null ? { client_secret: secret, client_secret_expires_at: 0 } : {}) });
    print(secret !== null ? `${secretBanner(`Updated ${client.id}; its new secret`, secret)}\n${details(client)}` : details(client));
  });

  clients
    .command('rotate-secret <client_id>')
    .description('replace the client secret; the old one stops working at once')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, secret } = await withGatehouse(globals, (g) => g.oauth.clients.rotateSecret(id, cliContext));
      if (globals.json) return printJson({ ...serializeClient(client), client_secret: secret, client_secret_expires_at: 0 });
      print(secretBanner(`New secret for ${client.id} (${client.name}); the old one no longer works`, secret!));
    });

  clients
    .command('delete <client_id>')
    .description('delete a client; it gets no new token from the next request on')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const client = await withGatehouse(globals, (g) => g.oauth.clients.delete(id, cliContext));
      if (globals.json) return printJson(serializeClient(client));
      print(`Deleted ${client.id} (${client.name})`);
    });
}
