/**
 * Example: your own Fastify API, protected by Gatehouse API keys.
 *
 * In a real app the imports are `gatehouse` and `gatehouse/middleware/fastify`; this file
 * imports the package's source by relative path so it typechecks and runs inside the repo.
 *
 *   npx tsx examples/fastify-api.ts                      # in-process Gatehouse (SQLite :memory:)
 *   EXAMPLE_SQLITE_PATH=./data/example.db npx tsx examples/fastify-api.ts
 *   EXAMPLE_GATEHOUSE_URL=http://127.0.0.1:8080 EXAMPLE_GATEHOUSE_KEY=gk_live_… npx tsx examples/fastify-api.ts
 *
 * See examples/README.md for the curl calls.
 */
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { createGatehouse, type Gatehouse } from '../src/index.js';
import { apiKeyAuth, createRemoteApiKeyVerifier, type ApiKeyVerifier } from '../src/middleware/fastify.js';

/** Options of {@link buildExampleApp}. */
export interface ExampleAppOptions {
  /**
   * Who verifies keys: `gatehouse.apiKeys` (Gatehouse in this process, sharing its database)
   * or `createRemoteApiKeyVerifier(...)` (a Gatehouse server over HTTP).
   */
  verifier: ApiKeyVerifier;
  /** Fastify request logging. Default: off. */
  logger?: boolean;
}

/** One order of the example's in-memory "database". */
interface Order {
  id: string;
  owner_id: string | null;
  item: string;
  quantity: number;
}

/**
 * The example API. It does not listen; call `app.listen(...)`.
 *
 * - `GET /`        public
 * - `GET /me`      any valid key: shows the verified identity
 * - `GET /orders`  scope `orders:read`: the orders of the key's owner
 * - `POST /orders` scope `orders:write`: creates an order for the key's owner
 */
export function buildExampleApp(options: ExampleAppOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false });
  const requireKey = apiKeyAuth({ verifier: options.verifier });
  const orders: Order[] = [];

  app.get('/', () => ({ service: 'orders-api', docs: 'send your key as Authorization: Bearer <key> or X-API-Key: <key>' }));

  app.get('/me', { preHandler: requireKey() }, (request) => {
    // The middleware only lets verified requests through, with the identity on `request.gatehouse`.
    const { apiKey, rateLimit } = request.gatehouse!;
    return {
      key_id: apiKey.id,
      name: apiKey.name,
      owner_id: apiKey.ownerId,
      scopes: apiKey.scopes,
      metadata: apiKey.metadata,
      ratelimit: { limit: rateLimit.limit, remaining: rateLimit.remaining, reset_seconds: rateLimit.resetSeconds },
    };
  });

  app.get('/orders', { preHandler: requireKey({ scopes: ['orders:read'] }) }, (request) => {
    const owner = request.gatehouse!.apiKey.ownerId;
    return { items: orders.filter((o) => o.owner_id === owner) };
  });

  app.post<{ Body: { item?: unknown; quantity?: unknown } | undefined }>(
    '/orders',
    { preHandler: requireKey({ scopes: ['orders:write'] }) },
    async (request, reply) => {
      const body = request.body ?? {};
      const item = typeof body.item === 'string' && body.item.length > 0 ? body.item.slice(0, 100) : 'widget';
      const quantity = typeof body.quantity === 'number' && Number.isInteger(body.quantity) && body.quantity > 0 ? body.quantity : 1;
      const order: Order = { id: randomUUID(), owner_id: request.gatehouse!.apiKey.ownerId, item, quantity };
      orders.push(order);
      return reply.code(201).send(order);
    },
  );

  return app;
}

/** How the script verifies keys, from the environment. */
export interface ExampleVerifierSetup {
  verifier: ApiKeyVerifier;
  /** Set in in-process mode: the Gatehouse to create keys with. */
  gatehouse?: Gatehouse;
  describe: string;
  close(): Promise<void>;
}

/**
 * `EXAMPLE_GATEHOUSE_URL` + `EXAMPLE_GATEHOUSE_KEY` (a key with scope `keys:verify`): a remote
 * verifier for services that do not share Gatehouse's database. Otherwise Gatehouse runs in
 * this process on SQLite at `EXAMPLE_SQLITE_PATH` (default: in memory), its auth events going
 * to stderr unless `GATEHOUSE_AUDIT_DESTINATION` says otherwise.
 */
export async function verifierFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<ExampleVerifierSetup> {
  const remoteUrl = env.EXAMPLE_GATEHOUSE_URL;
  if (remoteUrl) {
    const apiKey = env.EXAMPLE_GATEHOUSE_KEY;
    if (!apiKey) throw new Error('EXAMPLE_GATEHOUSE_URL needs EXAMPLE_GATEHOUSE_KEY: a Gatehouse key with scope keys:verify');
    return {
      verifier: createRemoteApiKeyVerifier({ baseUrl: remoteUrl, apiKey }),
      describe: `remote Gatehouse at ${remoteUrl}`,
      close: () => Promise.resolve(),
    };
  }
  const sqlitePath = env.EXAMPLE_SQLITE_PATH;
  const gatehouse = await createGatehouse({
    config: { database: { url: sqlitePath ? `sqlite:${sqlitePath}` : 'sqlite::memory:' }, audit: { destination: env.GATEHOUSE_AUDIT_DESTINATION ?? 'stderr' } },
  });
  return { verifier: gatehouse.apiKeys, gatehouse, describe: `in-process Gatehouse (${gatehouse.storageLocation})`, close: () => gatehouse.close() };
}

/** In-process mode: makes three demo keys so the README's curl calls work at once. */
export async function createDemoKeys(gatehouse: Gatehouse): Promise<Record<'reader' | 'writer' | 'limited', string>> {
  const reader = await gatehouse.apiKeys.create({ name: 'demo reader', ownerId: 'user_alice', scopes: ['orders:read'] });
  const writer = await gatehouse.apiKeys.create({ name: 'demo writer', ownerId: 'user_alice', scopes: ['orders:read', 'orders:write'] });
  const limited = await gatehouse.apiKeys.create({ name: 'demo limited', ownerId: 'user_bob', rateLimit: { limit: 2, windowSeconds: 60 } });
  return { reader: reader.key, writer: writer.key, limited: limited.key };
}

async function main(): Promise<void> {
  const port = Number(process.env.EXAMPLE_PORT ?? 3000);
  const setup = await verifierFromEnv();
  const app = buildExampleApp({ verifier: setup.verifier });
  const url = await app.listen({ host: '127.0.0.1', port });
  process.stdout.write(`Fastify example listening on ${url}, keys verified by ${setup.describe}\n`);
  if (setup.gatehouse) {
    const keys = await createDemoKeys(setup.gatehouse);
    process.stdout.write(
      `Demo keys (shown once, demo only):\n` +
        `  READER_KEY=${keys.reader}   # owner user_alice, scope orders:read\n` +
        `  WRITER_KEY=${keys.writer}   # owner user_alice, scopes orders:read orders:write\n` +
        `  LIMITED_KEY=${keys.limited}  # owner user_bob, no scopes, 2 requests per 60 s\n`,
    );
  }
  const stop = () => {
    app
      .close()
      .then(() => setup.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main().catch((err: unknown) => {
    process.stderr.write(`fastify example: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
