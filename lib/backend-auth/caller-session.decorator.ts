import { createParamDecorator, UseGuards, type ExecutionContext } from '@nestjs/common';
import { CallerSessionGuard, callerSessionOf } from './caller-session.guard.js';
import { httpRequestOf } from './request-caller.settler.js';

const callerSessionParam = createParamDecorator((_data: unknown, context: ExecutionContext) => callerSessionOf(httpRequestOf<object>(context)));

/**
 * On a route handler's parameter: the backend session acting as this request's caller (a
 * `BackendCaller`). Callers must send Basic credentials (unless `auth.type` is `none`): the guard
 * it puts on the handler answers 401 before any pipe runs. The same calls as `@UseBackendAuth()`
 * with the injected `BitlyProxySession`, handed over explicitly instead of through
 * `AsyncLocalStorage`: cheaper on Node 20, and visible in the handler's signature.
 *
 * ```ts
 * @Get(':jobname/:metric')
 * metric(@Param('metric') metric: string, @CallerSession() backend: BackendCaller) { ... }
 * ```
 */
export function CallerSession(): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new TypeError('@CallerSession() decorates a route handler parameter, not a constructor parameter');
    callerSessionParam()(target, key, index);
    UseGuards(CallerSessionGuard)(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}
