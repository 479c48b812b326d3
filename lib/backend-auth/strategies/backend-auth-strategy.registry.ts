import type { FactoryProvider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { APIKIT_RESOLVED_OPTIONS } from '../../options/apikit-options.constants.js';
import type { AuthType, ResolvedApiKitOptions } from '../../options/apikit-options.interface.js';
import { BACKEND_AUTH_STRATEGY } from '../backend-auth.constants.js';
import type { BackendAuthStrategy } from './backend-auth-strategy.interface.js';
import { BasicAuthStrategy } from './basic-auth.strategy.js';
import { BitlyProxyAuthStrategy } from './bitly-proxy-auth.strategy.js';
import { NoneAuthStrategy } from './none-auth.strategy.js';

/** The strategy class of each `auth.type`; adding a type (e.g. `bearer`) is adding an entry. */
const BACKEND_AUTH_STRATEGY_TYPES: Readonly<Record<AuthType, Type<BackendAuthStrategy>>> = Object.freeze({
  none: NoneAuthStrategy,
  basic: BasicAuthStrategy,
  'bitly-proxy': BitlyProxyAuthStrategy,
});

/** Provides `BACKEND_AUTH_STRATEGY`: only the configured strategy is instantiated, with its dependencies injected. */
export const backendAuthStrategyProvider: FactoryProvider<Promise<BackendAuthStrategy>> = {
  provide: BACKEND_AUTH_STRATEGY,
  inject: [ModuleRef, APIKIT_RESOLVED_OPTIONS],
  // The options resolver has checked auth.type against the same three names.
  useFactory: (moduleRef: ModuleRef, options: ResolvedApiKitOptions) => moduleRef.create(BACKEND_AUTH_STRATEGY_TYPES[options.auth.type]),
};
