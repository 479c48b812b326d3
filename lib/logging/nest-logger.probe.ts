import { Logger, type LoggerService } from '@nestjs/common';
import { ApiKitLogger } from './apikit-logger.service.js';
import { asksForDebug, type LogEnvironment } from './log-level.config.js';

/**
 * Reads which logger the application gave Nest (`NestFactory.create(..., { logger })`, `app.useLogger`):
 * Nest keeps it in a protected static of `Logger`, which a subclass may read. Never instantiated.
 */
export class NestLoggerProbe extends Logger {
  static get appLogger(): LoggerService | undefined {
    return this.staticInstanceRef;
  }
}

/**
 * Whether the library writes its debug lines (pool lookups, backend calls, login pages): ApiKitLogger at
 * debug (LOGLEVEL=DEBUG or DEBUG set); another logger when Nest lets its debug level through and the
 * environment asks for debug, so that Nest's default ConsoleLogger (debug on) adds no line per request unasked.
 * Read once, at boot: the backend path then pays nothing for it.
 */
export function libraryDebugLinesOn(env: LogEnvironment = process.env): boolean {
  const logger = NestLoggerProbe.appLogger;
  if (logger instanceof ApiKitLogger) return logger.isLevelEnabled('debug');
  return Logger.isLevelEnabled('debug') && asksForDebug(env);
}
