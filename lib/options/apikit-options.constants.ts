/** apikit's current (and, so far, only) API version: the default of `apiVersion`. */
export const DEFAULT_API_VERSION = '1.0';

/** Injection token of the validated, normalised options (`ResolvedApiKitOptions`): the one way providers read options. */
export const APIKIT_RESOLVED_OPTIONS = Symbol('APIKIT_RESOLVED_OPTIONS');
