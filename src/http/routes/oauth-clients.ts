import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../core/events.js';
import type { Gatehouse } from '../../gatehouse.js';
import { apiKeyAuth, fastifyRequestContext } from '../../middleware/fastify.js';
import type { OAuthClient } from '../../oauth/types.js';
import { serializeClient } from '../serialize.js';

const ScopeString = Type.String({ maxLength: 8192 });
const GrantTypes = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 });
const Jwks = Type.Union([Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 10 }) }), Type.Null()]);
const metadataFields = {
  client_name: Type.String({ minLength: 1, maxLength: 200 }),
  redirect_uris: Type.Array(Type.String({ maxLength: 2048 }), { maxItems: 20 }),
  post_logout_redirect_uris: Type.Array(Type.String({ maxLength: 2048 }), { maxItems: 20 }),
  grant_types: GrantTypes,
  response_types: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 5 }),
  token_endpoint_auth_method: Type.String({ maxLength: 64 }),
  scope: ScopeString,
  jwks: Jwks,
};
const CreateClientBody = Type.Object(
  {
    client_name: metadataFields.client_name,
    redirect_uris: Type.Optional(metadataFields.redirect_uris),
    post_logout_redirect_uris: Type.Optional(metadataFields.post_logout_redirect_uris),
    grant_types: Type.Optional(metadataFields.grant_types),
    response_types: Type.Optional(metadataFields.response_types),
    token_endpoint_auth_method: Type.Optional(metadataFields.token_endpoint_auth_method),
    scope: Type.Optional(metadataFields.scope),
    jwks: Type.Optional(metadataFields.jwks),
  },
  { additionalProperties: false },
);
const UpdateClientBody = Type.Partial(Type.Object(metadataFields), { additionalProperties: false, minProperties: 1 });
const ClientIdParams = Type.Object({ client_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ListClientsQuery = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })), cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);

const splitScope = (scope: string): string[] => scope.split(' ').filter((s) => s !== '');

/** `client_secret` and `client_secret_expires_at` (0: never, RFC 7591 §3.2.1) when a secret was just issued. */
const withSecret = (client: OAuthClient, secret: string | null) => ({ ...serializeClient(client), ...(secret !== null ? { client_secret: secret, client_secret_expires_at: 0 } : {}) });

/** Client registration by admin API key, under `/v1/clients`, in RFC 7591 metadata names. */
export function oauthClientRoutes(gatehouse: Gatehouse): FastifyPluginAsyncTypebox {
  return (app) => {
    const admin = { onRequest: apiKeyAuth({ verifier: gatehouse.apiKeys })({ scopes: ['admin'] }) };
    const context = (request: FastifyRequest): RequestContext => ({
      ...fastifyRequestContext(request),
      ...(request.gatehouse ? { actor: { type: 'api_key' as const, id: request.gatehouse.apiKey.id } } : {}),
    });
    type Body = Partial<{ client_name: string; redirect_uris: string[]; post_logout_redirect_uris: string[]; grant_types: string[]; response_types: string[]; token_endpoint_auth_method: string; scope: string; jwks: { keys: Record<string, unknown>[] } | null }>;
    const toInput = (b: Body) => ({
      ...(b.client_name !== undefined ? { name: b.client_name } : {}),
      ...(b.redirect_uris !== undefined ? { redirectUris: b.redirect_uris } : {}),
      ...(b.post_logout_redirect_uris !== undefined ? { postLogoutRedirectUris: b.post_logout_redirect_uris } : {}),
      ...(b.grant_types !== undefined ? { grantTypes: b.grant_types as never } : {}),
      ...(b.response_types !== undefined ? { responseTypes: b.response_types } : {}),
      ...(b.token_endpoint_auth_method !== undefined ? { tokenEndpointAuthMethod: b.token_endpoint_auth_method as never } : {}),
      ...(b.scope !== undefined ? { scopes: splitScope(b.scope) } : {}),
      ...(b.jwks !== undefined ? { jwks: b.jwks } : {}),
    });

    app.post('/v1/clients', { ...admin, schema: { body: CreateClientBody } }, async (request, reply) => {
      const { client, secret } = await gatehouse.oauth.clients.create({ name: request.body.client_name, ...toInput(request.body) }, context(request));
      return reply.code(201).header('location', `/v1/clients/${client.id}`).send(withSecret(client, secret));
    });

    app.get('/v1/clients', { ...admin, schema: { querystring: ListClientsQuery } }, async (request) => {
      const page = await gatehouse.oauth.clients.list({
        ...(request.query.limit !== undefined ? { limit: Number(request.query.limit) } : {}),
        ...(request.query.cursor !== undefined ? { cursor: request.query.cursor } : {}),
      });
      return { items: page.items.map(serializeClient), next_cursor: page.nextCursor };
    });

    app.get('/v1/clients/:client_id', { ...admin, schema: { params: ClientIdParams } }, async (request) => serializeClient(await gatehouse.oauth.clients.get(request.params.client_id)));

    app.patch('/v1/clients/:client_id', { ...admin, schema: { params: ClientIdParams, body: UpdateClientBody } }, async (request) => {
      const { client, secret } = await gatehouse.oauth.clients.update(request.params.client_id, toInput(request.body), context(request));
      return withSecret(client, secret);
    });

    app.post('/v1/clients/:client_id/rotate-secret', { ...admin, schema: { params: ClientIdParams } }, async (request) => {
      const { client, secret } = await gatehouse.oauth.clients.rotateSecret(request.params.client_id, context(request));
      return withSecret(client, secret);
    });

    app.delete('/v1/clients/:client_id', { ...admin, schema: { params: ClientIdParams } }, async (request) => serializeClient(await gatehouse.oauth.clients.delete(request.params.client_id, context(request))));

    return Promise.resolve();
  };
}
