import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ApiKitModuleOptions } from './options/apikit-options.interface.js';

export const {
  ConfigurableModuleClass: ApiKitConfigurableModule,
  MODULE_OPTIONS_TOKEN: APIKIT_MODULE_OPTIONS,
  OPTIONS_TYPE: APIKIT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: APIKIT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApiKitModuleOptions>({ moduleName: 'ApiKit' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
