import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AuthType } from 'nestjs-apikit';
import {
  DEFAULT_AUTH_TYPE,
  DEFAULT_HTTP_ADAPTER,
  SERVICE_ENVIRONMENT_VARIABLES,
  ServiceEnvironment,
} from './service-environment.schema.js';

/** The service's validated, typed configuration. */
export interface ServiceConfig {
  port: number;
  host: string;
  /** The backend's base URL (no trailing slash); `undefined` means demo mode. */
  backendUrl: string | undefined;
  authType: AuthType;
  /** The oauth2-proxy start URL; `${backendUrl}/oauth2/start` unless PROXY_START_URL says otherwise. */
  proxyStartUrl: string | undefined;
  /** The GitHub the proxy logs in with, the only place callers' passwords go (default https://github.com). */
  githubUrl: string | undefined;
  /** Where GitHub's login form posts, for a GitHub Enterprise with an unusual login page. */
  githubSessionUrl: string | undefined;
  /** Redis shared by the replicas (sessions, throttles, login budgets); `undefined`: each replica alone. */
  redisUrl: string | undefined;
  /** The replicas' shared secret, required with `redisUrl`. */
  sessionSecret: string | undefined;
  httpAdapter: 'express' | 'fastify';
  /** Demo mode only: the demo backend answers after this delay (to watch a graceful shutdown). */
  demoBackendDelayMs: number;
  /** Prometheus metrics at GET /metrics (METRICS=off turns them off). */
  metrics: boolean;
  /** After SIGTERM, how long the service keeps serving (GET /ready answering 503) before it drains. */
  shutdownDelayMs: number;
  /** GitHub logins started per minute and per hour, all replicas together; unset: the library's defaults. */
  loginBudget: { perMinute?: number; perHour?: number };
}

/** The environment is not usable; the message lists every problem, each naming its variable. */
export class ServiceConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration of the service:\n- ${problems.join('\n- ')}`);
    this.name = 'ServiceConfigError';
  }
}

/**
 * Reads the configuration from the environment and validates it, reporting every problem at once.
 * LOGLEVEL, DEBUG and LOGFILE are read by nestjs-apikit's logger itself.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const raw: Record<string, string> = {};
  for (const name of SERVICE_ENVIRONMENT_VARIABLES) {
    const value = env[name]?.trim();
    // `PORT=` in a compose file or manifest means "unset", not "invalid".
    if (value) raw[name] = value;
  }
  const parsed = plainToInstance(ServiceEnvironment, raw);
  const problems = validateSync(parsed).flatMap(messagesOf);
  // Rules between variables only make sense once each one is valid on its own.
  if (problems.length === 0) problems.push(...crossFieldProblems(parsed));
  if (problems.length > 0) throw new ServiceConfigError(problems);

  const backendUrl = parsed.BACKEND_URL?.replace(/\/+$/, '');
  return {
    port: parsed.PORT ?? 5000,
    host: parsed.HOST ?? '0.0.0.0',
    backendUrl,
    authType: parsed.AUTH_TYPE ?? DEFAULT_AUTH_TYPE,
    proxyStartUrl: parsed.PROXY_START_URL ?? (backendUrl === undefined ? undefined : `${backendUrl}/oauth2/start`),
    githubUrl: parsed.GITHUB_URL,
    githubSessionUrl: parsed.GITHUB_SESSION_URL,
    redisUrl: parsed.REDIS_URL,
    sessionSecret: parsed.SESSION_SECRET,
    httpAdapter: parsed.HTTP_ADAPTER ?? DEFAULT_HTTP_ADAPTER,
    demoBackendDelayMs: parsed.DEMO_BACKEND_DELAY_MS ?? 0,
    metrics: parsed.METRICS !== 'off',
    // Kubernetes takes the pod out of the endpoints as it sends SIGTERM; the ingress learns it a moment later.
    shutdownDelayMs: parsed.SHUTDOWN_DELAY_MS ?? 5_000,
    loginBudget: { perMinute: parsed.LOGIN_BUDGET_PER_MINUTE, perHour: parsed.LOGIN_BUDGET_PER_HOUR },
  };
}

function messagesOf(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {});
}

/** Demo mode (no BACKEND_URL) simulates the backend (behind an oauth2-proxy for bitly-proxy): only settings that make sense with it. */
function crossFieldProblems(env: ServiceEnvironment): string[] {
  if (env.REDIS_URL !== undefined && env.SESSION_SECRET === undefined) {
    return ['REDIS_URL needs SESSION_SECRET: the replicas key and encrypt what they share in Redis with it'];
  }
  if (env.BACKEND_URL !== undefined) {
    return env.DEMO_BACKEND_DELAY_MS === undefined
      ? []
      : ['DEMO_BACKEND_DELAY_MS only applies in demo mode; unset it or unset BACKEND_URL'];
  }
  const problems: string[] = [];
  // An image runs with NODE_ENV=production: a Deployment that lost its BACKEND_URL must not answer from the demo's simulated backend.
  if (env.NODE_ENV === 'production' && env.DEMO !== '1') {
    problems.push(
      'BACKEND_URL is required with NODE_ENV=production: without it the service would run its demo backend (set DEMO=1 to run the demo on purpose)',
    );
  }
  if (env.PROXY_START_URL !== undefined) {
    problems.push('PROXY_START_URL needs BACKEND_URL: demo mode uses its own simulated proxy');
  }
  if (env.GITHUB_URL !== undefined) {
    problems.push('GITHUB_URL needs BACKEND_URL: demo mode uses its own simulated GitHub');
  }
  return problems;
}
