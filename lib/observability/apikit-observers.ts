import { Injectable } from '@nestjs/common';
import type { ApiKitObserver, BackendCallObservation, LoginEnd, LoginObservation, LoginStart } from './apikit-observer.interface.js';
import type { LoginOutcome } from './login-outcome.js';

const NOTHING_TO_END: LoginObservation & BackendCallObservation = { end: () => undefined };

/**
 * The observers of the backend session (metrics, tracing), each registered once at boot. The session
 * reports to this one object, whose every method is a length check when nobody listens.
 */
@Injectable()
export class ApiKitObservers {
  private observers: ApiKitObserver[] = [];

  add(observer: ApiKitObserver): void {
    this.observers = [...this.observers, observer];
  }

  get any(): boolean {
    return this.observers.length > 0;
  }

  loginStarted(start: LoginStart): LoginObservation {
    if (this.observers.length === 0) return NOTHING_TO_END;
    const observations = this.observers.map((observer) => observer.loginStarted?.(start)).filter((o) => o !== undefined);
    return { end: (result: LoginEnd) => observations.forEach((observation) => observation.end(result)) };
  }

  loginRefused(outcome: LoginOutcome): void {
    for (const observer of this.observers) observer.loginRefused?.(outcome);
  }

  sessionLookup(result: 'hit' | 'miss' | 'shared', requestId: string): void {
    for (const observer of this.observers) observer.sessionLookup?.(result, requestId);
  }

  loginPageMet(kind: string, path: string, requestId: string): void {
    for (const observer of this.observers) observer.loginPageMet?.(kind, path, requestId);
  }

  backendCallStarted(method: string, url: URL, requestId: string): BackendCallObservation {
    if (this.observers.length === 0) return NOTHING_TO_END;
    const observations = this.observers.map((observer) => observer.backendCallStarted?.(method, url, requestId)).filter((o) => o !== undefined);
    const headers = observations.flatMap((observation) => observation.headers ?? []);
    return {
      headers: headers.length === 0 ? undefined : headers,
      end: (status, error) => observations.forEach((observation) => observation.end(status, error)),
    };
  }
}
