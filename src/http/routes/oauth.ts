import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { Gatehouse } from '../../gatehouse.js';
import { rawHeaderValues } from '../../middleware/api-key-auth.js';
import { fastifyRequestContext } from '../../middleware/fastify.js';
import { OAUTH_PATHS } from '../../oauth/context.js';
import type { OAuthRequest } from '../../oauth/parameters.js';
import { oauthErrorResponse, REALM } from '../errors.js';
import { serializeTokenResponse } from '../serialize.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Parses a form body keeping every value of every parameter (repeats are judged by the domain). */
function parseForm(body: string): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(body)) (out[name] ??= []).push(value);
  return out;
}

function oauthRequest(request: FastifyRequest): OAuthRequest {
  // A repeated Authorization header is refused (Node would keep only the first).
  if ((rawHeaderValues(request.raw.rawHeaders, 'authorization')?.length ?? 0) > 1) throw new GatehouseError('oauth.invalid_request', { publicMessage: 'The Authorization header must not be repeated.' });
  if (!request.headers['content-type']?.toLowerCase().startsWith(FORM)) {
    throw new GatehouseError('oauth.invalid_request', { publicMessage: `The request body must be ${FORM} (RFC 6749 §3.2).` });
  }
  return { parameters: (request.body as Record<string, string[]> | undefined) ?? {}, authorization: request.headers.authorization };
}

/**
 * The RFC 6750 §2.1 bearer token: undefined without an `Authorization` header (or with another
 * scheme: no bearer credential was presented), null when it is repeated or malformed.
 */
function bearerToken(request: FastifyRequest): string | undefined | null {
  if ((rawHeaderValues(request.raw.rawHeaders, 'authorization')?.length ?? 0) > 1) return null;
  const header = request.headers.authorization;
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return undefined;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
  return match ? match[1]! : null;
}

const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

/**
 * The OAuth 2.0 endpoints, in their own scope: `POST /oauth2/token` (RFC 6749 §3.2),
 * `POST /oauth2/revoke` (RFC 7009), `POST /oauth2/introspect` (RFC 7662), all
 * `application/x-www-form-urlencoded` only, with RFC 6749 §5.2 errors;
 * `GET /.well-known/oauth-authorization-server` (RFC 8414) and
 * `GET /.well-known/openid-configuration` (OIDC Discovery 1.0); and `GET`/`POST /userinfo`
 * (OIDC Core §5.3, RFC 6750 errors and challenges).
 */
export function oauthRoutes(gatehouse: Gatehouse) {
  return (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => done(null, parseForm(body as string)));
    // Any other media type reaches the route unparsed and is refused there as invalid_request.
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    app.setErrorHandler((err, request, reply) => {
      const basic = /^Basic(\s|$)/i.test(request.headers.authorization ?? '');
      const response = oauthErrorResponse(err, String(request.id), basic);
      if (response.status >= 500) request.log.error({ err, request_id: request.id, route: request.routeOptions.url }, 'request failed');
      return reply.code(response.status).headers(response.headers).send(response.body);
    });

    app.post(OAUTH_PATHS.token, async (request, reply) => {
      const response = await gatehouse.oauth.token(oauthRequest(request), fastifyRequestContext(request));
      return noStore(reply).header('content-type', JSON_CONTENT_TYPE).send(serializeTokenResponse(response));
    });

    app.post(OAUTH_PATHS.revocation, async (request, reply) => {
      await gatehouse.oauth.revoke(oauthRequest(request), fastifyRequestContext(request));
      return noStore(reply).code(200).send();
    });

    app.post(OAUTH_PATHS.introspection, async (request, reply) => {
      const response = await gatehouse.oauth.introspect(oauthRequest(request), fastifyRequestContext(request));
      return noStore(reply).send(response);
    });

    app.get(OAUTH_PATHS.metadata, (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(gatehouse.oauth.metadata()));
    app.get(OAUTH_PATHS.openIdConfiguration, (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(gatehouse.oauth.openIdConfiguration()));

    // OIDC Core §5.3.1: GET and POST, the access token in the Authorization header (RFC 6750 §2.1).
    const userinfo = async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request);
      if (token === null) {
        const response = oauthErrorResponse(new GatehouseError('oauth.invalid_request', { publicMessage: 'The Authorization header must be "Bearer <access token>", sent once.' }), String(request.id), false);
        return reply.code(400).headers({ ...response.headers, 'www-authenticate': `Bearer realm="${REALM}", error="invalid_request"` }).send(response.body);
      }
      const claims = await gatehouse.oauth.userinfo(token, fastifyRequestContext(request));
      return noStore(reply).send(claims);
    };
    app.get(OAUTH_PATHS.userinfo, userinfo);
    app.post(OAUTH_PATHS.userinfo, userinfo);
    return Promise.resolve();
  };
}
