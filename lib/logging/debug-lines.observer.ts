import { Logger } from '@nestjs/common';
import type { ApiKitObserver, BackendCallObservation } from '../observability/index.js';
import { logEvent } from './log-event.js';

/**
 * The lines a person debugging the backend session needs (LOGLEVEL=DEBUG): each pool lookup, each
 * backend call and each GitHub page a login met. An observer of the session like metrics and tracing,
 * registered only when debug lines are on: off, the session's reports stay a length check.
 */
export class DebugLinesObserver implements ApiKitObserver {
  private readonly logger = new Logger('ApiKit');

  sessionLookup(result: 'hit' | 'miss' | 'shared', requestId: string): void {
    logEvent(this.logger, 'debug', 'pool.lookup', "Looked up the caller's session in the pool", { requestId, result });
  }

  loginPageMet(kind: string, path: string, requestId: string): void {
    logEvent(this.logger, 'debug', 'login.page', 'The login met a page of GitHub', { requestId, kind, path });
  }

  backendCallStarted(method: string, url: URL, requestId: string): BackendCallObservation {
    const startedAt = performance.now();
    // Origin and path: the query may carry what the caller asked for, and is not the debugger's business.
    const target = `${url.origin}${url.pathname}`;
    return {
      end: (status, error) => {
        const fields = { requestId, method, url: target, status, durationMs: Math.round(performance.now() - startedAt) };
        const failed = status === undefined ? { errorType: error instanceof Error ? error.name : typeof error } : {};
        logEvent(this.logger, 'debug', 'backend.call', 'Called the backend through the session', { ...fields, ...failed });
      },
    };
  }
}
