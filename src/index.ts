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
  LoginThrottledError,
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
export type { CounterStore, ConsumeRequest, ConsumeResult, ReserveSlotRequest, ReserveSlotResult } from './rate-limit/store.js';
export { DEVICE_COOKIE_NAME, type DefenseService, type CheckLoginInput, type CheckLoginResult, type LoginAttempt, type DeviceCookie } from './defense/types.js';
export type { ApiKeyService } from './api-keys/service.js';
export type { ApiKey, ApiKeyEnvironment, ApiKeyRateLimit, ApiKeyVerifyCode } from './api-keys/types.js';
export type { CreateApiKeyInput, CreatedApiKey } from './api-keys/create.js';
export type { VerifyApiKeyOptions, VerifyApiKeyResult } from './api-keys/verify.js';
export type { RotateApiKeyOptions, RotatedApiKey } from './api-keys/rotate.js';
export type { UpdateApiKeyInput } from './api-keys/update.js';
export type { ApiKeyList, ListApiKeysOptions } from './api-keys/read.js';
export { generateApiKey, parseApiKey } from './api-keys/format.js';
export type { AccountService } from './accounts/service.js';
export type { User, UserStatus, AuthenticateResult, AuthenticateFailureReason, SessionRevoker } from './accounts/types.js';
export type { CreateUserInput } from './accounts/create.js';
export type { UpdateUserInput } from './accounts/update.js';
export type { ChangePasswordInput } from './accounts/change-password.js';
export type { ListUsersOptions, UserList } from './accounts/read.js';
export type { SignUpInput } from './accounts/signup.js';
export { checkPasswordPolicy } from './accounts/password-policy.js';
export { normalizeEmail } from './accounts/email.js';
export { createFileMailSender, createConsoleMailSender, createSmtpMailSender, MailDeliveryError, type MailMessage, type MailSender } from './mail/index.js';
export type { SessionService } from './sessions/service.js';
export type { Session, SessionRecord, SessionEndReason, AuthMethod } from './sessions/types.js';
export type { CreateSessionInput, CreatedSession } from './sessions/create.js';
export type { SessionValidationResult, SessionInvalidReason, ValidateSessionOptions } from './sessions/validate.js';
export type { SessionListItem } from './sessions/list.js';
export type { SessionPrivilegeChange } from './sessions/rotate.js';
export type { SessionStore, SessionLimit, SessionCreateResult } from './sessions/store.js';
export type { LoginService, LoginResult, PasswordLoginInput, LoginFailureReason } from './sessions/login.js';
export { SECURE_SESSION_COOKIE_NAME, DEV_SESSION_COOKIE_NAME, resolveSessionCookie, allowedOrigins, type SessionCookieSettings } from './sessions/cookie.js';
export { checkCsrf, type CsrfCheckInput, type CsrfCheckResult } from './middleware/csrf.js';
export type { TokenService, SigningKeyService, SessionLiveness, TokenServiceOptions } from './jwt/service.js';
export type { AccessTokenInput, IssuedAccessToken } from './jwt/issue-access-token.js';
export type { IssueTokensInput, IssuedTokens } from './jwt/issue-tokens.js';
export type { RefreshOptions, RefreshFailureReason } from './jwt/refresh.js';
export type { AccessTokenRevocation } from './jwt/revoke.js';
export type { JwksDocument } from './jwt/jwks.js';
export type { SigningKeyView } from './jwt/list-signing-keys.js';
export type { SigningAlgorithm, SigningKey, SigningKeyState, PublicJwk } from './jwt/types.js';
export { signingKeyStateAt } from './jwt/key-state.js';
export {
  createJwtVerifier,
  JwtVerificationError,
  isJwtVerificationError,
  jwtVerificationErrorCodes,
  type JwtVerifier,
  type JwtVerifierOptions,
  type JwtVerifierStatus,
  type VerifiedJwt,
  type JwtVerificationErrorCode,
  type JwtClaims,
  type JwtHeader,
  type JwsAlgorithm,
  type JwksClientOptions,
  type JwksStatus,
  type VerificationKeyInput,
} from './jwt/verifier/index.js';
export { VERSION } from './version.js';
