import { Injectable } from '@nestjs/common';
import { ServiceReadiness, type NotReadyReason } from './service-readiness.js';

/** `@nestjs/terminus`' `HealthIndicatorResult` for one key, as `HealthIndicatorService.check(key).up()` / `.down({ reasons })` make it. */
export type ApiKitHealthIndicatorResult<Key extends string> = Record<Key, { status: 'up' } | { status: 'down'; reasons: NotReadyReason[] }>;

/**
 * The readiness of the service for apps that serve their own health route with `@nestjs/terminus`:
 * `() => this.apikit.isHealthy('apikit')` among a `HealthCheckService.check([...])`'s indicators. Down
 * (terminus answers 503) while the Redis store is degraded or the service is shutting down. Gives the
 * shape terminus' `HealthIndicatorService` makes, so the library need not import terminus at all.
 */
@Injectable()
export class ApiKitHealthIndicator {
  constructor(private readonly readiness: ServiceReadiness) {}

  isHealthy<const Key extends string>(key: Key): ApiKitHealthIndicatorResult<Key> {
    const reasons = this.readiness.notReadyReasons;
    const detail = reasons.length === 0 ? { status: 'up' as const } : { status: 'down' as const, reasons };
    return { [key]: detail } as ApiKitHealthIndicatorResult<Key>;
  }
}
