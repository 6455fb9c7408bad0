import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { USER_STATUSES, type UserStatus } from './types.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

function invalid(message: string): GatehouseError {
  return new GatehouseError('request.invalid', { publicMessage: message });
}

/**
 * A display name: trimmed, 1 to 200 characters without control characters; null or an
 * empty string clears it.
 * @throws {GatehouseError} `request.invalid`
 */
export function validateDisplayName(name: unknown): string | null {
  if (name === null || name === undefined) return null;
  if (typeof name !== 'string') throw invalid('name must be a string.');
  const trimmed = name.trim();
  if (trimmed === '') return null;
  if (trimmed.length > 200 || CONTROL.test(trimmed)) throw invalid('name must be at most 200 characters without control characters.');
  return trimmed;
}

/** @throws {GatehouseError} `request.invalid` */
export function validateStatus(status: unknown): UserStatus {
  if (typeof status !== 'string' || !(USER_STATUSES as readonly string[]).includes(status)) {
    throw invalid(`status must be one of ${USER_STATUSES.join(', ')}.`);
  }
  return status as UserStatus;
}

/** @throws {GatehouseError} `request.invalid` */
export function validateBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${field} must be true or false.`);
  return value;
}
