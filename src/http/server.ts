import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Gatehouse } from '../gatehouse.js';
import { requestIdFrom } from '../middleware/request-id.js';
import { errorResponse, PROBLEM_CONTENT_TYPE, problemBody } from './errors.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { healthRoutes } from './routes/health.js';

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
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: server.bodyLimitBytes,
    trustProxy: server.trustProxy,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are JSON only; Fastify's default text/plain parser would turn a 415 into a 400.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers({ 'x-request-id': String(request.id), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    done();
  });

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
  return app;
}
