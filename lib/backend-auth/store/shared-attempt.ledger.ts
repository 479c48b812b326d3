import type { AttemptLedger, LedgerRule, LedgerScope, Reservation } from '../gate/attempt-ledger.js';
import type { LocalAttemptLedger } from '../gate/local-attempt.ledger.js';
import type { SharedLoginState } from './shared-login-state.js';

/** Reservations made here while Redis was away carry this mark, so that they settle here too. */
const LOCAL = 'local/';

/**
 * The replicas' attempt ledger in Redis: check and reservation in one script, so concurrent attempts on
 * any replicas cannot all pass. While Redis does not answer, this process's ledger counts instead.
 */
export class SharedAttemptLedger implements AttemptLedger {
  constructor(
    private readonly state: SharedLoginState,
    private readonly local: LocalAttemptLedger,
  ) {}

  async reserve(key: string, rule: LedgerRule, scope?: LedgerScope, once?: string): Promise<Reservation> {
    const shared = await this.state.reserveAttempt(key, rule, scope, once);
    if (shared.known) return shared.value!;
    const local = await this.local.reserve(key, rule, scope, once);
    return local.admitted ? { ...local, id: `${LOCAL}${local.id}` } : local;
  }

  async settle(key: string, id: string, failed: boolean, rule: LedgerRule): Promise<number> {
    if (id.startsWith(LOCAL)) return this.local.settle(key, id.slice(LOCAL.length), failed, rule);
    return (await this.state.settleAttempt(key, id, failed, rule)) ?? 0;
  }
}
