/** Injection token of the active `BackendAuthStrategy` (chosen by `auth.type`). */
export const BACKEND_AUTH_STRATEGY = Symbol('BACKEND_AUTH_STRATEGY');

/** Logger context of the backend-authentication capability (route it with `app.useLogger`). */
export const BACKEND_AUTH_LOGGER_CONTEXT = 'BitlyProxySession';
