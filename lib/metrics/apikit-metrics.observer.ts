import type { Counter, Histogram, Registry } from 'prom-client';
import type { ApiKitObserver, BackendCallObservation, LoginObservation, LoginOutcome } from '../observability/index.js';
import { ApiKitOptionsError } from '../options/apikit-options.error.js';
import { methodLabel, statusClassLabel } from './metric-labels.js';
import type { PromClient } from './prom-client.loader.js';

/** States the gauges read at each scrape (nothing is counted for them on the hot path). */
export interface MetricsGaugeSources {
  /** Identities in the pool (logged in, or logging in). */
  sessions(): number;
  /** Logins waiting for a slot of the login budget. */
  loginsWaiting(): number;
  /** Redis configured and not answering. */
  storeDegraded(): boolean;
}

const LOGIN_OUTCOMES: readonly LoginOutcome[] = [
  'success', 'wrong_password', 'code_required', 'code_refused', 'throttled', 'locked_out', 'captcha', 'budget_exhausted', 'proxy_refused', 'error',
];
const LOOKUP_RESULTS = ['hit', 'miss', 'shared'] as const;
// A GitHub login is several pages through the proxy and GitHub: about a second, up to the login time-out.
const LOGIN_SECONDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];
const BACKEND_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The library's metrics on a registry, fed by the observability seam: `ApiKitObservers.add(new ApiKitMetrics(...))`. */
export class ApiKitMetrics implements ApiKitObserver {
  private readonly logins: Counter<'outcome'>;
  private readonly loginSeconds: Histogram<'outcome'>;
  private readonly lookups: Counter<'result'>;
  private readonly backendRequests: Counter<'method' | 'status_class'>;
  private readonly backendSeconds: Histogram<'method' | 'status_class'>;

  constructor(prom: PromClient, registry: Registry, prefix: string, sources: MetricsGaugeSources) {
    const registers = [registry];
    const name = (suffix: string): string => {
      // prom-client would throw its own error on the second registration; this one says what to change.
      if (registry.getSingleMetric(prefix + suffix) !== undefined) {
        throw new ApiKitOptionsError([`metrics.registry: already holds ${prefix}${suffix} (another ApiKitModule?): give each app its own registry or prefix`]);
      }
      return prefix + suffix;
    };
    this.logins = new prom.Counter({ name: name('logins_total'), help: 'GitHub logins through the proxy, by outcome (refusals before GitHub was asked included)', labelNames: ['outcome'], registers });
    this.loginSeconds = new prom.Histogram({ name: name('login_duration_seconds'), help: 'Duration of GitHub logins through the proxy, by outcome', labelNames: ['outcome'], buckets: LOGIN_SECONDS, registers });
    this.lookups = new prom.Counter({ name: name('session_lookups_total'), help: 'Session lookups: hit (pooled), miss (a login), shared (found in Redis)', labelNames: ['result'], registers });
    this.backendRequests = new prom.Counter({ name: name('backend_requests_total'), help: 'Calls to the backend through the session, by method and status class (error: no answer)', labelNames: ['method', 'status_class'], registers });
    this.backendSeconds = new prom.Histogram({ name: name('backend_request_duration_seconds'), help: 'Duration of calls to the backend through the session (a login included)', labelNames: ['method', 'status_class'], buckets: BACKEND_SECONDS, registers });
    new prom.Gauge({ name: name('sessions'), help: 'Identities in the session pool (logged in or logging in)', registers, collect() { this.set(sources.sessions()); } });
    new prom.Gauge({ name: name('login_budget_waiting'), help: 'Logins waiting for a slot of the login budget', registers, collect() { this.set(sources.loginsWaiting()); } });
    new prom.Gauge({ name: name('store_degraded'), help: '1 while the Redis store is configured and not answering (state per replica), else 0', registers, collect() { this.set(sources.storeDegraded() ? 1 : 0); } });
    // Every outcome and result from the first scrape, so that rate() and ratios see them start at 0.
    for (const outcome of LOGIN_OUTCOMES) this.logins.inc({ outcome }, 0);
    for (const result of LOOKUP_RESULTS) this.lookups.inc({ result }, 0);
  }

  loginStarted(): LoginObservation {
    const stop = this.loginSeconds.startTimer();
    return {
      end: ({ outcome }) => {
        stop({ outcome });
        this.logins.inc({ outcome });
      },
    };
  }

  loginRefused(outcome: LoginOutcome): void {
    this.logins.inc({ outcome });
  }

  sessionLookup(result: 'hit' | 'miss' | 'shared'): void {
    this.lookups.inc({ result });
  }

  backendCallStarted(method: string): BackendCallObservation {
    const stop = this.backendSeconds.startTimer();
    return {
      end: (status) => {
        const labels = { method: methodLabel(method), status_class: statusClassLabel(status) };
        stop(labels);
        this.backendRequests.inc(labels);
      },
    };
  }
}
