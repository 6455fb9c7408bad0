/** Client authentication at the token, revocation and introspection endpoints (RFC 7591 §2, RFC 7523 §2.2). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

/** Every accepted `token_endpoint_auth_method`. */
export const tokenEndpointAuthMethods: readonly TokenEndpointAuthMethod[] = Object.freeze(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);

/**
 * Grant types a client may be registered for (RFC 7591 §2), each served by a handler of the
 * token endpoint (see `grants/index.ts`).
 */
export type OAuthGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** Every grant type a client may be registered for. */
export const registrableGrantTypes: readonly OAuthGrantType[] = Object.freeze(['authorization_code', 'refresh_token', 'client_credentials']);

/** A public JWK Set (RFC 7517 §5): the client's keys for `private_key_jwt`. */
export interface ClientJwks {
  keys: Record<string, unknown>[];
}

/**
 * A registered OAuth client as Gatehouse shows it: everything but the secret's hash.
 * Times are epoch milliseconds. Wire names (RFC 7591) are mapped in `http/`.
 */
export interface OAuthClient {
  /** `client_id`: `cli_` + 26 characters, time-sortable, public. */
  id: string;
  /** `client_name`, 1 to 200 characters. */
  name: string;
  /** Exact redirect URIs (RFC 6749 §3.1.2, RFC 8252 §7). */
  redirectUris: string[];
  /** Where RP-initiated logout may return (OpenID Connect RP-Initiated Logout 1.0 §3.1); same rules as `redirectUris`. */
  postLogoutRedirectUris: string[];
  grantTypes: OAuthGrantType[];
  /** `code` when `authorization_code` is registered (RFC 7591 §2.1); else empty. */
  responseTypes: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** The scopes the client may ask for (RFC 6749 §3.3). */
  scopes: string[];
  /** Public keys for `private_key_jwt`; null otherwise. */
  jwks: ClientJwks | null;
  /** True when a secret is set (`client_secret_basic`, `client_secret_post`). */
  hasSecret: boolean;
  createdAt: number;
  updatedAt: number;
  /** When the current secret was issued; null without one. */
  secretUpdatedAt: number | null;
}

/** A stored client: the public view plus the secret's hash. Never leaves the core. */
export interface OAuthClientRecord extends Omit<OAuthClient, 'hasSecret'> {
  /** Lower-case hex SHA-256 of the client secret, or null (public and `private_key_jwt` clients). */
  secretHash: string | null;
}
