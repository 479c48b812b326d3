/** Injection token of the active `BackendAuthStrategy` (chosen by `auth.type`). */
export const BACKEND_AUTH_STRATEGY = Symbol('BACKEND_AUTH_STRATEGY');

/** Injection token of the `BackendAuthConfig` derived from the module options at boot. */
export const BACKEND_AUTH_CONFIG = Symbol('BACKEND_AUTH_CONFIG');

/** Metadata key set by `@UseBackendAuth()` on a controller class or handler. */
export const USE_BACKEND_AUTH_METADATA = 'apikit:use-backend-auth';

/** Logger context of the backend-authentication capability (route it with `app.useLogger`). */
export const BACKEND_AUTH_LOGGER_CONTEXT = 'BitlyProxySession';
