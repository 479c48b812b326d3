import { IsBoolean, IsDefined, IsIn, IsNotEmpty, IsObject, IsString, ValidateIf, ValidateNested } from 'class-validator';
import type { AuthType, ErrorBodyStyle } from './apikit-options.interface.js';
import { BackendOptionsSchema } from './backend-options.schema.js';
import { IfGiven, IsHttpUrl, IsIntegerIn, IsNestedOptions, IsRoutePath } from './option.decorators.js';
import type { NestedSchemas } from './option-schema.builder.js';
import { IsMetricsOption, MetricsOptionsSchema } from './metrics-options.schema.js';
import { IsOpenApiOption, OpenApiOptionsSchema } from './openapi-options.schema.js';
import { IsRouteOption } from './route-prefix.rules.js';

/** Longest `shutdownDelayMs`: two minutes, beyond any endpoint propagation, within any sensible grace period. */
export const MAX_SHUTDOWN_DELAY_MS = 120_000;

export const AUTH_TYPES: readonly AuthType[] = ['none', 'basic', 'bitly-proxy'];
const ERROR_BODY_STYLES: readonly ErrorBodyStyle[] = ['nest', 'apikit'];

/** apikit's metadata strings: a non-string is a type error, `""` a value error; whitespace is accepted. */
function IsMetadataString(): PropertyDecorator {
  const message = 'expected a non-empty string';
  return (target, property) => {
    IsString({ message })(target, property);
    IsNotEmpty({ message })(target, property);
  };
}

/** `auth.data` of `bitly-proxy`: the proxy's start URL (checked at boot), and apikit's unused service credentials. */
class BitlyProxyAuthDataSchema {
  @IfGiven()
  @IsString({ message: 'expected a string' })
  username: unknown;

  @IfGiven()
  @IsString({ message: 'expected a string' })
  password: unknown;

  @IfGiven()
  @IsHttpUrl()
  endpoint: unknown;
}

/** apikit's `{ type, data }`: `data` is required unless the type is `none`; its contents are free but for `bitly-proxy`. */
class AuthOptionSchema {
  @IsIn(AUTH_TYPES, { message: 'expected "none", "basic" or "bitly-proxy" (case-sensitive)' })
  type: unknown;

  // The type is named only once it is known to be one of AUTH_TYPES: an unknown one may be a pasted secret.
  @ValidateIf((auth: AuthOptionSchema, data: unknown) => data !== undefined || auth.type === 'basic' || auth.type === 'bitly-proxy')
  @IsDefined({ message: ({ object }) => requiredDataMessage((object as AuthOptionSchema).type) })
  @IsObject({ message: 'expected an object' })
  data: unknown;
}

/** Names the type only when it is one of AUTH_TYPES (`data: null` reaches here whatever the type is). */
function requiredDataMessage(type: unknown): string {
  return (AUTH_TYPES as readonly unknown[]).includes(type) ? `required for auth type "${type as string}"` : 'required unless the type is "none"';
}

/** `bitly-proxy`'s `auth`: the same rules, and `data` validated as `BitlyProxyAuthDataSchema`. */
class BitlyProxyAuthOptionSchema extends AuthOptionSchema {
  static readonly nested: NestedSchemas = { data: () => BitlyProxyAuthDataSchema };

  @ValidateNested()
  override data: unknown;
}

/** apikit's "no auth" spellings, which all mean type `none`. */
export function isNoAuth(auth: unknown): auth is undefined | null | '' | 'none' {
  return auth === undefined || auth === null || auth === '' || auth === 'none';
}

/**
 * The accept/reject rules of `ApiKitModule` options (apikit's `APIFlask` argument checks), declared
 * for class-validator. Fields are `unknown`: this is what users passed, not yet trusted.
 */
export class ApiKitOptionsSchema {
  static readonly nested: NestedSchemas = {
    auth: (auth) => (auth.type === 'bitly-proxy' ? BitlyProxyAuthOptionSchema : AuthOptionSchema),
    backend: () => BackendOptionsSchema,
    metrics: () => MetricsOptionsSchema,
    openapi: () => OpenApiOptionsSchema,
  };

  @IsMetadataString()
  name: unknown;

  @IsMetadataString()
  version: unknown;

  @IsMetadataString()
  repository: unknown;

  @IsMetadataString()
  description: unknown;

  /** Left out, it defaults to "1.0"; `null` is refused as apikit refused `None`. */
  @IfGiven()
  @IsMetadataString()
  apiVersion: unknown;

  @ValidateIf((_, auth: unknown) => !isNoAuth(auth))
  @IsObject({ message: 'expected undefined, null, "", "none" or an object { type, data }' })
  @ValidateNested()
  auth: unknown;

  @IsRouteOption()
  route: unknown;

  @IfGiven()
  @IsBoolean({ message: 'expected a boolean' })
  healthCheck: unknown;

  @IsNestedOptions({ allowNull: true })
  backend: unknown;

  @IfGiven()
  @IsIn(ERROR_BODY_STYLES, { message: `expected one of ${ERROR_BODY_STYLES.map((style) => `"${style}"`).join(', ')}` })
  errorBody: unknown;

  @IsMetricsOption()
  metrics: unknown;
  @IfGiven()
  @IsBoolean({ message: 'expected a boolean' })
  tracing: unknown;

  @ValidateIf((_, readiness: unknown) => readiness !== undefined && readiness !== false)
  @IsRoutePath('/ready')
  readiness: unknown;

  @IsIntegerIn(0, MAX_SHUTDOWN_DELAY_MS)
  shutdownDelayMs: unknown;

  @IfGiven()
  @IsBoolean({ message: 'expected a boolean' })
  accessLog: unknown;

  @IsOpenApiOption()
  openapi: unknown;
}

/** `MetadataRoutes.addRoutePrefix()`'s argument: apikit's `route` rules, alone. */
export class RoutePrefixSchema {
  @IsRouteOption()
  route: unknown;
}
