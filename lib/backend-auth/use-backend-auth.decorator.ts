import { UseGuards } from '@nestjs/common';
import { BackendAuthGuard } from './backend-auth.guard.js';

/**
 * On a controller class or handler: callers must send Basic credentials (unless `auth.type`
 * is `none`), and the injected `BitlyProxySession` calls the backend as that caller.
 * A guard, not an interceptor: Nest runs interceptors through rxjs on every request.
 */
export function UseBackendAuth(): ClassDecorator & MethodDecorator {
  return UseGuards(BackendAuthGuard);
}
