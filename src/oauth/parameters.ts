import { GatehouseError } from '../core/errors/gatehouse-error.js';

/**
 * A request to an OAuth endpoint as the HTTP edge hands it over: every form parameter with
 * all its values (in order), and the `Authorization` header if one was sent.
 */
export interface OAuthRequest {
  /** `application/x-www-form-urlencoded` parameters (RFC 6749 §3.2), each with every value sent. */
  parameters: Readonly<Record<string, readonly string[]>>;
  /** The `Authorization` header field, when present. */
  authorization?: string | undefined;
}

/** Parameters that may be repeated: RFC 8707 §2 `resource`. */
const MULTI_VALUED = new Set(['resource']);

/**
 * RFC 6749 §3.1/§3.2: parameters sent without a value are treated as omitted, and no
 * parameter may be sent more than once (except `resource`, RFC 8707 §2).
 *
 * @throws {GatehouseError} `oauth.invalid_request` naming the repeated parameter
 */
export function checkParameters(request: OAuthRequest): void {
  // Allocation-free: this runs on every token, revocation and introspection request.
  const { parameters } = request;
  for (const name in parameters) {
    if (!Object.hasOwn(parameters, name) || MULTI_VALUED.has(name)) continue;
    const values = parameters[name]!;
    let sent = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== '' && ++sent > 1) break;
    if (sent > 1) throw new GatehouseError('oauth.invalid_request', { publicMessage: `The ${name.slice(0, 64)} parameter must not be repeated.`, detail: 'repeated_parameter' });
  }
}

/** The one value of a parameter, or undefined when absent or empty (RFC 6749 §3.1). */
export function single(request: OAuthRequest, name: string): string | undefined {
  const values = Object.hasOwn(request.parameters, name) ? request.parameters[name] : undefined;
  if (values === undefined) return undefined;
  for (let i = 0; i < values.length; i++) if (values[i] !== '') return values[i];
  return undefined;
}

/** Every non-empty value of a parameter. */
export function all(request: OAuthRequest, name: string): string[] {
  const values = Object.hasOwn(request.parameters, name) ? request.parameters[name] : undefined;
  return values === undefined || values.length === 0 ? [] : values.filter((v) => v !== '');
}

/**
 * The value of a required parameter.
 *
 * @throws {GatehouseError} `oauth.invalid_request` naming it when absent
 */
export function required(request: OAuthRequest, name: string): string {
  const value = single(request, name);
  if (value === undefined) throw new GatehouseError('oauth.invalid_request', { publicMessage: `The ${name} parameter is required.`, detail: `missing_${name}` });
  return value;
}
