import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RequestContext } from '../core/events.js';
import { authenticateApiKey, nodeHeaderReader, type ApiKeyAuthResult, type ApiKeyVerifier } from './api-key-auth.js';
import { requestIdFrom } from './request-id.js';

export type { ApiKeyVerifier, ApiKeyAuthResult } from './api-key-auth.js';
export { createRemoteApiKeyVerifier, type RemoteApiKeyVerifierOptions } from './remote-verifier.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by Gatehouse middleware once the request is authenticated. */
    gatehouse?: ApiKeyAuthResult;
  }
}

/** Options of {@link apiKeyAuth}. */
export interface ExpressApiKeyAuthOptions {
  /** `gatehouse.apiKeys` in process, or `createRemoteApiKeyVerifier(...)`. */
  verifier: ApiKeyVerifier;
  /** Told of the failure behind every 503 (storage or verifier down), for your log. Never given a secret. */
  onError?: (error: unknown, requestId: string) => void;
}

/**
 * Protects Express routes with API keys. Returns a factory of middleware, one per scope set.
 * On success `req.gatehouse.apiKey` holds the verified key and the response carries the
 * `RateLimit` fields; on failure it answers 401/403/429/400/503 (RFC 6750, RFC 9457) and
 * does not call `next`. A repeated `Authorization` or `X-API-Key` header is refused with 400.
 *
 * @example
 * import { apiKeyAuth } from 'gatehouse/middleware/express';
 * const requireKey = apiKeyAuth({ verifier: gatehouse.apiKeys });
 * app.get('/orders', requireKey({ scopes: ['orders:read'] }), (req, res) => res.json({ owner: req.gatehouse?.apiKey.ownerId }));
 */
export function apiKeyAuth(options: ExpressApiKeyAuthOptions): (route?: { scopes?: readonly string[] }) => RequestHandler {
  return (route = {}) =>
    function gatehouseApiKeyAuth(req: Request, res: Response, next: NextFunction): void {
      const requestId = requestIdFrom(req.headers['x-request-id']);
      const ua = req.headers['user-agent'];
      const context: RequestContext = {
        source: { ...(req.ip ? { ip: req.ip } : {}), ...(ua ? { user_agent: ua.slice(0, 512) } : {}) },
        http: { method: req.method, route: (req.baseUrl ?? '') + (req.route ? String((req.route as { path: unknown }).path) : req.path), request_id: requestId },
      };
      authenticateApiKey(options.verifier, nodeHeaderReader(req), {
        ...(route.scopes ? { scopes: route.scopes } : {}),
        context,
        requestId,
      }).then(
        (outcome) => {
          if (outcome.ok) {
            req.gatehouse = outcome.auth;
            res.set(outcome.headers);
            next();
            return;
          }
          if (outcome.response.status >= 500) options.onError?.(outcome.error, requestId);
          res.status(outcome.response.status).set(outcome.response.headers).send(JSON.stringify(outcome.response.body));
        },
        (err: unknown) => next(err),
      );
    };
}
