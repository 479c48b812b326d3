import { IsBoolean, Validate, ValidateIf } from 'class-validator';
import { describeOptionType } from './apikit-options.error.js';
import { AuthOptionConstraint } from './auth-option.constraint.js';
import { NonEmptyStringConstraint } from './non-empty-string.constraint.js';
import { RouteOptionConstraint } from './route-option.constraint.js';

const isGiven = (field: keyof ApiKitOptionsSchema) => (schema: ApiKitOptionsSchema) => schema[field] !== undefined;

/**
 * The accept/reject rules of `ApiKitModule` options (apikit's `APIFlask` argument checks),
 * declared for class-validator. Fields are `unknown`: this is what users passed, not yet trusted.
 * `backend` is checked by the backend-authentication capability.
 */
export class ApiKitOptionsSchema {
  @Validate(NonEmptyStringConstraint)
  name: unknown;

  @Validate(NonEmptyStringConstraint)
  version: unknown;

  @Validate(NonEmptyStringConstraint)
  repository: unknown;

  @Validate(NonEmptyStringConstraint)
  description: unknown;

  /** Left out, it defaults to "1.0"; `null` is refused as apikit refused `None`. */
  @ValidateIf(isGiven('apiVersion'))
  @Validate(NonEmptyStringConstraint)
  apiVersion: unknown;

  @Validate(AuthOptionConstraint)
  auth: unknown;

  @Validate(RouteOptionConstraint)
  route: unknown;

  @ValidateIf(isGiven('healthCheck'))
  @IsBoolean({ message: ({ value }) => `healthCheck: expected a boolean, got ${describeOptionType(value)}` })
  healthCheck: unknown;

  backend: unknown;
}

/** The option names users may pass, in the order problems are reported. */
export const API_KIT_OPTION_NAMES = [
  'name',
  'version',
  'repository',
  'description',
  'apiVersion',
  'auth',
  'route',
  'healthCheck',
  'backend',
] as const satisfies readonly (keyof ApiKitOptionsSchema)[];
