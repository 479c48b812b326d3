// The observability seam: what the backend session reports (logins, lookups, backend calls) to the
// observers `metrics/` and `tracing/` register, and the store's health that metrics and readiness read.
// Internal: the public barrel exports none of it.
export type { ApiKitObserver, BackendCallObservation, LoginEnd, LoginObservation, LoginStart } from './apikit-observer.interface.js';
export { ApiKitObservers } from './apikit-observers.js';
export { loginOutcomeOf, withLoginOutcome, type LoginOutcome } from './login-outcome.js';
export { StoreHealth } from './store-health.js';
