import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateBy } from 'class-validator';

export const AUTH_TYPES = ['bitly-proxy', 'basic', 'none'] as const;
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;

/** Unless AUTH_TYPE says otherwise: how the service authenticates to its backend. */
export const DEFAULT_AUTH_TYPE: (typeof AUTH_TYPES)[number] = 'bitly-proxy';
/** Unless HTTP_ADAPTER says otherwise: the HTTP platform under Nest (the other one must be installed to switch). */
export const DEFAULT_HTTP_ADAPTER: (typeof HTTP_ADAPTERS)[number] = 'express';

// Loopback and cluster-internal hosts (`http://backend:8080`) have no TLD.
const HTTP_URL: Parameters<typeof IsUrl>[0] = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** Decimal digits become a number; anything else stays a string so the message can quote it. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/**
 * The service's environment variables, as read from `process.env` (blank values already dropped).
 * Property names are the variable names, so every validation message names the variable.
 */
export class ServiceEnvironment {
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'PORT must be a port number from 0 to 65535 (0 picks a free port), got "$value"' })
  @Min(0, { message: 'PORT must be a port number from 0 to 65535, got $value' })
  @Max(65535, { message: 'PORT must be a port number from 0 to 65535, got $value' })
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'BACKEND_URL must be an absolute http(s) URL such as https://myservice.lsst.codes, got "$value"' })
  BACKEND_URL?: string;

  @IsOptional()
  @IsIn(AUTH_TYPES, { message: `AUTH_TYPE must be one of ${AUTH_TYPES.join(', ')}, got "$value"` })
  AUTH_TYPE?: (typeof AUTH_TYPES)[number];

  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'PROXY_START_URL must be an absolute http(s) URL (the proxy\'s /oauth2/start), got "$value"' })
  PROXY_START_URL?: string;

  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'GITHUB_URL must be an absolute http(s) URL (https://github.com or your GitHub Enterprise), got "$value"' })
  GITHUB_URL?: string;

  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'GITHUB_SESSION_URL must be an absolute http(s) URL (GitHub\'s /session), got "$value"' })
  GITHUB_SESSION_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL such as redis://redis:6379/0' })
  REDIS_URL?: string;

  // The message never quotes the value: it is a secret.
  @IsOptional()
  @ValidateBy(
    {
      name: 'isSessionSecret',
      validator: { validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value) >= 32 },
    },
    { message: 'SESSION_SECRET must be at least 32 bytes (the same on every replica), e.g. from `openssl rand -base64 48`' },
  )
  SESSION_SECRET?: string;

  @IsOptional()
  @IsIn(HTTP_ADAPTERS, { message: `HTTP_ADAPTER must be one of ${HTTP_ADAPTERS.join(', ')}, got "$value"` })
  HTTP_ADAPTER?: (typeof HTTP_ADAPTERS)[number];

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'DEMO_BACKEND_DELAY_MS must be a whole number of milliseconds, got "$value"' })
  @Min(0, { message: 'DEMO_BACKEND_DELAY_MS must be >= 0, got $value' })
  @Max(600_000, { message: 'DEMO_BACKEND_DELAY_MS must be <= 600000 (10 minutes), got $value' })
  DEMO_BACKEND_DELAY_MS?: number;

  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'SHUTDOWN_DELAY_MS must be a whole number of milliseconds, got "$value"' })
  @Min(0, { message: 'SHUTDOWN_DELAY_MS must be >= 0, got $value' })
  @Max(120_000, { message: 'SHUTDOWN_DELAY_MS must be <= 120000 (2 minutes), got $value' })
  SHUTDOWN_DELAY_MS?: number;

  // The login budget (GitHub logins started per minute and per hour, all replicas together): the library's defaults
  // (60 and 1000, half GitHub's allowance for an OAuth app) unless a GitHub Enterprise or a load test wants others.
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'LOGIN_BUDGET_PER_MINUTE must be a whole number of logins, got "$value"' })
  @Min(1, { message: 'LOGIN_BUDGET_PER_MINUTE must be >= 1, got $value' })
  LOGIN_BUDGET_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'LOGIN_BUDGET_PER_HOUR must be a whole number of logins, got "$value"' })
  @Min(1, { message: 'LOGIN_BUDGET_PER_HOUR must be >= 1, got $value' })
  LOGIN_BUDGET_PER_HOUR?: number;

  // Prometheus metrics at GET /metrics, on unless turned off (prom-client is one of the service's dependencies).
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'METRICS must be on or off, got "$value"' })
  METRICS?: 'on' | 'off';

  @IsOptional()
  @IsIn(['1'], { message: 'DEMO must be 1 (run the demo backend even with NODE_ENV=production) or unset, got "$value"' })
  DEMO?: '1';
}

/** The variables the schema knows; everything else in the environment is ignored. */
export const SERVICE_ENVIRONMENT_VARIABLES = [
  'PORT',
  'HOST',
  'BACKEND_URL',
  'AUTH_TYPE',
  'PROXY_START_URL',
  'GITHUB_URL',
  'GITHUB_SESSION_URL',
  'REDIS_URL',
  'SESSION_SECRET',
  'HTTP_ADAPTER',
  'DEMO_BACKEND_DELAY_MS',
  'NODE_ENV',
  'DEMO',
  'METRICS',
  'SHUTDOWN_DELAY_MS',
  'LOGIN_BUDGET_PER_MINUTE',
  'LOGIN_BUDGET_PER_HOUR',
] as const satisfies ReadonlyArray<keyof ServiceEnvironment>;
