import { ConfigurableModuleBuilder, type ConfigurableModuleOptionsFactory, type Provider } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { ApiKitErrorBodyFilter } from './errors/apikit-error-body.filter.js';
import { BackendErrorFilter } from './errors/backend-error.filter.js';
import { APIKIT_RESOLVED_OPTIONS } from './options/apikit-options.constants.js';
import type { ApiKitModuleOptions, ResolvedApiKitOptions } from './options/apikit-options.interface.js';

/** Options of `forRoot`/`forRootAsync` that shape the module itself, so they cannot come from a factory. */
export interface ApiKitModuleExtras {
  /** Make the module's exports (the backend session, `MetadataRoutes`) visible everywhere. Default `false`. */
  isGlobal?: boolean;
  /**
   * Register the error filter globally (default `true`): `BackendErrorFilter`, or `ApiKitErrorBodyFilter`
   * under `errorBody: 'apikit'`. Turn off to apply `BackendErrorFilter` yourself.
   */
  globalExceptionFilter?: boolean;
}

/** Chosen once the options are resolved, since `forRootAsync` knows `errorBody` only then. */
const globalErrorFilter: Provider = {
  provide: APP_FILTER,
  useFactory: (options: ResolvedApiKitOptions, adapterHost: HttpAdapterHost) =>
    options.errorBody === 'apikit' ? new ApiKitErrorBodyFilter(adapterHost) : new BackendErrorFilter(adapterHost),
  inject: [APIKIT_RESOLVED_OPTIONS, HttpAdapterHost],
};

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
      ? [...(definition.providers ?? []), globalErrorFilter]
      : definition.providers,
  }))
  .build();

/** What `ApiKitModule.forRoot()` takes: the options plus the module extras. */
export type ApiKitForRootOptions = typeof APIKIT_OPTIONS_TYPE;
/** What `ApiKitModule.forRootAsync()` takes: `imports`, `inject`, `useFactory | useClass | useExisting`, extras. */
export type ApiKitForRootAsyncOptions = typeof APIKIT_ASYNC_OPTIONS_TYPE;
/** A class for `forRootAsync({ useClass | useExisting })`: its `createApiKitOptions()` returns the options. */
export type ApiKitOptionsFactory = ConfigurableModuleOptionsFactory<ApiKitModuleOptions, 'createApiKitOptions'>;
