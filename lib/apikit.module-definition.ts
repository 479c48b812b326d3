import { ConfigurableModuleBuilder, type ConfigurableModuleOptionsFactory, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BackendErrorFilter } from './errors/backend-error.filter.js';
import type { ApiKitModuleOptions } from './options/apikit-options.interface.js';

/** Options of `forRoot`/`forRootAsync` that shape the module itself, so they cannot come from a factory. */
export interface ApiKitModuleExtras {
  /** Make the module's exports (the backend session, `MetadataRoutes`) visible everywhere. Default `false`. */
  isGlobal?: boolean;
  /** Register `BackendErrorFilter` as a global filter (default `true`); turn off to apply it yourself. */
  globalExceptionFilter?: boolean;
}

const globalBackendErrorFilter: Provider = { provide: APP_FILTER, useClass: BackendErrorFilter };

export const {
  ConfigurableModuleClass: ApiKitConfigurableModule,
  MODULE_OPTIONS_TOKEN: APIKIT_MODULE_OPTIONS,
  OPTIONS_TYPE: APIKIT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: APIKIT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApiKitModuleOptions>({ moduleName: 'ApiKit' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createApiKitOptions')
  .setExtras<ApiKitModuleExtras>({ isGlobal: false, globalExceptionFilter: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: extras.globalExceptionFilter
      ? [...(definition.providers ?? []), globalBackendErrorFilter]
      : definition.providers,
  }))
  .build();

/** What `ApiKitModule.forRoot()` takes: the options plus the module extras. */
export type ApiKitForRootOptions = typeof APIKIT_OPTIONS_TYPE;
/** What `ApiKitModule.forRootAsync()` takes: `imports`, `inject`, `useFactory | useClass | useExisting`, extras. */
export type ApiKitForRootAsyncOptions = typeof APIKIT_ASYNC_OPTIONS_TYPE;
/** A class for `forRootAsync({ useClass | useExisting })`: its `createApiKitOptions()` returns the options. */
export type ApiKitOptionsFactory = ConfigurableModuleOptionsFactory<ApiKitModuleOptions, 'createApiKitOptions'>;
