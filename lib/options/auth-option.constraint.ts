import { ValidatorConstraint, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { AuthType } from './apikit-options.interface.js';
import { describeOptionType } from './apikit-options.error.js';

export const AUTH_TYPES: readonly AuthType[] = ['none', 'basic', 'bitly-proxy'];
const AUTH_TYPES_TEXT = '"none", "basic" or "bitly-proxy" (case-sensitive)';

/**
 * apikit's `auth` rules: nothing, `""` or `"none"`, or `{ type, data }`; `data` is required
 * unless the type is `none`, and its contents are not checked (apikit accepted `{}`).
 * Messages name types only: `data` holds credentials and must never be echoed.
 */
@ValidatorConstraint({ name: 'authOption' })
export class AuthOptionConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return authOptionProblem(value) === undefined;
  }

  defaultMessage({ value }: ValidationArguments): string {
    return authOptionProblem(value) ?? 'auth: invalid';
  }
}

function authOptionProblem(auth: unknown): string | undefined {
  if (auth === undefined || auth === null || auth === '' || auth === 'none') return undefined;
  if (typeof auth !== 'object' || Array.isArray(auth)) {
    const got = typeof auth === 'string' ? 'another string' : describeOptionType(auth);
    return `auth: expected undefined, null, "", "none" or an object { type, data }, got ${got}`;
  }
  const { type, data } = auth as { type?: unknown; data?: unknown };
  if (!(AUTH_TYPES as readonly unknown[]).includes(type)) {
    const got = type === undefined ? 'no type' : typeof type === 'string' ? 'another string' : describeOptionType(type);
    return `auth.type: expected ${AUTH_TYPES_TEXT}, got ${got}`;
  }
  if (data === undefined) {
    return type === 'none' ? undefined : `auth.data: required for auth type "${type as string}", got undefined`;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `auth.data: expected an object, got ${describeOptionType(data)}`;
  }
  return undefined;
}
