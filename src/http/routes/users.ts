import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { User } from '../../accounts/types.js';
import type { RequestContext } from '../../core/events.js';
import type { Gatehouse } from '../../gatehouse.js';
import { apiKeyAuth, fastifyRequestContext } from '../../middleware/fastify.js';
import { CreateUserBody, ListUsersQuery, SetPasswordBody, UpdateUserBody, UserIdParams } from '../account-schemas.js';

/** A user on the wire: snake_case, RFC 3339 times, never a password hash. */
export interface UserJson {
  id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  status: 'active' | 'disabled' | 'locked';
  created_at: string;
  updated_at: string;
  password_changed_at: string;
}

/** Serialises a user for a response. */
export function serializeUser(user: User): UserJson {
  return {
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    status: user.status,
    created_at: new Date(user.createdAt).toISOString(),
    updated_at: new Date(user.updatedAt).toISOString(),
    password_changed_at: new Date(user.passwordChangedAt).toISOString(),
  };
}

/**
 * The user-management API under `/v1/users`, for admin API keys (scope `admin`), authenticated
 * before the body is read exactly like `/v1/keys`. Errors are RFC 9457 problem+json.
 */
export function userRoutes(gatehouse: Gatehouse): FastifyPluginAsyncTypebox {
  return (app) => {
    const requireKey = apiKeyAuth({ verifier: gatehouse.apiKeys });
    const admin = { onRequest: requireKey({ scopes: ['admin'] }) };
    const accounts = gatehouse.accounts;

    const managementContext = (request: FastifyRequest): RequestContext => ({
      ...fastifyRequestContext(request),
      ...(request.gatehouse ? { actor: { type: 'api_key' as const, id: request.gatehouse.apiKey.id } } : {}),
    });

    app.post('/v1/users', { ...admin, schema: { body: CreateUserBody } }, async (request, reply) => {
      const b = request.body;
      const user = await accounts.create(
        {
          email: b.email,
          password: b.password,
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.email_verified !== undefined ? { emailVerified: b.email_verified } : {}),
          ...(b.status !== undefined ? { status: b.status } : {}),
        },
        managementContext(request),
      );
      return reply.code(201).header('location', `/v1/users/${user.id}`).send(serializeUser(user));
    });

    app.get('/v1/users', { ...admin, schema: { querystring: ListUsersQuery } }, async (request) => {
      const q = request.query;
      const page = await accounts.list({
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
      });
      return { items: page.items.map(serializeUser), next_cursor: page.nextCursor };
    });

    app.get('/v1/users/:id', { ...admin, schema: { params: UserIdParams } }, async (request) => serializeUser(await accounts.get(request.params.id)));

    app.patch('/v1/users/:id', { ...admin, schema: { params: UserIdParams, body: UpdateUserBody } }, async (request) => {
      const b = request.body;
      const user = await accounts.update(
        request.params.id,
        {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.email !== undefined ? { email: b.email } : {}),
          ...(b.email_verified !== undefined ? { emailVerified: b.email_verified } : {}),
          ...(b.status !== undefined ? { status: b.status } : {}),
        },
        managementContext(request),
      );
      return serializeUser(user);
    });

    app.post('/v1/users/:id/disable', { ...admin, schema: { params: UserIdParams } }, async (request) =>
      serializeUser(await accounts.disable(request.params.id, managementContext(request))),
    );

    app.post('/v1/users/:id/enable', { ...admin, schema: { params: UserIdParams } }, async (request) =>
      serializeUser(await accounts.enable(request.params.id, managementContext(request))),
    );

    app.put('/v1/users/:id/password', { ...admin, schema: { params: UserIdParams, body: SetPasswordBody } }, async (request) =>
      serializeUser(await accounts.changePassword(request.params.id, { newPassword: request.body.password }, managementContext(request))),
    );

    app.post('/v1/users/:id/verification-email', { ...admin, schema: { params: UserIdParams } }, async (request, reply) => {
      const sent = await accounts.sendEmailVerification(request.params.id, managementContext(request));
      return reply.code(sent ? 202 : 200).send({ sent });
    });

    app.delete('/v1/users/:id', { ...admin, schema: { params: UserIdParams } }, async (request, reply) => {
      await accounts.delete(request.params.id, managementContext(request));
      return reply.code(204).send();
    });

    app.delete('/v1/users/:id/sessions', { ...admin, schema: { params: UserIdParams } }, async (request) => ({
      revoked: await accounts.revokeSessions(request.params.id, managementContext(request)),
    }));

    return Promise.resolve();
  };
}
