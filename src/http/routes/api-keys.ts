import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../core/events.js';
import type { Gatehouse } from '../../gatehouse.js';
import { apiKeyAuth, fastifyRequestContext } from '../../middleware/fastify.js';
import { WhoamiResponse, CreateKeyBody, KeyIdParams, ListKeysQuery, RotateKeyBody, UpdateKeyBody, VerifyKeyBody } from '../schemas.js';
import { serializeApiKey, serializeRateLimit } from '../serialize.js';

/** The management and verification API for API keys, under `/v1`. */
export function apiKeyRoutes(gatehouse: Gatehouse): FastifyPluginAsyncTypebox {
  return (app) => {
    const requireKey = apiKeyAuth({ verifier: gatehouse.apiKeys });
    // Authenticate on request, before the body is read: unauthenticated callers get their
    // 401/403 without the server reading, parsing or validating anything they send.
    const admin = { onRequest: requireKey({ scopes: ['admin'] }) };

    const managementContext = (request: FastifyRequest): RequestContext => ({
      ...fastifyRequestContext(request),
      ...(request.gatehouse ? { actor: { type: 'api_key' as const, id: request.gatehouse.apiKey.id } } : {}),
    });

    app.post('/v1/keys', { ...admin, schema: { body: CreateKeyBody } }, async (request, reply) => {
      const b = request.body;
      const { key, apiKey } = await gatehouse.apiKeys.create(
        {
          name: b.name,
          ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
          ...(b.owner_id !== undefined ? { ownerId: b.owner_id } : {}),
          ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
          ...(b.expires_in_seconds !== undefined ? { expiresInSeconds: b.expires_in_seconds } : {}),
          ...(b.environment !== undefined ? { environment: b.environment } : {}),
          ...(b.rate_limit !== undefined ? { rateLimit: b.rate_limit && { limit: b.rate_limit.limit, windowSeconds: b.rate_limit.window_seconds } } : {}),
        },
        managementContext(request),
      );
      return reply.code(201).header('location', `/v1/keys/${apiKey.id}`).send({ ...serializeApiKey(apiKey), key });
    });

    app.get('/v1/keys', { ...admin, schema: { querystring: ListKeysQuery } }, async (request) => {
      const q = request.query;
      const page = await gatehouse.apiKeys.list({
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.owner_id !== undefined ? { ownerId: q.owner_id } : {}),
        ...(q.include_revoked === 'true' ? { includeRevoked: true } : {}),
      });
      return { items: page.items.map(serializeApiKey), next_cursor: page.nextCursor };
    });

    app.get('/v1/keys/:id', { ...admin, schema: { params: KeyIdParams } }, async (request) =>
      serializeApiKey(await gatehouse.apiKeys.get(request.params.id)),
    );

    app.patch('/v1/keys/:id', { ...admin, schema: { params: KeyIdParams, body: UpdateKeyBody } }, async (request) => {
      const b = request.body;
      const updated = await gatehouse.apiKeys.update(
        request.params.id,
        {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.scopes !== undefined ? { scopes: b.scopes } : {}),
          ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
          ...(b.rate_limit !== undefined ? { rateLimit: b.rate_limit && { limit: b.rate_limit.limit, windowSeconds: b.rate_limit.window_seconds } } : {}),
          ...(b.expires_in_seconds !== undefined ? { expiresInSeconds: b.expires_in_seconds } : {}),
          ...(b.expires_at !== undefined ? { expiresAt: b.expires_at === null ? null : Date.parse(b.expires_at) } : {}),
        },
        managementContext(request),
      );
      return serializeApiKey(updated);
    });

    app.post('/v1/keys/:id/rotate', { ...admin, schema: { params: KeyIdParams, body: RotateKeyBody } }, async (request, reply) => {
      const b = request.body ?? {};
      const rotated = await gatehouse.apiKeys.rotate(
        request.params.id,
        {
          ...(b.grace_period_seconds !== undefined ? { gracePeriodSeconds: b.grace_period_seconds } : {}),
          ...(b.expires_in_seconds !== undefined ? { expiresInSeconds: b.expires_in_seconds } : {}),
        },
        managementContext(request),
      );
      return reply
        .code(201)
        .header('location', `/v1/keys/${rotated.apiKey.id}`)
        .send({ ...serializeApiKey(rotated.apiKey), key: rotated.key, previous: serializeApiKey(rotated.previous) });
    });

    app.delete('/v1/keys/:id', { ...admin, schema: { params: KeyIdParams } }, async (request) =>
      serializeApiKey(await gatehouse.apiKeys.revoke(request.params.id, managementContext(request))),
    );

    app.post('/v1/keys/verify', { onRequest: requireKey({ scopes: ['keys:verify'] }), schema: { body: VerifyKeyBody } }, async (request) => {
      const result = await gatehouse.apiKeys.verify(request.body.key, {
        ...(request.body.scopes ? { scopes: request.body.scopes } : {}),
        context: { http: fastifyRequestContext(request).http!, actor: { type: 'api_key', id: request.gatehouse!.apiKey.id } },
      });
      if (result.valid) return { valid: true, ...serializeApiKey(result.key), ratelimit: serializeRateLimit(result.rateLimit) };
      return {
        valid: false,
        code: result.code,
        ...(result.rateLimit ? { ratelimit: serializeRateLimit(result.rateLimit) } : {}),
        ...(result.requiredScopes ? { required_scopes: result.requiredScopes } : {}),
      };
    });

    app.get('/v1/whoami', { preHandler: requireKey(), schema: { response: { 200: WhoamiResponse } } }, (request) => {
      const { apiKey, rateLimit } = request.gatehouse!;
      return {
        id: apiKey.id,
        name: apiKey.name,
        start: `${apiKey.prefix}_${apiKey.start}`,
        environment: apiKey.environment,
        owner_id: apiKey.ownerId,
        scopes: apiKey.scopes,
        expires_at: apiKey.expiresAt === null ? null : new Date(apiKey.expiresAt).toISOString(),
        ratelimit: serializeRateLimit(rateLimit),
      };
    });

    return Promise.resolve();
  };
}
