import type { FactoryProvider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AuthType } from '../../options/apikit-options.interface.js';
import type { BackendAuthConfig } from '../backend-auth-config.interface.js';
import { BACKEND_AUTH_CONFIG, BACKEND_AUTH_STRATEGY } from '../backend-auth.constants.js';
import type { BackendAuthStrategy } from './backend-auth-strategy.interface.js';
import { BasicAuthStrategy } from './basic-auth.strategy.js';
import { BitlyProxyAuthStrategy } from './bitly-proxy-auth.strategy.js';
import { NoneAuthStrategy } from './none-auth.strategy.js';

/** The strategy class of each `auth.type`; adding a type (e.g. `bearer`) is adding an entry. */
export const BACKEND_AUTH_STRATEGY_TYPES: Readonly<Record<AuthType, Type<BackendAuthStrategy>>> = Object.freeze({
  none: NoneAuthStrategy,
  basic: BasicAuthStrategy,
  'bitly-proxy': BitlyProxyAuthStrategy,
});

/** Provides `BACKEND_AUTH_STRATEGY`: only the configured strategy is instantiated, with its dependencies injected. */
export const backendAuthStrategyProvider: FactoryProvider<Promise<BackendAuthStrategy>> = {
  provide: BACKEND_AUTH_STRATEGY,
  inject: [ModuleRef, BACKEND_AUTH_CONFIG],
  useFactory: (moduleRef: ModuleRef, config: BackendAuthConfig) => {
    const strategy = BACKEND_AUTH_STRATEGY_TYPES[config.authType] as Type<BackendAuthStrategy> | undefined;
    if (strategy === undefined) throw new TypeError(`apikit: no backend auth strategy for auth.type ${JSON.stringify(config.authType)}`);
    return moduleRef.create(strategy);
  },
};
