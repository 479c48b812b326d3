import { ConsoleLogger, type LoggerService } from '@nestjs/common';
import { NestLoggerProbe } from './nest-logger.probe.js';

/** Nest's logging methods the library writes with. */
export type LogEventLevel = 'log' | 'warn' | 'error' | 'debug';

/**
 * The facts a line of the library carries, as fields: never in its sentence, where a value from the
 * network (a username) could forge a line or hide in free text.
 */
export interface LogEventFields {
  requestId?: string;
  /** The GitHub login the caller gave (attacker-controlled text: a field value, JSON-escaped). Never a password. */
  user?: string;
  status?: number;
  durationMs?: number;
  /** A login's outcome, as metrics and traces name it (`LoginOutcome`). */
  outcome?: string;
  [field: string]: unknown;
}

/**
 * Writes one line of the library: `event` a stable name (`login.succeeded`), `sentence` a short fixed
 * text for people, `fields` the facts. Structured loggers (ApiKitLogger, nestjs-pino) get one object,
 * `{ event, message, ...fields }`; Nest's ConsoleLogger, which prints an object over many lines, gets
 * one line: the sentence, then the event and fields as JSON. `stack` goes where Nest's `error` expects it.
 */
export function logEvent(logger: LoggerService, level: LogEventLevel, event: string, sentence: string, fields: LogEventFields = {}, stack?: string): void {
  const line = NestLoggerProbe.appLogger instanceof ConsoleLogger
    ? `${sentence} ${JSON.stringify({ event, ...fields })}`
    : { event, message: sentence, ...fields };
  if (stack === undefined) logger[level]?.(line);
  else logger[level]?.(line, stack);
}
