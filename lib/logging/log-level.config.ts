/** apikit's (structlog's) level names, lowest first, with pino's numbers. */
export const LOG_LEVELS = { debug: 20, info: 30, warning: 40, error: 50, critical: 60 } as const;

export type ApiKitLogLevel = keyof typeof LOG_LEVELS;

/** The environment variables the logger reads (pass `process.env`, or your own in tests). */
export type LogEnvironment = Readonly<Record<string, string | undefined>>;

export interface LogConfig {
  level: ApiKitLogLevel;
  /** Append JSON lines to this file instead of stdout. */
  file: string | undefined;
}

const DEFAULT_LEVEL: ApiKitLogLevel = 'warning';

/**
 * apikit's environment: `LOGLEVEL` (DEBUG, INFO, WARNING, ERROR, CRITICAL; any case; default WARNING),
 * `DEBUG` (non-empty means debug, whatever LOGLEVEL says) and `LOGFILE`.
 * Syslog (`LOG_TO_SYSLOG`, `LOGHOST`) is left out: run under a supervisor that ships stdout, or use LOGFILE.
 */
export function logConfigFromEnv(env: LogEnvironment): LogConfig {
  const requested = env.LOGLEVEL?.trim().toLowerCase() ?? '';
  if (requested !== '' && !(requested in LOG_LEVELS)) {
    throw new RangeError(
      `LOGLEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (any case), got ${JSON.stringify(env.LOGLEVEL)}`,
    );
  }
  const level = env.DEBUG ? 'debug' : ((requested || DEFAULT_LEVEL) as ApiKitLogLevel);
  return { level, file: env.LOGFILE || undefined };
}

/** Whether `env` asks for debug lines (`DEBUG` non-empty, or `LOGLEVEL=DEBUG` in any case), without judging other values. */
export function asksForDebug(env: LogEnvironment): boolean {
  return Boolean(env.DEBUG) || env.LOGLEVEL?.trim().toLowerCase() === 'debug';
}
