// oidc-provider (panva, v9) configured like Gatehouse's `client_credentials` path, for
// bench/oauth.js: one confidential client (`client_secret_basic`) registered for
// `client_credentials` only, introspection on, and a resource server (resource indicators)
// whose access tokens are JWTs signed with BENCH_OIDC_ALG (RS256, ES256 or EdDSA), or opaque with
// BENCH_OIDC_FORMAT=opaque. Default in-memory adapter, as in its own examples. Prints one JSON
// line `{ "ready": true, "url": ... }` once listening; stops on SIGTERM, SIGINT, or when its
// parent closes stdin.
import crypto from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import { serveUntilStopped } from './child.js';
import Provider from 'oidc-provider';

const alg = process.env.BENCH_OIDC_ALG ?? 'RS256';
const format = process.env.BENCH_OIDC_FORMAT ?? 'jwt';
const clientId = process.env.BENCH_OIDC_CLIENT_ID ?? 'bench-client';
const clientSecret = process.env.BENCH_OIDC_CLIENT_SECRET ?? 'bench-secret-bench-secret-bench-secret';
const scope = process.env.BENCH_OIDC_SCOPE ?? 'invoices:read';
const resource = 'https://api.example.com/';
if (!['RS256', 'ES256', 'EdDSA'].includes(alg)) throw new Error('BENCH_OIDC_ALG must be RS256, ES256 or EdDSA');
if (!['jwt', 'opaque'].includes(format)) throw new Error('BENCH_OIDC_FORMAT must be jwt or opaque');

// Quiet the development-defaults notices (they go to console.warn/info once at start).
globalThis.console.warn = () => {};
globalThis.console.info = () => {};

const jwk = (keyPair, keyAlg) => ({ ...keyPair.privateKey.export({ format: 'jwk' }), alg: keyAlg, use: 'sig', kid: keyAlg.toLowerCase() });
const rsa = jwk(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RS256');
const ec = jwk(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ES256');
const ed = jwk(crypto.generateKeyPairSync('ed25519'), 'EdDSA');

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(url, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope,
    },
  ],
  // The signing key of the measured algorithm first (the others are there for completeness).
  jwks: { keys: alg === 'RS256' ? [rsa, ec, ed] : alg === 'ES256' ? [ec, rsa, ed] : [ed, rsa, ec] },
  scopes: scope.split(' '),
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope,
        audience: resource,
        accessTokenTTL: 900,
        accessTokenFormat: format,
        ...(format === 'jwt' ? { jwt: { sign: { alg } } } : {}),
      }),
    },
  },
});
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider: ${err.stack ?? err}\n`));
server.on('request', provider.callback());
serveUntilStopped({ url, clientId, clientSecret, scope }, () => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
});
