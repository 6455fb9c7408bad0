/**
 * Gatehouse's public library API. Everything a server, CLI or embedding app needs:
 * `createGatehouse` for the services in process, `buildServer` for the HTTP API,
 * configuration loading, errors and the types of every operation.
 */
export { createGatehouse, type Gatehouse, type CreateGatehouseOptions } from './gatehouse.js';
export { buildServer, type BuildServerOptions } from './http/server.js';
export { startServer, type RunningServer, type StartServerOptions } from './http/start.js';
export { loadConfig, defaultConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions } from './core/config/load.js';
export { configSchema, type GatehouseConfig, type GatehouseConfigInput } from './core/config/schema.js';
export { envVariables } from './core/config/env.js';
export {
  GatehouseError,
  RateLimitedError,
  InsufficientScopeError,
  ConfigError,
  type RateLimitState,
} from './core/errors/gatehouse-error.js';
export { errorRegistry, errorCodes, type ErrorCode } from './core/errors/registry.js';
export { systemClock, createManualClock, type Clock, type ManualClock } from './core/clock.js';
export { secureRandom, type RandomSource } from './core/crypto/random.js';
export { authEventTypes, type AuthEvent, type AuthEventType, type AuditLog, type RequestContext } from './core/events.js';
export { createAuditLog, createMemoryAuditLog } from './audit/audit-log.js';
export { createMemoryCounterStore } from './storage/counters/memory.js';
export type { CounterStore, ConsumeRequest, ConsumeResult } from './rate-limit/store.js';
export type { ApiKeyService } from './api-keys/service.js';
export type { ApiKey, ApiKeyEnvironment, ApiKeyRateLimit, ApiKeyVerifyCode } from './api-keys/types.js';
export type { CreateApiKeyInput, CreatedApiKey } from './api-keys/create.js';
export type { VerifyApiKeyOptions, VerifyApiKeyResult } from './api-keys/verify.js';
export type { RotateApiKeyOptions, RotatedApiKey } from './api-keys/rotate.js';
export type { UpdateApiKeyInput } from './api-keys/update.js';
export type { ApiKeyList, ListApiKeysOptions } from './api-keys/read.js';
export { generateApiKey, parseApiKey } from './api-keys/format.js';
export { VERSION } from './version.js';
