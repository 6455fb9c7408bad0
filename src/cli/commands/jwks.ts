import type { Command } from 'commander';
import type { SigningKeyView } from '../../index.js';
import { cliContext, withGatehouse, type GlobalOptions } from '../context.js';
import { table } from '../output.js';

const print = (text: string): void => void process.stdout.write(`${text}\n`);
const printJson = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** A signing key as the CLI's `--json` shows it: public facts only, never key material. */
function serializeKey(k: SigningKeyView) {
  return {
    kid: k.kid,
    alg: k.alg,
    generation: k.generation,
    state: k.state,
    created_at: new Date(k.createdAt).toISOString(),
    activates_at: new Date(k.activatesAt).toISOString(),
    retires_at: k.retiresAt === null ? null : new Date(k.retiresAt).toISOString(),
    remove_at: k.removeAt === null ? null : new Date(k.removeAt).toISOString(),
  };
}

/** `gatehouse jwks rotate|list`, on the configured database (also while a server runs). */
export function registerJwks(program: Command): void {
  const jwks = program.command('jwks').description('manage JWT signing keys (works on the configured database, also while a server runs)');

  jwks
    .command('list')
    .description('list signing keys and their state (pending, active, retired)')
    .option('--all', 'include keys already removed from the JWKS')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const keys = await withGatehouse(globals, (g) => g.tokens.signingKeys.list(o.all ? { includeRemoved: true } : {}));
      if (globals.json) return printJson({ items: keys.map(serializeKey) });
      print(
        table(
          ['KID', 'ALG', 'GEN', 'STATE', 'CREATED', 'ACTIVATES', 'RETIRES', 'LEAVES JWKS'],
          keys.map((k) => [k.kid, k.alg, String(k.generation), k.state, iso(k.createdAt), iso(k.activatesAt), iso(k.retiresAt), iso(k.removeAt)]),
        ),
      );
    });

  jwks
    .command('rotate')
    .description('create the next signing key: published now, signing after jwt.rotation.prePublishSeconds')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const key = await withGatehouse(globals, async (g) => {
        const created = await g.tokens.signingKeys.rotate(cliContext);
        return (await g.tokens.signingKeys.list()).find((k) => k.kid === created.kid)!;
      });
      if (globals.json) return printJson(serializeKey(key));
      print(`Created signing key ${key.kid} (${key.alg}), published now, signing from ${iso(key.activatesAt)}.`);
    });
}
