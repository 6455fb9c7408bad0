/**
 * Environment variables Gatehouse reads, each mapped to one configuration path.
 * A variable ending in `_FILE` beside a secret setting reads that setting from a file
 * (the Docker/Kubernetes secrets convention).
 */
export const envVariables = [
  { name: 'GATEHOUSE_HOST', path: ['server', 'host'], type: 'string' },
  { name: 'GATEHOUSE_PORT', path: ['server', 'port'], type: 'integer' },
  { name: 'GATEHOUSE_PUBLIC_URL', path: ['server', 'publicUrl'], type: 'string' },
  { name: 'GATEHOUSE_TRUST_PROXY', path: ['server', 'trustProxy'], type: 'boolean' },
  { name: 'GATEHOUSE_BODY_LIMIT_BYTES', path: ['server', 'bodyLimitBytes'], type: 'integer' },
  { name: 'GATEHOUSE_REQUEST_TIMEOUT_SECONDS', path: ['server', 'requestTimeoutSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_CONNECTION_TIMEOUT_SECONDS', path: ['server', 'connectionTimeoutSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_MAX_CONNECTIONS', path: ['server', 'maxConnections'], type: 'integer' },
  { name: 'GATEHOUSE_DATA_DIR', path: ['dataDir'], type: 'string' },
  { name: 'GATEHOUSE_DATABASE_URL', path: ['database', 'url'], type: 'string', secret: true },
  { name: 'GATEHOUSE_DATABASE_POOL_SIZE', path: ['database', 'poolSize'], type: 'integer' },
  { name: 'GATEHOUSE_DATABASE_SCHEMA', path: ['database', 'schema'], type: 'string' },
  { name: 'GATEHOUSE_REDIS_URL', path: ['redis', 'url'], type: 'string', secret: true },
  { name: 'GATEHOUSE_REDIS_KEY_PREFIX', path: ['redis', 'keyPrefix'], type: 'string' },
  { name: 'GATEHOUSE_LOG_LEVEL', path: ['log', 'level'], type: 'string' },
  { name: 'GATEHOUSE_AUDIT_DESTINATION', path: ['audit', 'destination'], type: 'string' },
  { name: 'GATEHOUSE_API_KEY_PREFIX_LIVE', path: ['apiKeys', 'prefixes', 'live'], type: 'string' },
  { name: 'GATEHOUSE_API_KEY_PREFIX_TEST', path: ['apiKeys', 'prefixes', 'test'], type: 'string' },
  { name: 'GATEHOUSE_API_KEY_PEPPER', path: ['apiKeys', 'pepper'], type: 'string', secret: true },
  { name: 'GATEHOUSE_API_KEY_RATE_LIMIT', path: ['apiKeys', 'defaultRateLimit', 'limit'], type: 'integer' },
  { name: 'GATEHOUSE_API_KEY_RATE_LIMIT_WINDOW_SECONDS', path: ['apiKeys', 'defaultRateLimit', 'windowSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_API_KEY_ROTATION_GRACE_SECONDS', path: ['apiKeys', 'defaultRotationGraceSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_API_KEY_CACHE', path: ['apiKeys', 'cache', 'enabled'], type: 'boolean' },
  { name: 'GATEHOUSE_BOOTSTRAP_ADMIN_KEY', path: ['apiKeys', 'bootstrapAdminKey'], type: 'boolean' },
] as const satisfies readonly EnvVariable[];

/** One environment variable and the configuration path it sets. */
export interface EnvVariable {
  name: string;
  path: readonly string[];
  type: 'string' | 'integer' | 'boolean';
  /** A secret: its value is never echoed in an error, and `<name>_FILE` is accepted. */
  secret?: boolean;
}
