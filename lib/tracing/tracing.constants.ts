/** The tracer (instrumentation scope) name, with the package's version beside it. */
export const TRACER_NAME = 'nestjs-apikit';

/** One login step through the proxy and GitHub (a password login, or a code submitted to a waiting one). */
export const LOGIN_SPAN = 'apikit.login';

/** One call to the backend through the session, the login it may need included. */
export const BACKEND_CALL_SPAN = 'apikit.backend_call';
