import { MAX_TIMER_MS, IsHttpUrl, IfGiven, IsIntegerIn, IsNestedOptions } from './option.decorators.js';
import type { NestedSchemas } from './option-schema.builder.js';

class PoolOptionsSchema {
  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxEntries: unknown;

  @IsIntegerIn(1, MAX_TIMER_MS)
  idleTtlMs: unknown;
}

class KeepAliveOptionsSchema {
  @IsIntegerIn(1, MAX_TIMER_MS)
  timeoutMs: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  connectionsPerOrigin: unknown;
}

/** The rules of `backend` (`BackendSessionOptions`): time-outs fit a Node timer, sizes and counts are integers. */
export class BackendOptionsSchema {
  static readonly nested: NestedSchemas = { pool: () => PoolOptionsSchema, keepAlive: () => KeepAliveOptionsSchema };

  @IsIntegerIn(1, MAX_TIMER_MS)
  timeoutMs: unknown;

  @IsIntegerIn(1, MAX_TIMER_MS)
  loginTimeoutMs: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxResponseBytes: unknown;

  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  maxRedirects: unknown;

  @IfGiven()
  @IsHttpUrl()
  githubSessionUrl: unknown;

  @IsNestedOptions()
  pool: unknown;

  @IsIntegerIn(0, MAX_TIMER_MS)
  failedLoginBackoffMs: unknown;

  @IsNestedOptions()
  keepAlive: unknown;
}
