import { cacheClientStore } from './client-cache.js';
import type { RequestContext } from '../core/events.js';
import { authorize, decideConsent, type AuthorizationOutcome, type AuthorizationParameters, type AuthorizationSession } from './authorize.js';
import { listConsents, revokeConsent, type Consent } from './consents.js';
import type { OAuthDeps, OAuthServiceOptions } from './context.js';
import { createClient, type CreateClientInput, type CreatedClient } from './create.js';
import { deleteClient } from './delete.js';
import { checkEndSession, completeEndSession, type EndSessionOutcome, type EndSessionParameters, type EndSessionRequest } from './end-session.js';
import type { TokenResponse } from './grants/index.js';
import { introspectToken, type IntrospectionResponse } from './introspect.js';
import { authorizationServerMetadata, openIdConfiguration, type AuthorizationServerMetadata } from './metadata.js';
import type { OAuthRequest } from './parameters.js';
import { getClient, listClients, type ClientList, type ListClientsOptions } from './read.js';
import { revokeToken } from './revoke.js';
import { rotateClientSecret } from './rotate-secret.js';
import { exchangeToken } from './token.js';
import type { OAuthClient } from './types.js';
import { updateClient, type UpdateClientInput, type UpdatedClient } from './update.js';
import { getUserInfo, type UserInfoResponse } from './userinfo.js';

export type { OAuthServiceOptions } from './context.js';

/** Client registration: every operation, callable without HTTP (`/v1/clients`, `gatehouse clients`). */
export interface OAuthClientService {
  /** See {@link createClient}. */
  create(input: CreateClientInput, context?: RequestContext): Promise<CreatedClient>;
  /** See {@link getClient}. */
  get(id: string): Promise<OAuthClient>;
  /** See {@link listClients}. */
  list(options?: ListClientsOptions): Promise<ClientList>;
  /** See {@link updateClient}. */
  update(id: string, input: UpdateClientInput, context?: RequestContext): Promise<UpdatedClient>;
  /** See {@link deleteClient}. */
  delete(id: string, context?: RequestContext): Promise<OAuthClient>;
  /** See {@link rotateClientSecret}. */
  rotateSecret(id: string, context?: RequestContext): Promise<CreatedClient>;
}

/** A user's remembered consents (`/auth/consents`). */
export interface OAuthConsentService {
  /** See {@link listConsents}. */
  list(userId: string): Promise<Consent[]>;
  /** See {@link revokeConsent}. */
  revoke(userId: string, clientId: string, context?: RequestContext): Promise<void>;
}

/** The OAuth 2.0 authorization server and OpenID Connect provider: clients, the authorization endpoint and consent, and the token, revocation, introspection, UserInfo and metadata endpoints. See `docs/oauth.md`. */
export interface OAuthService {
  clients: OAuthClientService;
  /** See {@link authorize}. */
  authorize(params: AuthorizationParameters, session: AuthorizationSession | null, context?: RequestContext): Promise<AuthorizationOutcome>;
  /** See {@link decideConsent}. */
  decideConsent(params: AuthorizationParameters, session: AuthorizationSession, decision: 'allow' | 'deny', context?: RequestContext): Promise<AuthorizationOutcome>;
  consents: OAuthConsentService;
  /** See {@link exchangeToken}. */
  token(request: OAuthRequest, context?: RequestContext): Promise<TokenResponse>;
  /** See {@link revokeToken}. */
  revoke(request: OAuthRequest, context?: RequestContext): Promise<void>;
  /** See {@link introspectToken}. */
  introspect(request: OAuthRequest, context?: RequestContext): Promise<IntrospectionResponse>;
  /** See {@link authorizationServerMetadata}. */
  metadata(): AuthorizationServerMetadata;
  /** See {@link openIdConfiguration}. */
  openIdConfiguration(): AuthorizationServerMetadata;
  /** See {@link getUserInfo}. */
  userinfo(accessToken: string | undefined, context?: RequestContext): Promise<UserInfoResponse>;
  /** See {@link checkEndSession}. */
  endSession(params: EndSessionParameters, sessionUserId: string | null, context?: RequestContext): Promise<EndSessionOutcome>;
  /** See {@link completeEndSession}. */
  completeEndSession(request: EndSessionRequest, ended: boolean, context?: RequestContext): string | null;
}

/**
 * Builds the OAuth service from explicit dependencies.
 *
 * @example
 * const oauth = createOAuthService({ clients, grants, tokens, counters, audit, clock, random, config: config.oauth, jwt: config.jwt, users, issuer, logger });
 */
export function createOAuthService(options: OAuthServiceOptions): OAuthService {
  const deps: OAuthDeps = {
    ...options,
    clients: cacheClientStore(options.clients, { clock: options.clock, maxAgeSeconds: options.config.clientCacheSeconds }),
    assertionVerifiers: new Map(),
    ownTokens: undefined,
  };
  return {
    clients: {
      create: (input, context) => createClient(deps, input, context),
      get: (id) => getClient(deps, id),
      list: (listOptions) => listClients(deps, listOptions),
      update: (id, input, context) => updateClient(deps, id, input, context),
      delete: (id, context) => deleteClient(deps, id, context),
      rotateSecret: (id, context) => rotateClientSecret(deps, id, context),
    },
    authorize: (params, session, context) => authorize(deps, params, session, context),
    decideConsent: (params, session, decision, context) => decideConsent(deps, params, session, decision, context),
    consents: {
      list: (userId) => listConsents(deps, userId),
      revoke: (userId, clientId, context) => revokeConsent(deps, userId, clientId, context),
    },
    token: (request, context) => exchangeToken(deps, request, context),
    revoke: (request, context) => revokeToken(deps, request, context),
    introspect: (request, context) => introspectToken(deps, request, context),
    metadata: () => authorizationServerMetadata(deps),
    openIdConfiguration: () => openIdConfiguration(deps),
    userinfo: (accessToken, context) => getUserInfo(deps, accessToken, context),
    endSession: (params, sessionUserId, context) => checkEndSession(deps, params, sessionUserId, context),
    completeEndSession: (request, ended, context) => completeEndSession(deps, request, ended, context),
  };
}
