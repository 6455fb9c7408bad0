import type { FastifyPluginAsync } from 'fastify';
import type { Gatehouse } from '../../gatehouse.js';
import { VERSION } from '../../version.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../errors.js';

/** `GET /healthz` (the process is up) and `GET /readyz` (storage and counters answer). */
export function healthRoutes(gatehouse: Gatehouse): FastifyPluginAsync {
  return (app) => {
    app.get('/healthz', () => ({ status: 'ok', version: VERSION }));
    app.get('/readyz', async (request, reply) => {
      const { ok, checks } = await gatehouse.ready();
      if (ok) return { status: 'ok', checks };
      request.log.warn({ checks, request_id: request.id }, 'readiness check failed');
      return reply
        .code(503)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .header('retry-after', '5')
        .send({ ...problemBody('storage.unavailable', undefined, `urn:gatehouse:request:${request.id}`), checks });
    });
    return Promise.resolve();
  };
}
