import { UseInterceptors } from '@nestjs/common';
import { BackendAuthInterceptor } from './backend-auth.interceptor.js';

/**
 * On a controller class or handler: callers must send Basic credentials (unless `auth.type`
 * is `none`), and the injected `BitlyProxySession` calls the backend as that caller.
 */
export function UseBackendAuth(): ClassDecorator & MethodDecorator {
  return UseInterceptors(BackendAuthInterceptor);
}
