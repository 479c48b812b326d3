import { DEFAULT_BACKEND_SESSION_OPTIONS } from './backend-options.defaults.js';
import { Equals, IsDefined, IsString, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { IfGiven, IsCidrList, IsIntegerIn, IsNestedOptions, IsOnOriginOf, IsPasswordSafeUrl, MAX_TIMER_MS } from './option.decorators.js';
import type { NestedSchemas } from './option-schema.builder.js';

class PoolOptionsSchema {
  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxEntries: unknown;

  @IsIntegerIn(1, MAX_TIMER_MS)
  idleTtlMs: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxAgeMs: unknown;
}

/** A failure count in a sliding window: `usernameThrottle` and `addressThrottle`. */
class FailureWindowOptionsSchema {
  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  maxFailures: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  windowMs: unknown;
}

class LoginBudgetOptionsSchema {
  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxConcurrent: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  perMinute: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  perHour: unknown;

  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  perIdentityPerHour: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  perAddressConcurrent: unknown;
}

class CookieOptionsSchema {
  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxPerSession: unknown;

  @IsIntegerIn(256, Number.MAX_SAFE_INTEGER)
  maxHeaderBytes: unknown;
}

class MemoryStoreSchema {
  @Equals('memory', { message: 'expected "memory" or "redis"' })
  type: unknown;
}

class RedisStoreSchema {
  @Equals('redis', { message: 'expected "memory" or "redis"' })
  type: unknown;

  @ValidateIf((store: RedisStoreSchema) => store.client === undefined || store.url !== undefined)
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'expected a redis:// or rediss:// URL (or a client instead)' })
  url: unknown;

  @IfGiven()
  @ValidateBy({
    name: 'isRedisClient',
    validator: {
      validate: (client: unknown) => typeof (client as { sendCommand?: unknown } | null)?.sendCommand === 'function',
      defaultMessage: () => 'expected a node-redis client (with sendCommand)',
    },
  })
  client: unknown;

  @IfGiven()
  @Matches(/^[\x21-\x7e]{0,64}$/, { message: 'expected up to 64 printable ASCII characters' })
  keyPrefix: unknown;

  @IsIntegerIn(1, MAX_TIMER_MS)
  timeoutMs: unknown;

  @IsIntegerIn(0, MAX_TIMER_MS)
  localTtlMs: unknown;
}

const isRedisStore = (backend: { store?: unknown }): boolean => (backend.store as { type?: unknown } | undefined)?.type === 'redis';

class KeepAliveOptionsSchema {
  @IsIntegerIn(1, MAX_TIMER_MS)
  timeoutMs: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  connectionsPerOrigin: unknown;
}

/** The rules of `backend` (`BackendSessionOptions`): time-outs fit a Node timer, sizes and counts are integers. */
export class BackendOptionsSchema {
  static readonly nested: NestedSchemas = {
    pool: () => PoolOptionsSchema,
    usernameThrottle: () => FailureWindowOptionsSchema,
    addressThrottle: () => FailureWindowOptionsSchema,
    loginBudget: () => LoginBudgetOptionsSchema,
    cookies: () => CookieOptionsSchema,
    keepAlive: () => KeepAliveOptionsSchema,
    store: (store) => (store.type === 'redis' ? RedisStoreSchema : MemoryStoreSchema),
  };

  @IsIntegerIn(1, MAX_TIMER_MS)
  timeoutMs: unknown;

  @IsIntegerIn(1, MAX_TIMER_MS)
  loginTimeoutMs: unknown;

  @IsIntegerIn(1, Number.MAX_SAFE_INTEGER)
  maxResponseBytes: unknown;

  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  maxRedirects: unknown;

  @IfGiven()
  @IsPasswordSafeUrl()
  githubUrl: unknown;

  @IfGiven()
  @IsOnOriginOf('githubUrl', DEFAULT_BACKEND_SESSION_OPTIONS.githubUrl)
  githubSessionUrl: unknown;

  @IsNestedOptions()
  pool: unknown;

  @IsIntegerIn(0, MAX_TIMER_MS)
  failedLoginBackoffMs: unknown;

  @IsNestedOptions()
  usernameThrottle: unknown;

  @IsNestedOptions()
  addressThrottle: unknown;

  @IfGiven()
  @IsCidrList()
  trustedProxies: unknown;

  @IsNestedOptions()
  loginBudget: unknown;

  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  reloginIntervalMs: unknown;

  @IsNestedOptions()
  cookies: unknown;

  // RFC 6265 cookie-name token: oauth2-proxy refuses others too.
  @IfGiven()
  @Matches(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,200}$/, { message: 'expected a cookie name (an RFC 6265 token)' })
  proxyCookieName: unknown;

  // Printable ASCII: a header value.
  @IfGiven()
  @Matches(/^[\x21-\x7e][\x20-\x7e]{0,255}$/, { message: 'expected 1 to 256 printable ASCII characters' })
  userAgent: unknown;

  @IsIntegerIn(1_000, MAX_TIMER_MS)
  codeWaitMs: unknown;

  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  githubDeviceTtlMs: unknown;

  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER)
  githubSessionTtlMs: unknown;

  @IsIntegerIn(1_000, Number.MAX_SAFE_INTEGER)
  githubLockoutMs: unknown;

  @IsNestedOptions()
  store: unknown;

  // Never echoed, as every option: its type and length rule only.
  @ValidateIf((backend: BackendOptionsSchema) => isRedisStore(backend) || backend.secret !== undefined)
  @IsDefined({ message: 'required with store type "redis": at least 32 bytes, the same on every replica, from the environment' })
  @IsString({ message: 'expected a string of at least 32 bytes' })
  @ValidateBy({ name: 'isLongSecret', validator: { validate: (secret: unknown) => typeof secret === 'string' && Buffer.byteLength(secret) >= 32, defaultMessage: () => 'expected a string of at least 32 bytes' } })
  secret: unknown;

  @IsNestedOptions()
  keepAlive: unknown;
}
