import { IsString, ValidateIf } from 'class-validator';

/**
 * apikit's `route` option, validated where it is declared: nothing (the root), a string, or an array of
 * strings (`[]`: no metadata route). Used by `ApiKitModule` options and `MetadataRoutes.addRoutePrefix()`.
 */
export function IsRouteOption(): PropertyDecorator {
  return (target, property) => {
    ValidateIf((_, route: unknown) => route !== undefined && route !== null)(target, property);
    IsString({ validateIf: (_, route) => !Array.isArray(route), message: 'expected a string or an array of strings' })(target, property);
    IsString({ validateIf: (_, route) => Array.isArray(route), each: true, message: 'expected an array of strings' })(target, property);
  };
}

/**
 * apikit's canonical prefix `"/" + P.strip("/")`: `""`, `"/"` and `"//"` all mean the root (`"/"`);
 * inner slashes and case are kept.
 */
export function canonicalRoutePrefix(prefix: string): string {
  return `/${prefix.replace(/^\/+|\/+$/g, '')}`;
}

/** A validated `route` as canonical, de-duplicated prefixes in the given order (apikit registered duplicates harmlessly). */
export function canonicalRoutePrefixes(route: string | readonly string[] | null | undefined): string[] {
  const prefixes = route === undefined || route === null ? ['/'] : typeof route === 'string' ? [route] : route;
  return [...new Set(prefixes.map(canonicalRoutePrefix))];
}
