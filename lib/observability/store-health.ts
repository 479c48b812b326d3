/**
 * Whether the session store shared between replicas answers, as the store itself knows it: provided by
 * backend-auth (its `SharedLoginStore`), read by metrics and readiness without knowing the store.
 */
export abstract class StoreHealth {
  /** Redis is configured and its last command failed: sessions, throttles and budgets are per replica meanwhile. */
  abstract get degraded(): boolean;
}
