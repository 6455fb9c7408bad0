import type { AuthorizationServerMetadata, FetchLike } from '../../src/client/index.js';

/** A scripted authorization server + resource server behind a `fetch`, for the client helper's unit tests. */
export interface FakeOAuthServer {
  fetch: FetchLike;
  metadata: AuthorizationServerMetadata;
  /** Token endpoint requests, in order, as parsed form bodies with the Authorization header. */
  tokenRequests: Array<{ body: URLSearchParams; authorization: string | null }>;
  /** Resource requests, in order: the bearer token each carried. */
  resourceRequests: string[];
  /** Access tokens the resource server accepts. */
  validAccessTokens: Set<string>;
  /** Refresh tokens the token endpoint accepts. */
  validRefreshTokens: Set<string>;
  /** When set, the token endpoint waits for this promise before answering (to hold refreshes in flight). */
  gate: Promise<void> | undefined;
  /** Lifetime of issued access tokens, seconds. */
  expiresIn: number;
  /** Resource answers 401 for every token when true. */
  resourceAlwaysRejects: boolean;
}

export const ISSUER = 'https://as.example.com';
export const RESOURCE = 'https://api.example.com/me';

export function createFakeOAuthServer(): FakeOAuthServer {
  let counter = 0;
  const server: FakeOAuthServer = {
    metadata: {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    },
    tokenRequests: [],
    resourceRequests: [],
    validAccessTokens: new Set(),
    validRefreshTokens: new Set(),
    gate: undefined,
    expiresIn: 300,
    resourceAlwaysRejects: false,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.href === `${ISSUER}/token`) {
        const body = new URLSearchParams(await request.text());
        server.tokenRequests.push({ body, authorization: request.headers.get('authorization') });
        if (server.gate) await server.gate;
        const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
        const grant = body.get('grant_type');
        if (grant === 'authorization_code' && body.get('code') !== 'good-code') return json(400, { error: 'invalid_grant' });
        if (grant === 'refresh_token') {
          const rt = body.get('refresh_token') ?? '';
          if (!server.validRefreshTokens.has(rt)) return json(400, { error: 'invalid_grant', error_description: 'grant request is invalid' });
          server.validRefreshTokens.delete(rt);
        }
        counter += 1;
        const accessToken = `at-${counter}`;
        const refreshToken = `rt-${counter}`;
        server.validAccessTokens.add(accessToken);
        server.validRefreshTokens.add(refreshToken);
        return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: server.expiresIn, refresh_token: refreshToken, scope: 'api' });
      }
      if (url.href === RESOURCE) {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
        server.resourceRequests.push(token);
        if (server.resourceAlwaysRejects || !server.validAccessTokens.has(token)) {
          return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
        }
        return new Response(JSON.stringify({ ok: true, method: request.method, body: await request.text() }), { status: 200 });
      }
      return new Response('not found', { status: 404 });
    },
  };
  return server;
}
