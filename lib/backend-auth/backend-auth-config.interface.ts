import type { AuthType } from '../options/apikit-options.interface.js';
import type { ResolvedBackendSessionOptions } from './backend-session-options.resolver.js';

/** What the backend-auth capability reads of the module options, resolved once at boot. */
export interface BackendAuthConfig {
  /** The service name, used as the `WWW-Authenticate` realm. */
  serviceName: string;
  authType: AuthType;
  /** `auth.data` as given (validated by the strategy that needs it, when it is used). */
  authData: Readonly<Record<string, unknown>>;
  session: ResolvedBackendSessionOptions;
}
