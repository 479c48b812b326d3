import { IsInt, IsObject, IsString, Matches, Max, Min, ValidateBy, ValidateIf, ValidateNested, type ValidationArguments } from 'class-validator';
import { isSecureTransport } from '../http-request/loopback-host.js';
import { parseCidr } from '../http-request/client-address.resolver.js';

/** Validate the field only when it was given: `undefined` means "use the default" (`null` is still checked). */
export const IfGiven = (): PropertyDecorator => ValidateIf((_, value: unknown) => value !== undefined);

/** Longest delay a Node timer honours: setTimeout silently turns longer ones into 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** An optional integer within [min, max]. */
export function IsIntegerIn(min: number, max: number): PropertyDecorator {
  const message = `expected an integer from ${min} to ${max}`;
  return (target, property) => {
    IfGiven()(target, property);
    IsInt({ message })(target, property);
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
}

/**
 * A route's absolute path without query or fragment (`"/metrics"`), for the routes the request hooks
 * answer: they compare the request's path with it exactly.
 */
export function IsRoutePath(example: string): PropertyDecorator {
  return (target, property) => {
    IsString({ message: 'expected a string' })(target, property);
    Matches(/^\/[^\s?#]*$/, { message: `expected an absolute path such as "${example}", without query or fragment` })(target, property);
  };
}

/** An optional object validated as its schema class (the options builder instantiates it); `null` too when `allowNull`. */
export function IsNestedOptions({ allowNull = false } = {}): PropertyDecorator {
  return (target, property) => {
    ValidateIf((_, value: unknown) => value !== undefined && !(allowNull && value === null))(target, property);
    IsObject({ message: 'expected an object' })(target, property);
    ValidateNested()(target, property);
  };
}

/** `true`, `false` or an object validated as its schema class (a feature switched on with defaults, or configured). */
export function IsSwitchOrOptions(objectShape: string): PropertyDecorator {
  return (target, property) => {
    ValidateIf((_, value: unknown) => value !== undefined && typeof value !== 'boolean')(target, property);
    IsObject({ message: `expected true, false or an object ${objectShape}` })(target, property);
    ValidateNested()(target, property);
  };
}

/** An optional route path (`IsRoutePath`), for options whose path has a default. */
export function IsServedPath(example: string): PropertyDecorator {
  return (target, property) => {
    IfGiven()(target, property);
    IsRoutePath(example)(target, property);
  };
}

/**
 * An absolute http(s) URL, parsed by the WHATWG parser that the library uses to send requests:
 * a second parser (validator.js' isURL) could accept what this one reads differently.
 */
export function IsHttpUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (value: unknown) => httpUrlOf(value) !== undefined,
      defaultMessage: () => 'expected an absolute http(s) URL',
    },
  });
}

/** Where passwords may go: an https URL (http only to a loopback host), without credentials of its own. */
export function IsPasswordSafeUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isPasswordSafeUrl',
    validator: {
      validate: (value: unknown) => {
        const url = httpUrlOf(value);
        return url !== undefined && isSecureTransport(url) && url.username === '' && url.password === '';
      },
      defaultMessage: () => 'expected an https URL without credentials (plain http only to a loopback host)',
    },
  });
}

/** A URL on the origin of the URL in the sibling field `field` (or of `fallback` when that is not given). */
export function IsOnOriginOf(field: string, fallback: URL): PropertyDecorator {
  const originOf = (object: object): string | undefined => {
    const base = (object as Record<string, unknown>)[field];
    return base === undefined ? fallback.origin : httpUrlOf(base)?.origin;
  };
  return ValidateBy({
    name: 'isOnOriginOf',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => httpUrlOf(value)?.origin === originOf(args?.object ?? {}),
      defaultMessage: () => `expected a URL on the origin of ${field} (${fallback.origin} by default)`,
    },
  });
}

function httpUrlOf(value: unknown): URL | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/** A list of CIDR blocks (`10.0.0.0/8`, `fc00::/7`) or single addresses, as `trustedProxies` takes them. */
export function IsCidrList(): PropertyDecorator {
  return ValidateBy({
    name: 'isCidrList',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.length <= 256 && value.every((entry) => typeof entry === 'string' && parseCidr(entry) !== undefined),
      defaultMessage: () => 'expected an array of CIDR blocks or IP addresses, e.g. ["10.0.0.0/8", "fc00::/7"]',
    },
  });
}
