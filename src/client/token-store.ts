/**
 * Tokens held for one application session. They live server-side only, keyed by the app's
 * own session id; the browser sees the session cookie, never a token.
 */
export interface StoredTokens {
  /** The access token (RFC 6749 §5.1). */
  accessToken: string;
  /** Always `Bearer` (other types are refused at the token endpoint response). */
  tokenType: 'Bearer';
  /**
   * When the access token expires, in **seconds** since the Unix epoch (like a JWT `exp`),
   * computed from `expires_in` and the client's clock at receipt; absent when the server sent
   * no `expires_in` (the helper then refreshes only after a 401).
   */
  expiresAt?: number | undefined;
  /** The refresh token, if the server issued one (RFC 6749 §6). */
  refreshToken?: string | undefined;
  /** The granted scope, space-separated (RFC 6749 §3.3), when the server sent one. */
  scope?: string | undefined;
  /** The latest ID token (OpenID Connect), kept for `id_token_hint` at logout. */
  idToken?: string | undefined;
}

/**
 * The token store port. Keyed by the application's own session id (the value your session
 * cookie identifies); values are {@link StoredTokens}. Implementations:
 *
 * - must keep tokens server-side (memory, Redis, SQL), never in a cookie or browser storage;
 * - should encrypt them at rest when the store is shared or persistent (they are bearer
 *   credentials);
 * - should expire entries with the app session (a TTL of the session lifetime);
 * - `set` replaces the whole entry; `get` returns `undefined` for an unknown id;
 * - `delete` of an unknown id is not an error.
 *
 * The helper serializes refreshes per session inside one process only; with several app
 * instances, see docs/client.md ("Several instances").
 *
 * @example
 * // Redis (ioredis), entries expire with the session:
 * const redisTokenStore: TokenStore = {
 *   async get(id) { const v = await redis.get(`tokens:${id}`); return v === null ? undefined : JSON.parse(v) as StoredTokens; },
 *   async set(id, tokens) { await redis.set(`tokens:${id}`, JSON.stringify(tokens), 'EX', 86_400); },
 *   async delete(id) { await redis.del(`tokens:${id}`); },
 * };
 */
export interface TokenStore {
  get(sessionId: string): Promise<StoredTokens | undefined>;
  set(sessionId: string, tokens: StoredTokens): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

/**
 * A {@link TokenStore} in this process's memory: for one instance and for tests. Entries are
 * copied in and out, so callers cannot mutate stored tokens. Nothing expires on its own;
 * call `delete` when the app session ends.
 *
 * @example
 * const store = createMemoryTokenStore();
 */
export function createMemoryTokenStore(): TokenStore & { readonly size: number } {
  const entries = new Map<string, StoredTokens>();
  return {
    get: (sessionId) => Promise.resolve(copy(entries.get(sessionId))),
    set: (sessionId, tokens) => {
      entries.set(sessionId, { ...tokens });
      return Promise.resolve();
    },
    delete: (sessionId) => {
      entries.delete(sessionId);
      return Promise.resolve();
    },
    get size() {
      return entries.size;
    },
  };
}

function copy(tokens: StoredTokens | undefined): StoredTokens | undefined {
  return tokens === undefined ? undefined : { ...tokens };
}
