/** A bound on attempts of one key (a username, a client address): failures within a window, plus those in flight. */
export interface LedgerRule {
  /** Attempts counted at most; one more is refused. */
  readonly max: number;
  /** How long a failure counts, in ms. */
  readonly windowMs: number;
  /** How long an attempt in flight counts at most (a replica that died holding one), in ms. */
  readonly holdMs: number;
}

/**
 * Counts only attempts made before `since`, and those tagged `tag`: a login already waiting for its code is
 * judged by what came before it and by its own codes, not by what others did to the username since.
 */
export interface LedgerScope {
  readonly since: number;
  readonly tag: string;
}

export type Reservation =
  | { readonly admitted: true; readonly id: string; readonly blockedForMs: number }
  | { readonly admitted: false; readonly retryAfterMs: number; readonly blockedForMs: number };

/**
 * Attempts reserved before they are made: an attempt counts (in flight) from its admission, becomes a
 * failure or is released once its outcome is known. Check and reservation are one step, so concurrent
 * attempts cannot all pass a check that each alone would pass. `blockedForMs`: how long the key's
 * failures alone (not its attempts in flight) keep it at the bound; 0 when they do not.
 */
export interface AttemptLedger {
  /**
   * `once`: the attempt's own name (an identity's stored key), where replicas may each reserve the same
   * attempt: one already in flight under it is not counted again.
   */
  reserve(key: string, rule: LedgerRule, scope?: LedgerScope, once?: string): Promise<Reservation>;
  /** The attempt's outcome: a failure counted for the window, or released. Returns the key's `blockedForMs`. */
  settle(key: string, id: string, failed: boolean, rule: LedgerRule): Promise<number>;
}
