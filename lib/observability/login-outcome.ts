/**
 * How a login ended, as metrics and traces name it: GitHub's verdicts, the service's own refusals before
 * GitHub was asked (`throttled`, `budget_exhausted`), and what neither (an outage, an unknown page) is.
 */
export type LoginOutcome =
  | 'success'
  | 'wrong_password'
  | 'code_required'
  | 'code_refused'
  | 'throttled'
  | 'locked_out'
  | 'captcha'
  | 'budget_exhausted'
  | 'proxy_refused'
  | 'error';

const OUTCOME = Symbol('apikit.loginOutcome');

/**
 * Marks the error a login ends with by its outcome, where the error is made (the login's refusals and
 * the gate's throttles), so that no observer has to read statuses or texts. Non-enumerable: the error's
 * answer to the caller (`toDict()`, JSON) is unchanged.
 */
export function withLoginOutcome<E extends object>(error: E, outcome: LoginOutcome): E {
  Object.defineProperty(error, OUTCOME, { value: outcome, enumerable: false, writable: true, configurable: true });
  return error;
}

/** The outcome an error was marked with; `error` for anything else (an outage, a time-out, a bug). */
export function loginOutcomeOf(error: unknown): LoginOutcome {
  return (typeof error === 'object' && error !== null && (error as { [OUTCOME]?: LoginOutcome })[OUTCOME]) || 'error';
}
