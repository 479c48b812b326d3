import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as PinoLogger } from 'pino';
import type { ApiKitLoggerOptions, LogDestination } from './apikit-logger.interface.js';
import { type ApiKitLogLevel, LOG_LEVELS, logConfigFromEnv } from './log-level.config.js';
import { redactSecrets } from './log-redaction.formatter.js';

type Pino = PinoLogger<ApiKitLogLevel, true>;

/** The pino logger and the destination it owns (a LOGFILE), shared by a logger and everything bound from it. */
interface Sink {
  pino: Pino;
  ownedFile: (LogDestination & { end(): void; flushSync(): void; once(event: 'close', listener: () => void): unknown }) | undefined;
}

// Keys every line has; a field with one of these names is written as `_<name>` rather than shadowing it.
const RESERVED: ReadonlySet<string> = new Set(['timestamp', 'level', 'logger', 'event']);
// Nest's stack traces, as its ConsoleLogger recognises them in `error(message, stack?, context?)`.
const STACK_FORMAT = /^(.)+\n\s+at .+:\d+:\d+/s;

/**
 * apikit's `get_logger`, as a Nest LoggerService: JSON lines with `timestamp` (ISO 8601), `level`
 * (debug, info, warning, error, critical), `logger` (the Nest context), `event` (the message) and bound fields.
 * Configured from LOGLEVEL, DEBUG and LOGFILE (see `logConfigFromEnv`). Each instance writes each line once
 * (apikit added a handler per call, duplicating lines). Use `app.useLogger(new ApiKitLogger())`.
 */
export class ApiKitLogger implements LoggerService {
  private readonly sink: Sink;
  private readonly context: string;
  private readonly fields: Readonly<Record<string, unknown>>;

  constructor(options?: ApiKitLoggerOptions);
  /** @internal bound loggers share their parent's sink. */
  constructor(options: ApiKitLoggerOptions, sink: Sink);
  constructor(options: ApiKitLoggerOptions = {}, sink?: Sink) {
    this.sink = sink ?? createSink(options);
    this.context = options.context ?? 'apikit';
    this.fields = Object.freeze({ ...options.fields });
  }

  /** A logger writing to the same place with `fields` added to every line (structlog's `bind`). */
  bind(fields: Record<string, unknown>): ApiKitLogger {
    return new ApiKitLogger({ context: this.context, fields: { ...this.fields, ...fields } }, this.sink);
  }

  /** Same as `bind`, under pino's and Nest's usual name. */
  child(fields: Record<string, unknown>): ApiKitLogger {
    return this.bind(fields);
  }

  /** Writes one line at `level` with `fields`: the structured entry point besides Nest's methods. */
  emit(level: ApiKitLogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (!this.sink.pino.isLevelEnabled(level)) return;
    this.write(level, event, fields, this.context);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.fromNest('info', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.fromNest('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.fromNest('warning', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.fromNest('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.fromNest('debug', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.fromNest('critical', message, optionalParams);
  }

  /** Whether a line at `level` would be written (the library asks once, at boot, for its debug lines). */
  isLevelEnabled(level: ApiKitLogLevel): boolean {
    return this.sink.pino.isLevelEnabled(level);
  }

  /** Flushes and closes a LOGFILE this logger opened (and its bound loggers share); stdout and given destinations stay open. */
  async close(): Promise<void> {
    const file = this.sink.ownedFile;
    if (file === undefined) return;
    this.sink.ownedFile = undefined;
    file.flushSync();
    await new Promise<void>((resolve) => {
      file.once('close', resolve);
      file.end();
    });
  }

  /**
   * Nest calls `method(message, ...params, context?)`: a trailing string is the context, plain objects
   * are fields, for `error` a stack-shaped string is the stack; anything else lands in `args`.
   */
  private fromNest(level: ApiKitLogLevel, message: unknown, params: unknown[]): void {
    if (!this.sink.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const last = rest.at(-1);
    const context = typeof last === 'string' && !STACK_FORMAT.test(last) ? (rest.pop() as string) : this.context;
    const fields: Record<string, unknown> = {};
    const args: unknown[] = [];
    for (const param of rest) {
      if (typeof param === 'string' && STACK_FORMAT.test(param)) fields.stack = param;
      else if (isPlainObject(param)) Object.assign(fields, param);
      else if (param !== undefined) args.push(param);
    }
    if (args.length > 0) fields.args = args;
    const { event, fields: messageFields } = splitMessage(message);
    this.write(level, event, { ...messageFields, ...fields }, context);
  }

  private write(level: ApiKitLogLevel, event: string, fields: Record<string, unknown>, context: string): void {
    const line: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...this.fields, ...fields })) line[RESERVED.has(key) ? `_${key}` : key] = value;
    line.logger = context;
    this.sink.pino[level](line, event);
  }
}

function createSink({ env = process.env, destination }: ApiKitLoggerOptions): Sink {
  const config = logConfigFromEnv(env);
  let ownedFile: Sink['ownedFile'];
  let stream: LogDestination;
  if (destination !== undefined) stream = destination;
  else if (config.file !== undefined) stream = ownedFile = openLogFile(config.file);
  // Synchronous like apikit's handlers: a line is written before the call returns, none lost on a crash.
  else stream = pino.destination({ dest: 1, sync: true });
  const logger = pino<ApiKitLogLevel, true>(
    {
      level: config.level,
      customLevels: LOG_LEVELS,
      useOnlyCustomLevels: true,
      base: null,
      messageKey: 'event',
      timestamp: () => `,"timestamp":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
    },
    stream as pino.DestinationStream,
  );
  return { pino: logger, ownedFile };
}

function openLogFile(file: string): NonNullable<Sink['ownedFile']> {
  try {
    // Synchronous appends: every line is on disk when the call returns (tests and tail -f read it at once).
    return pino.destination({ dest: file, append: true, sync: true, mkdir: false });
  } catch (error) {
    throw new Error(`LOGFILE ${JSON.stringify(file)} cannot be opened for appending: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A string or an Error is the event; a plain object gives its fields, `event` naming the line (the
 * library's `{ event: 'login.succeeded', message: 'Login succeeded', ... }` keeps both), or else `message`.
 */
function splitMessage(message: unknown): { event: string; fields: Record<string, unknown> } {
  if (typeof message === 'string') return { event: message, fields: {} };
  if (message instanceof Error) return { event: message.message, fields: { error_type: message.name, stack: message.stack } };
  if (isPlainObject(message)) {
    const { event, message: text, ...fields } = message;
    if (typeof event === 'string') return { event, fields: text === undefined ? fields : { message: text, ...fields } };
    return { event: typeof text === 'string' ? text : '', fields };
  }
  return { event: String(message), fields: {} };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
