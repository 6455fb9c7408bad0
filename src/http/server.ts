import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Gatehouse } from '../gatehouse.js';
import { requestIdFrom } from '../middleware/request-id.js';
import { errorResponse, PROBLEM_CONTENT_TYPE, problemBody } from './errors.js';
import { accountFlowRoutes } from './routes/account-flows.js';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { allowedOrigins } from '../sessions/cookie.js';
import { authRoutes } from './routes/auth.js';
import { loginPageRoutes } from './routes/login-page.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { healthRoutes } from './routes/health.js';
import { userRoutes } from './routes/users.js';
import { jwksRoutes } from './routes/jwks.js';
import { tokenAdminRoutes, tokenRoutes } from './routes/tokens.js';
import { oauthRoutes } from './routes/oauth.js';
import { oauthAuthorizeRoutes } from './routes/oauth-authorize.js';
import { oauthClientRoutes } from './routes/oauth-clients.js';

/** Headers on every response. */
const SECURITY_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** The request id chosen before Fastify sees the request (see the server factory below). */
const REQUEST_ID = Symbol('gatehouse.requestId');
type IdentifiedRequest = IncomingMessage & { [REQUEST_ID]?: string };

/** Options of {@link buildServer}. */
export interface BuildServerOptions {
  gatehouse: Gatehouse;
  /** Operational logger (pino). Default: none. */
  logger?: FastifyBaseLogger;
}

/**
 * Builds the Fastify app: one plugin per domain, one error mapping (`http/errors.ts`).
 * Does not listen; call `app.listen(...)`.
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { gatehouse } = options;
  const { server } = gatehouse.config;
  const requestTimeoutMs = server.requestTimeoutSeconds * 1000;
  const connectionTimeoutMs = server.connectionTimeoutSeconds * 1000;
  const keepAliveTimeoutMs = Math.min(72_000, connectionTimeoutMs - 1000);
  const httpOptions = {
    // Node swaps the two limits when headersTimeout (default 60 s) exceeds requestTimeout, so
    // a shorter request timeout would silently become 60 s for the body.
    headersTimeout: Math.min(60_000, requestTimeoutMs),
    // Node checks these timeouts every 30 s by default, which would let a slow client keep
    // its connection up to 30 s past the limit.
    connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
  };
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    // `request.log` is the server's logger itself, not a pino child per request (~0.5 µs and
    // an object each): every request-scoped log line names its `request_id` explicitly.
    childLoggerFactory: (logger) => logger,
    bodyLimit: server.bodyLimitBytes,
    // The whole request (headers and body) must arrive within this time, or Node answers 408
    // and closes the connection: a client trickling a body cannot hold a connection forever.
    requestTimeout: requestTimeoutMs,
    // Node's socket inactivity timeout (`server.timeout`), in force while a request is read and
    // handled. Between requests Node uses `keepAliveTimeout` instead; it stays below this one
    // (Fastify's 72 s unless the connection timeout is shorter), so no idle socket outlives it.
    connectionTimeout: connectionTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: httpOptions,
    trustProxy: server.trustProxy,
    genReqId: (req) => (req as IdentifiedRequest)[REQUEST_ID] ?? requestIdFrom(req.headers['x-request-id']),
    // Node's own HTTP server, with the headers every answer carries set before Fastify runs:
    // cheaper than a Fastify hook on every request (the hook machinery, not the headers, is
    // what costs at tens of thousands of requests a second). Headers a route sets later take
    // precedence (Node merges writeHead's headers over setHeader's). Fastify applies the
    // timeouts itself only to servers it creates, so they are set here.
    serverFactory: (handler) => {
      const httpServer = createServer(httpOptions, (req: IdentifiedRequest, res: ServerResponse) => {
        const id = requestIdFrom(req.headers['x-request-id']);
        req[REQUEST_ID] = id;
        res.setHeader('x-request-id', id);
        res.setHeader('cache-control', SECURITY_HEADERS['cache-control']);
        res.setHeader('x-content-type-options', SECURITY_HEADERS['x-content-type-options']);
        handler(req, res);
      });
      httpServer.keepAliveTimeout = keepAliveTimeoutMs;
      httpServer.requestTimeout = requestTimeoutMs;
      httpServer.setTimeout(connectionTimeoutMs);
      return httpServer;
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    // A URL Fastify cannot decode (or a path parameter over its length limit) is answered here,
    // before any hook runs: answer problem+json like every other error, never echoing the URL
    // (its query may hold a key).
    frameworkErrors: (err, request, genericReply) => {
      const reply = genericReply as FastifyReply;
      const response = errorResponse(err, String(request.id));
      if (response.status >= 500) request.log.error({ err: { code: err.code }, request_id: request.id }, 'request failed');
      void reply
        .code(response.status)
        .headers({ ...SECURITY_HEADERS, 'x-request-id': String(request.id) })
        .headers(response.headers)
        .send(response.body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.maxConnections = server.maxConnections;

  // Bodies are JSON only; Fastify's default text/plain parser would turn a 415 into a 400.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err, request, reply) => {
    const response = errorResponse(err, String(request.id));
    if (response.status >= 500) request.log.error({ err, request_id: request.id, route: request.routeOptions.url }, 'request failed');
    return reply.code(response.status).headers(response.headers).send(response.body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).header('content-type', PROBLEM_CONTENT_TYPE).send(problemBody('route.not_found', undefined, `urn:gatehouse:request:${request.id}`)),
  );

  await app.register(healthRoutes(gatehouse));
  await app.register(apiKeyRoutes(gatehouse));
  await app.register(userRoutes(gatehouse));
  await app.register(accountFlowRoutes(gatehouse));
  await app.register(jwksRoutes(gatehouse));
  await app.register(tokenAdminRoutes(gatehouse));
  await app.register(oauthClientRoutes(gatehouse));
  await app.register(oauthRoutes(gatehouse));

  // Browser routes (sign-in page, form posts, session cookies). @fastify/cookie (its parsing
  // hook off: routes read the one cookie they need) and @fastify/formbody are registered in
  // this encapsulated scope only, so the JSON API keeps answering 415 to form bodies and its
  // requests run no cookie hook at all.
  let origins: readonly string[] | undefined;
  const csrfOrigins = (): readonly string[] => {
    if (origins) return origins;
    const address = app.server.address();
    if (typeof address !== 'object' || address === null) return allowedOrigins(server);
    return (origins = allowedOrigins(server, address.port));
  };
  await app.register(async (browser) => {
    await browser.register(fastifyCookie, { hook: false });
    await browser.register(fastifyFormbody);
    await browser.register(authRoutes(gatehouse, csrfOrigins));
    await browser.register(loginPageRoutes(gatehouse, csrfOrigins));
    await browser.register(tokenRoutes(gatehouse, csrfOrigins));
    await browser.register(oauthAuthorizeRoutes(gatehouse, csrfOrigins));
  });
  return app;
}
