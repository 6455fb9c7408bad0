/**
 * Environment variables Gatehouse reads, each mapped to one configuration path.
 * A variable ending in `_FILE` beside a secret setting reads that setting from a file
 * (the Docker/Kubernetes secrets convention).
 */
export const envVariables = [
  { name: 'GATEHOUSE_HOST', path: ['server', 'host'], type: 'string' },
  { name: 'GATEHOUSE_PORT', path: ['server', 'port'], type: 'integer' },
  { name: 'GATEHOUSE_PUBLIC_URL', path: ['server', 'publicUrl'], type: 'string' },
  { name: 'GATEHOUSE_TRUST_PROXY', path: ['server', 'trustProxy'], type: 'boolean-or-list' },
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
  { name: 'GATEHOUSE_LOCKOUT_MAX_FAILURES', path: ['defense', 'lockout', 'maxFailures'], type: 'integer' },
  { name: 'GATEHOUSE_LOCKOUT_WINDOW_SECONDS', path: ['defense', 'lockout', 'windowSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_LOCKOUT_DURATION_SECONDS', path: ['defense', 'lockout', 'durationSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_IP_THROTTLE_MAX_FAILURES', path: ['defense', 'ipThrottle', 'maxFailures'], type: 'integer' },
  { name: 'GATEHOUSE_IP_THROTTLE_WINDOW_SECONDS', path: ['defense', 'ipThrottle', 'windowSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_IP_THROTTLE_DURATION_SECONDS', path: ['defense', 'ipThrottle', 'durationSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_DEVICE_COOKIE_MAX_AGE_SECONDS', path: ['defense', 'deviceCookies', 'maxAgeSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_DEFENSE_SECRET', path: ['defense', 'secret'], type: 'string', secret: true },
  { name: 'GATEHOUSE_DEFENSE_PREVIOUS_SECRETS', path: ['defense', 'previousSecrets'], type: 'list', secret: true },
  { name: 'GATEHOUSE_SIGNUP_ENABLED', path: ['accounts', 'signup', 'enabled'], type: 'boolean' },
  { name: 'GATEHOUSE_PASSWORD_MIN_LENGTH', path: ['accounts', 'password', 'minLength'], type: 'integer' },
  { name: 'GATEHOUSE_ARGON2_MEMORY_KIB', path: ['accounts', 'argon2', 'memoryKiB'], type: 'integer' },
  { name: 'GATEHOUSE_ARGON2_ITERATIONS', path: ['accounts', 'argon2', 'iterations'], type: 'integer' },
  { name: 'GATEHOUSE_ARGON2_PARALLELISM', path: ['accounts', 'argon2', 'parallelism'], type: 'integer' },
  { name: 'GATEHOUSE_PASSWORD_RESET_TOKEN_LIFETIME_SECONDS', path: ['accounts', 'passwordResetTokenLifetimeSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_EMAIL_VERIFICATION_TOKEN_LIFETIME_SECONDS', path: ['accounts', 'emailVerificationTokenLifetimeSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_MAIL_TRANSPORT', path: ['mail', 'transport'], type: 'string' },
  { name: 'GATEHOUSE_MAIL_FROM', path: ['mail', 'from'], type: 'string' },
  { name: 'GATEHOUSE_MAIL_FILE_PATH', path: ['mail', 'file', 'path'], type: 'string' },
  { name: 'GATEHOUSE_SMTP_HOST', path: ['mail', 'smtp', 'host'], type: 'string' },
  { name: 'GATEHOUSE_SMTP_PORT', path: ['mail', 'smtp', 'port'], type: 'integer' },
  { name: 'GATEHOUSE_SMTP_SECURE', path: ['mail', 'smtp', 'secure'], type: 'boolean' },
  { name: 'GATEHOUSE_SMTP_REQUIRE_TLS', path: ['mail', 'smtp', 'requireTls'], type: 'boolean' },
  { name: 'GATEHOUSE_SMTP_USER', path: ['mail', 'smtp', 'user'], type: 'string' },
  { name: 'GATEHOUSE_SMTP_PASSWORD', path: ['mail', 'smtp', 'password'], type: 'string', secret: true },
  { name: 'GATEHOUSE_SESSION_IDLE_TIMEOUT_SECONDS', path: ['sessions', 'idleTimeoutSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT_SECONDS', path: ['sessions', 'absoluteTimeoutSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_SESSION_MAX_PER_USER', path: ['sessions', 'maxPerUser'], type: 'integer' },
  { name: 'GATEHOUSE_SESSION_ON_LIMIT', path: ['sessions', 'onLimit'], type: 'string' },
  { name: 'GATEHOUSE_JWT_ALGORITHM', path: ['jwt', 'algorithm'], type: 'string' },
  { name: 'GATEHOUSE_JWT_KEY_ENCRYPTION_KEY', path: ['jwt', 'keyEncryptionKey'], type: 'string', secret: true },
  { name: 'GATEHOUSE_JWT_PREVIOUS_KEY_ENCRYPTION_KEYS', path: ['jwt', 'previousKeyEncryptionKeys'], type: 'list', secret: true },
  { name: 'GATEHOUSE_JWT_ROTATION_ENABLED', path: ['jwt', 'rotation', 'enabled'], type: 'boolean' },
  { name: 'GATEHOUSE_JWT_ROTATION_PERIOD_SECONDS', path: ['jwt', 'rotation', 'periodSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_JWT_PRE_PUBLISH_SECONDS', path: ['jwt', 'rotation', 'prePublishSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_JWT_ACCESS_TOKEN_LIFETIME_SECONDS', path: ['jwt', 'accessToken', 'lifetimeSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_JWT_ACCESS_TOKEN_AUDIENCE', path: ['jwt', 'accessToken', 'audience'], type: 'string' },
  { name: 'GATEHOUSE_JWT_REFRESH_TOKEN_LIFETIME_SECONDS', path: ['jwt', 'refreshToken', 'lifetimeSeconds'], type: 'integer' },
  { name: 'GATEHOUSE_JWT_REFRESH_REUSE_LEEWAY_SECONDS', path: ['jwt', 'refreshToken', 'reuseLeewaySeconds'], type: 'integer' },
  { name: 'GATEHOUSE_OAUTH_RESOURCES', path: ['oauth', 'resources'], type: 'list' },
] as const satisfies readonly EnvVariable[];

/** One environment variable and the configuration path it sets. */
export interface EnvVariable {
  name: string;
  path: readonly string[];
  /** `list`: comma-separated, empty entries dropped; `boolean-or-list`: a boolean word, else a list. */
  type: 'string' | 'integer' | 'boolean' | 'list' | 'boolean-or-list';
  /** A secret: its value is never echoed in an error, and `<name>_FILE` is accepted. */
  secret?: boolean;
}
