import type { LogEnvironment } from './log-level.config.js';

/** Where lines go when not stdout or LOGFILE: anything with `write(line)`, e.g. a Writable. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface ApiKitLoggerOptions {
  /** Read for LOGLEVEL, DEBUG and LOGFILE (default `process.env`). */
  env?: LogEnvironment;
  /** Write here instead of stdout or LOGFILE (tests, or your own sink). The logger never closes it. */
  destination?: LogDestination;
  /** The `logger` field when a call names no Nest context (default `"apikit"`). */
  context?: string;
  /** Fields bound to every line. */
  fields?: Record<string, unknown>;
}
