// Logging: ApiKitLogger (public), and the library's own lines: `logEvent` (a stable event, a fixed
// sentence, the facts as fields), the debug lines, the access log. Only ApiKitLogger and its option
// types reach the public barrel.
export { ApiKitLogger } from './apikit-logger.service.js';
export type { ApiKitLoggerOptions, LogDestination } from './apikit-logger.interface.js';
export { installAccessLog } from './access-log.hooks.js';
export { DebugLines } from './debug-lines.provider.js';
export { logEvent, type LogEventFields, type LogEventLevel } from './log-event.js';
export { libraryDebugLinesOn } from './nest-logger.probe.js';
