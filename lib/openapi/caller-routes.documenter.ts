import type { OperationObject, PathsObject, ResponsesObject } from '@nestjs/swagger';
import type { AuthType } from '../options/apikit-options.interface.js';
import { errorResponse } from './apikit-schemas.js';
import { isCallerOperation } from './guarded-handlers.finder.js';

export const BASIC_SECURITY_SCHEME = 'basic';

const OTP_HEADER = 'X-GitHub-OTP';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * What `@CallerSession()` / `@UseBackendAuth()` routes answer besides their own responses: the caller's
 * Basic credentials (unless `auth.type` is `none`), with bitly-proxy the one-time code GitHub may ask
 * for, and the backend session's failures, all with apikit's error body.
 */
export function documentCallerRoutes(paths: PathsObject, callerOperations: ReadonlySet<string>, authType: AuthType): void {
  for (const item of Object.values(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation !== undefined && isCallerOperation(operation.operationId, callerOperations)) documentCallerOperation(operation, authType);
    }
  }
}

function documentCallerOperation(operation: OperationObject, authType: AuthType): void {
  const gitHubLogin = authType === 'bitly-proxy';
  if (authType !== 'none') {
    operation.security = [...(operation.security ?? []), { [BASIC_SECURITY_SCHEME]: [] }];
  }
  if (gitHubLogin) {
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: OTP_HEADER,
        in: 'header',
        required: false,
        description: 'The two-factor or device code GitHub asked for (after a 401 with `X-GitHub-OTP: required; <kind>`).',
        schema: { type: 'string' },
      },
    ];
  }
  operation.responses = { ...callerResponses(authType, gitHubLogin), ...operation.responses };
}

function callerResponses(authType: AuthType, gitHubLogin: boolean): ResponsesObject {
  const unauthorizedHeaders = {
    'WWW-Authenticate': { description: 'The Basic challenge, with the service name as realm.', schema: { type: 'string' } },
    ...(gitHubLogin ? { [OTP_HEADER]: { description: '`required; <kind>` when GitHub asks for a code.', schema: { type: 'string' } } } : {}),
  };
  return {
    ...(authType === 'none' ? {} : { '401': errorResponse('Credentials missing or refused, or a code required', unauthorizedHeaders) }),
    ...(gitHubLogin ? { '429': errorResponse('Too many logins for this caller, or GitHub locked the username out for a while') } : {}),
    '502': errorResponse('The backend (or the login through it) answered unexpectedly or could not be reached'),
    '503': errorResponse('Too many logins under way: retry after `Retry-After`'),
    '504': errorResponse('The backend call (login included) timed out'),
  };
}
