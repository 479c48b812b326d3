import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { USE_BACKEND_AUTH_METADATA } from './backend-auth.constants.js';
import { BackendAuthInterceptor } from './backend-auth.interceptor.js';

/**
 * On a controller class or handler: callers must send Basic credentials (unless `auth.type`
 * is `none`), and the injected `BitlyProxySession` calls the backend as that caller.
 */
export function UseBackendAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(USE_BACKEND_AUTH_METADATA, true), UseInterceptors(BackendAuthInterceptor));
}
