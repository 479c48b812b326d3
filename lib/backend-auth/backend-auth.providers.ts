import type { Provider } from '@nestjs/common';
import { ApiKitObservers, StoreHealth } from '../observability/index.js';
import { BitlyProxySession } from './bitly-proxy.session.js';
import { BackendHttpClient } from './http/backend-http.client.js';
import { BitlyProxyLoginFlow } from './login/bitly-proxy-login.flow.js';
import { LoginGate } from './gate/login-gate.js';
import { ProxySessionPool } from './pool/proxy-session.pool.js';
import { SharedLoginStore } from './store/shared-login.store.js';
import { backendAuthStrategyProvider } from './strategies/backend-auth-strategy.registry.js';

/** Providers of the backend-authentication capability, added to `ApiKitModule`; it exports `BitlyProxySession` alone. */
export const backendAuthProviders: Provider[] = [
  ApiKitObservers,
  BackendHttpClient,
  BitlyProxyLoginFlow,
  SharedLoginStore,
  { provide: StoreHealth, useExisting: SharedLoginStore },
  LoginGate,
  ProxySessionPool,
  backendAuthStrategyProvider,
  BitlyProxySession,
];
