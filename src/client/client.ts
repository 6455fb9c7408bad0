import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { systemClock, type Clock } from '../core/clock.js';
import {
  buildAuthorizationUrl,
  validateAuthorizationResponse,
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
  type PendingAuthorization,
} from './authorization.js';
import { checkMetadata, discoverAuthorizationServer, type AuthorizationServerMetadata, type FetchLike } from './discovery.js';
import { NotSignedInError, OAuthValidationError, RefreshTokenExpiredError, TokenEndpointError } from './errors.js';
import { validateIdToken, type IdTokenClaims } from './id-token.js';
import type { RandomBytes } from './pkce.js';
import { requestToken, revokeToken, type TokenEndpointAuthMethod, type TokenResponse } from './token-endpoint.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** Options of {@link createOAuthClient}. */
export interface OAuthClientOptions {
  /** The authorization server's issuer identifier, exactly as in its metadata (RFC 8414 §2). */
  issuer: string;
  clientId: string;
  /** For confidential clients. Never logged, never in an error. */
  clientSecret?: string | undefined;
  /** Default `client_secret_basic` with a secret, `none` (public client) without. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod | undefined;
  /** The registered redirect URI, compared exactly by the server. */
  redirectUri: string;
  /** Where tokens live, keyed by the app's session id. */
  store: TokenStore;
  /** Metadata to use instead of discovery (still checked against `issuer`). */
  metadata?: AuthorizationServerMetadata | undefined;
  /** Refresh when the access token expires within this many **seconds**. Default 60. */
  refreshSkewSeconds?: number | undefined;
  /** Clock skew allowed when validating ID tokens, in **seconds**. Default 60. */
  clockToleranceSeconds?: number | undefined;
  /** Timeout of each request to the authorization server, in **seconds**. Default 10. */
  timeoutSeconds?: number | undefined;
  /** Accepted ID token `alg` values; default the server's `id_token_signing_alg_values_supported` ∩ asymmetric algorithms. */
  idTokenAlgorithms?: string[] | undefined;
  /** Injected for tests. Default the wall clock. */
  clock?: Clock | undefined;
  /** `fetch` used for the authorization server and for {@link OAuthClient.fetchWithAuth}. Default the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** Random source for state, nonce and PKCE. Default `node:crypto`. */
  randomBytes?: RandomBytes | undefined;
  /** ID token signing keys; default the server's `jwks_uri` via jose's `createRemoteJWKSet`. */
  idTokenKeys?: JWTVerifyGetKey | undefined;
}

/** What {@link OAuthClient.handleCallback} returns. */
export interface CallbackResult {
  /** The tokens, also stored under the session id. Do not send them to the browser. */
  tokens: StoredTokens;
  /** The validated ID token claims, when `openid` was requested. */
  idTokenClaims: IdTokenClaims | undefined;
}

/** An OAuth 2.0 / OpenID Connect client for one registered client at one authorization server. */
export interface OAuthClient {
  /** The server's metadata (discovered once, then cached; a failed discovery is retried next call). */
  getMetadata(): Promise<AuthorizationServerMetadata>;
  /**
   * Starts a sign-in: returns the URL to redirect the browser to and the {@link PendingAuthorization}
   * to keep server-side until the callback.
   */
  createAuthorizationRequest(options?: AuthorizationRequestOptions): Promise<AuthorizationRequest>;
  /**
   * Finishes a sign-in: validates the callback (`iss`, `state`, `error`), exchanges the code
   * (with the PKCE verifier and `redirect_uri`), validates the ID token, and stores the tokens
   * under `sessionId`. Use a **new** session id for the signed-in session (session fixation).
   *
   * @throws OAuthValidationError, AccessDeniedError, OAuthCallbackError, TokenEndpointError.
   */
  handleCallback(sessionId: string, callback: URL | URLSearchParams | string, pending: PendingAuthorization): Promise<CallbackResult>;
  /**
   * `fetch` with the session's access token as `Authorization: Bearer` (RFC 6750 §2.1):
   * refreshes first when the token expires within `refreshSkewSeconds`; on a 401, refreshes
   * once and retries once. Concurrent refreshes of one session share one token request.
   *
   * @throws NotSignedInError (no tokens), RefreshTokenExpiredError (tokens cleared),
   *   TokenEndpointError / OAuthValidationError (refresh failed otherwise; tokens kept).
   */
  fetchWithAuth(sessionId: string, input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Returns a valid access token for the session, refreshing if needed (same rules and errors as `fetchWithAuth`). */
  getAccessToken(sessionId: string): Promise<string>;
  /** Refreshes now (single flight with other refreshes of the session). */
  refresh(sessionId: string): Promise<StoredTokens>;
  /**
   * Forgets the session's tokens and, when the server has a `revocation_endpoint`, revokes the
   * refresh token (RFC 7009; failures are ignored, the tokens are forgotten anyway).
   */
  signOut(sessionId: string): Promise<void>;
}

/**
 * Creates an OAuth client for a backend-for-frontend: authorization code flow with PKCE,
 * tokens kept server-side in a {@link TokenStore}, and {@link OAuthClient.fetchWithAuth}.
 *
 * @example
 * const oauth = createOAuthClient({
 *   issuer: 'https://auth.example.com',
 *   clientId: 'my-app', clientSecret: process.env.CLIENT_SECRET,
 *   redirectUri: 'https://app.example.com/callback',
 *   store: createMemoryTokenStore(),
 * });
 */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const clock = options.clock ?? systemClock;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const skewSeconds = options.refreshSkewSeconds ?? 60;
  const toleranceSeconds = options.clockToleranceSeconds ?? 60;
  const timeoutSeconds = options.timeoutSeconds ?? 10;
  const { store } = options;
  const credentials = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    tokenEndpointAuthMethod: options.tokenEndpointAuthMethod,
  };
  if (skewSeconds < 0 || toleranceSeconds < 0 || timeoutSeconds <= 0) throw new TypeError('refreshSkewSeconds, clockToleranceSeconds and timeoutSeconds must be positive');
  if (options.tokenEndpointAuthMethod !== undefined && options.tokenEndpointAuthMethod !== 'none' && !options.clientSecret) {
    throw new TypeError(`${options.tokenEndpointAuthMethod} needs a clientSecret`);
  }

  let metadataPromise: Promise<AuthorizationServerMetadata> | undefined =
    options.metadata === undefined ? undefined : Promise.resolve(checkMetadata(options.metadata, options.issuer));
  let keys: JWTVerifyGetKey | undefined = options.idTokenKeys;
  const inflight = new Map<string, Promise<StoredTokens>>();

  const getMetadata = (): Promise<AuthorizationServerMetadata> => {
    metadataPromise ??= discoverAuthorizationServer(options.issuer, { fetch: doFetch, timeoutSeconds }).catch((err: unknown) => {
      metadataPromise = undefined;
      throw err;
    });
    return metadataPromise;
  };

  const getKeys = (metadata: AuthorizationServerMetadata): JWTVerifyGetKey => {
    if (keys !== undefined) return keys;
    if (metadata.jwks_uri === undefined) throw new OAuthValidationError('invalid_metadata', 'server returned an ID token but has no jwks_uri');
    keys = createRemoteJWKSet(new URL(metadata.jwks_uri), {
      timeoutDuration: timeoutSeconds * 1000,
      [customFetch]: (url: string, init: RequestInit) => doFetch(url, init),
    });
    return keys;
  };

  const toStored = (response: TokenResponse, previous?: StoredTokens): StoredTokens => ({
    accessToken: response.access_token,
    tokenType: 'Bearer',
    expiresAt: response.expires_in === undefined ? undefined : Math.floor(clock.now() / 1000) + response.expires_in,
    // RFC 6749 §6: without a new refresh token, the old one stays valid.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    scope: response.scope ?? previous?.scope,
    idToken: response.id_token ?? previous?.idToken,
  });

  const checkIdToken = async (metadata: AuthorizationServerMetadata, response: TokenResponse, nonce: string | undefined) => {
    if (response.id_token === undefined) return undefined;
    const advertised = metadata.id_token_signing_alg_values_supported;
    return validateIdToken(response.id_token, getKeys(metadata), {
      issuer: metadata.issuer,
      clientId: options.clientId,
      nonce,
      accessToken: response.access_token,
      nowMs: clock.now(),
      clockToleranceSeconds: toleranceSeconds,
      algorithms: options.idTokenAlgorithms ?? advertised?.filter((a) => a !== 'none' && !a.startsWith('HS')),
    });
  };

  const expiresSoon = (tokens: StoredTokens): boolean =>
    tokens.expiresAt !== undefined && clock.now() / 1000 >= tokens.expiresAt - skewSeconds;

  /** Refreshes unless another caller already replaced `used`; one token request per session at a time. */
  const refreshFrom = (sessionId: string, used: StoredTokens | undefined): Promise<StoredTokens> => {
    const running = inflight.get(sessionId);
    if (running !== undefined) return running;
    const task = (async () => {
      const current = await store.get(sessionId);
      if (current === undefined) throw new NotSignedInError();
      if (used !== undefined && current.accessToken !== used.accessToken && !expiresSoon(current)) return current;
      if (current.refreshToken === undefined) {
        await store.delete(sessionId);
        throw new RefreshTokenExpiredError();
      }
      const metadata = await getMetadata();
      let response: TokenResponse;
      try {
        response = await requestToken(metadata, credentials, { grant_type: 'refresh_token', refresh_token: current.refreshToken }, { fetch: doFetch, timeoutSeconds });
      } catch (err) {
        // RFC 6749 §5.2: invalid_grant = the refresh token is invalid, expired, revoked or reused.
        if (err instanceof TokenEndpointError && err.code === 'invalid_grant') {
          await store.delete(sessionId);
          throw new RefreshTokenExpiredError({ cause: err });
        }
        throw err;
      }
      await checkIdToken(metadata, response, undefined);
      const next = toStored(response, current);
      // A sign-out during the refresh wins: do not bring the session back.
      if ((await store.get(sessionId)) === undefined) throw new NotSignedInError();
      await store.set(sessionId, next);
      return next;
    })().finally(() => inflight.delete(sessionId));
    inflight.set(sessionId, task);
    return task;
  };

  const currentTokens = async (sessionId: string): Promise<StoredTokens> => {
    const pending = inflight.get(sessionId);
    if (pending !== undefined) return pending;
    const tokens = await store.get(sessionId);
    if (tokens === undefined) throw new NotSignedInError();
    return expiresSoon(tokens) ? refreshFrom(sessionId, tokens) : tokens;
  };

  return {
    getMetadata,

    async createAuthorizationRequest(requestOptions = {}) {
      const metadata = await getMetadata();
      return buildAuthorizationUrl(metadata, { clientId: options.clientId, redirectUri: options.redirectUri }, requestOptions, options.randomBytes);
    },

    async handleCallback(sessionId, callback, pending) {
      const metadata = await getMetadata();
      const code = validateAuthorizationResponse(metadata, pending, callback);
      const response = await requestToken(
        metadata,
        credentials,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: pending.redirectUri,
          code_verifier: pending.codeVerifier,
          resource: pending.resource,
        },
        { fetch: doFetch, timeoutSeconds },
      );
      const wantsIdToken = pending.scope?.split(' ').includes('openid') ?? false;
      if (wantsIdToken && response.id_token === undefined) {
        throw new OAuthValidationError('invalid_token_response', 'token response has no id_token although openid was requested');
      }
      const idTokenClaims = await checkIdToken(metadata, response, pending.nonce);
      const tokens = toStored(response);
      await store.set(sessionId, tokens);
      return { tokens, idTokenClaims };
    },

    async fetchWithAuth(sessionId, input, init) {
      const template = new Request(input, init);
      const send = (token: string): Promise<Response> => {
        const request = template.clone();
        request.headers.set('authorization', `Bearer ${token}`);
        return doFetch(request);
      };
      const tokens = await currentTokens(sessionId);
      const response = await send(tokens.accessToken);
      if (response.status !== 401) return response;
      await response.body?.cancel();
      // RFC 6750 §3.1 invalid_token: one refresh, one retry; a second 401 is returned as is.
      const fresh = await refreshFrom(sessionId, tokens);
      return send(fresh.accessToken);
    },

    async getAccessToken(sessionId) {
      return (await currentTokens(sessionId)).accessToken;
    },

    refresh(sessionId) {
      return refreshFrom(sessionId, undefined);
    },

    async signOut(sessionId) {
      const tokens = await store.get(sessionId);
      await store.delete(sessionId);
      if (tokens?.refreshToken === undefined) return;
      try {
        const metadata = await getMetadata();
        if (metadata.revocation_endpoint === undefined) return;
        await revokeToken(metadata.revocation_endpoint, credentials, tokens.refreshToken, 'refresh_token', { fetch: doFetch, timeoutSeconds });
      } catch {
        // Best effort (RFC 7009 §2.2): the tokens are already forgotten here.
      }
    },
  };
}
