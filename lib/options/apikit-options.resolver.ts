import { validateSync } from 'class-validator';
import { validateBackendSessionOptions, withBackendSessionDefaults } from '../backend-auth/backend-session-options.resolver.js';
import { DEFAULT_API_VERSION } from '../apikit.constants.js';
import { canonicalRoutePrefix, routePrefixList } from '../metadata/metadata-paths.js';
import { ApiKitOptionsError, describeOptionType } from './apikit-options.error.js';
import type { ApiKitModuleOptions, ResolvedApiKitOptions } from './apikit-options.interface.js';
import { API_KIT_OPTION_NAMES, ApiKitOptionsSchema } from './apikit-options.schema.js';

/**
 * Validates `ApiKitModule` options (apikit's rules) and normalises them for the rest of the library.
 * @throws ApiKitOptionsError listing every problem, when any rule is broken.
 */
export function resolveApiKitOptions(raw: unknown): ResolvedApiKitOptions {
  const problems = optionProblems(raw);
  if (problems.length > 0) throw new ApiKitOptionsError(problems);
  const options = raw as ApiKitModuleOptions;
  const auth = typeof options.auth === 'object' && options.auth !== null ? options.auth : undefined;
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  return {
    metadata: {
      name: options.name,
      version: options.version,
      repository: options.repository,
      description: options.description,
      api_version: apiVersion,
      auth: auth?.type ?? 'none',
    },
    auth: { type: auth?.type ?? 'none', data: { ...(auth?.data ?? {}) } },
    routePrefixes: canonicalRoutePrefixes(options.route),
    healthCheck: options.healthCheck ?? true,
    backend: withBackendSessionDefaults(options.backend),
  };
}

/** Canonical, de-duplicated prefixes in the given order (apikit registered duplicates harmlessly). */
export function canonicalRoutePrefixes(route: string | readonly string[] | null | undefined): string[] {
  return [...new Set(routePrefixList(route).map(canonicalRoutePrefix))];
}

function optionProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [`options: expected an object, got ${describeOptionType(raw)}`];
  }
  const given = raw as Record<string, unknown>;
  // Copy only the known fields: assigning user keys such as `__proto__` onto the schema could re-parent it.
  const schema = new ApiKitOptionsSchema();
  for (const name of API_KIT_OPTION_NAMES) schema[name] = given[name];
  const ruleProblems = validateSync(schema, { forbidUnknownValues: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  const known: readonly string[] = API_KIT_OPTION_NAMES;
  const unknownProblems = Object.keys(given)
    .filter((key) => !known.includes(key))
    .map((key) => `${key}: unknown option (expected one of ${known.join(', ')})`);
  return [...ruleProblems, ...unknownProblems, ...validateBackendSessionOptions(given.backend)];
}
