import type { BackendCredentials } from '../context/backend-credentials.js';
import type { CallerContext } from '../context/caller-context.storage.js';

/** The caller's credentials, or the error a call made outside any caller context deserves. */
export function requireCredentials(caller: CallerContext): BackendCredentials {
  if (caller.credentials === undefined) {
    throw new Error(
      'BitlyProxySession has no caller to act for: call it while handling a request under @UseBackendAuth(), ' +
        'or use session.as({ username, password }) outside requests (e.g. in scheduled jobs).',
    );
  }
  return caller.credentials;
}
