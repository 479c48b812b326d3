import type { LoginOutcome } from './login-outcome.js';

/** What a login's observer learns when it ends. */
export interface LoginEnd {
  outcome: LoginOutcome;
  /** Pages of the proxy and GitHub the login went through (0 when it was refused before any). */
  pages: number;
}

/** One login in progress, as an observer follows it (a span, a timer). */
export interface LoginObservation {
  end(result: LoginEnd): void;
}

/** One call to the backend through the session, as an observer follows it. */
export interface BackendCallObservation {
  /** Headers the call carries to the backend for this observer (W3C `traceparent`); never sent to GitHub. */
  readonly headers?: ReadonlyArray<readonly [name: string, value: string]>;
  /** `status` undefined: the call failed without an answer (`error` says why). */
  end(status: number | undefined, error?: unknown): void;
}

/** Facts a login starts with. */
export interface LoginStart {
  /** A code submitted to a waiting login, rather than a new login. */
  submittingCode: boolean;
  /** Through GitHub's kept web session (no password shown). */
  githubSessionReused: boolean;
}

/**
 * A listener to what the backend session does: `metrics/` and `tracing/` implement it. Every method is
 * optional, and called only while an observer is registered, so a service without one pays a branch.
 * Observers never see a username, a password, a code, a cookie or a query string; the request id is no secret.
 */
export interface ApiKitObserver {
  loginStarted?(start: LoginStart): LoginObservation | undefined;
  /** A login the service refused before it started (a throttle, the budget): no pages, no duration. */
  loginRefused?(outcome: LoginOutcome): void;
  /** `hit`: a pooled session; `shared`: one another replica logged in, found in Redis; `miss`: a login. */
  sessionLookup?(result: 'hit' | 'miss' | 'shared', requestId: string): void;
  /** `url` may carry the caller's query: an observer keeps its origin (and path) only. */
  backendCallStarted?(method: string, url: URL, requestId: string): BackendCallObservation | undefined;
  /** A page of GitHub a login met, as the login classified it (`login`, `code`, `interstitial`...); `path` without the query. */
  loginPageMet?(kind: string, path: string, requestId: string): void;
}
