// The observability seam: what the backend session reports (logins, lookups, backend calls) to the
// observers `metrics/` and `tracing/` register. Internal: the public barrel exports none of it.
export type { ApiKitObserver, BackendCallObservation, LoginEnd, LoginObservation, LoginStart } from './apikit-observer.interface.js';
export { ApiKitObservers } from './apikit-observers.js';
export { loginOutcomeOf, withLoginOutcome, type LoginOutcome } from './login-outcome.js';
