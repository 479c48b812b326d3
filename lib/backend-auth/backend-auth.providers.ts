import type { FactoryProvider, Provider } from '@nestjs/common';
import { APIKIT_RESOLVED_OPTIONS } from '../apikit.constants.js';
import type { ResolvedApiKitOptions } from '../options/apikit-options.interface.js';
import type { BackendAuthConfig } from './backend-auth-config.interface.js';
import { BACKEND_AUTH_CONFIG, BACKEND_AUTH_STRATEGY } from './backend-auth.constants.js';
import { BitlyProxySession } from './bitly-proxy.session.js';
import { BackendHttpClient } from './http/backend-http.client.js';
import { BitlyProxyLoginFlow } from './login/bitly-proxy-login.flow.js';
import { ProxySessionPool } from './pool/proxy-session.pool.js';
import { backendAuthStrategyProvider } from './strategies/backend-auth-strategy.registry.js';

const backendAuthConfigProvider: FactoryProvider<BackendAuthConfig> = {
  provide: BACKEND_AUTH_CONFIG,
  inject: [APIKIT_RESOLVED_OPTIONS],
  useFactory: (options: ResolvedApiKitOptions): BackendAuthConfig => ({
    serviceName: options.metadata.name,
    authType: options.auth.type,
    authData: Object.freeze({ ...options.auth.data }),
    session: options.backend,
  }),
};

/** Providers of the backend-authentication capability, added to `ApiKitModule`. */
export const backendAuthProviders: Provider[] = [
  backendAuthConfigProvider,
  BackendHttpClient,
  BitlyProxyLoginFlow,
  ProxySessionPool,
  backendAuthStrategyProvider,
  BitlyProxySession,
];

/**
 * What `ApiKitModule` exports of them: the session, and what `BackendAuthInterceptor`
 * needs when Nest instantiates it in the module of a controller using `@UseBackendAuth()`.
 */
export const backendAuthExports: Array<Provider | symbol> = [BitlyProxySession, BACKEND_AUTH_STRATEGY, BACKEND_AUTH_CONFIG];
