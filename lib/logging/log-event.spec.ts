import { ConsoleLogger, Logger } from '@nestjs/common';
import { ApiKitLogger } from './apikit-logger.service.js';
import { logEvent } from './log-event.js';
import { libraryDebugLinesOn } from './nest-logger.probe.js';

function collected(): { destination: { write(line: string): void }; lines(): Array<Record<string, unknown>> } {
  const written: string[] = [];
  return {
    destination: { write: (line: string) => void written.push(line) },
    lines: () => written.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** A ConsoleLogger whose printed text is kept rather than written to stdout. */
class KeptConsoleLogger extends ConsoleLogger {
  readonly printed: string[] = [];
  protected override printMessages(messages: unknown[]): void {
    this.printed.push(...messages.map((message) => (typeof message === 'string' ? message : `object ${JSON.stringify(message)}`)));
  }
}

describe('logEvent', () => {
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it('gives ApiKitLogger one line: the stable event, the sentence as message, the facts as fields', () => {
    const { destination, lines } = collected();
    Logger.overrideLogger(new ApiKitLogger({ env: { LOGLEVEL: 'info' }, destination }));
    const user = 'octo"\n{"event":"forged"}';
    logEvent(new Logger('BitlyProxySession'), 'log', 'login.succeeded', 'Logged in through GitHub', { requestId: 'r1', user, durationMs: 12 });
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', logger: 'BitlyProxySession', event: 'login.succeeded', message: 'Logged in through GitHub', requestId: 'r1', user, durationMs: 12 }),
    ]);
  });

  it("puts an error's stack where Nest's error() takes it, and still redacts secret fields", () => {
    const { destination, lines } = collected();
    Logger.overrideLogger(new ApiKitLogger({ env: {}, destination }));
    const stack = 'Error: boom\n    at handler (/app/x.js:1:2)';
    logEvent(new Logger('ApiKit'), 'error', 'request.unexpected_error', 'An unexpected error answered 500', { requestId: 'r2', password: 'hunter2' }, stack);
    const [line] = lines();
    expect(line).toMatchObject({ level: 'error', event: 'request.unexpected_error', stack, password: '[Redacted]' });
    expect(JSON.stringify(line)).not.toContain('hunter2');
  });

  it("gives Nest's ConsoleLogger one readable line: the sentence, then the event and fields as JSON (a username cannot break it)", () => {
    const console = new KeptConsoleLogger();
    Logger.overrideLogger(console);
    logEvent(new Logger('BitlyProxySession'), 'warn', 'login.failed', 'The login through GitHub failed', { user: 'a\nb', outcome: 'wrong_password' });
    expect(console.printed).toEqual(['The login through GitHub failed {"event":"login.failed","user":"a\\nb","outcome":"wrong_password"}']);
  });
});

describe('libraryDebugLinesOn', () => {
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it("follows ApiKitLogger's level (LOGLEVEL, DEBUG)", () => {
    const destination = { write: () => undefined };
    Logger.overrideLogger(new ApiKitLogger({ env: { LOGLEVEL: 'DEBUG' }, destination }));
    expect(libraryDebugLinesOn({})).toBe(true);
    Logger.overrideLogger(new ApiKitLogger({ env: { LOGLEVEL: 'INFO' }, destination }));
    expect(libraryDebugLinesOn({ LOGLEVEL: 'DEBUG' })).toBe(false);
  });

  it("with Nest's ConsoleLogger, needs both its debug level and LOGLEVEL=DEBUG or DEBUG", () => {
    Logger.overrideLogger(new ConsoleLogger());
    expect(libraryDebugLinesOn({})).toBe(false);
    expect(libraryDebugLinesOn({ LOGLEVEL: 'debug' })).toBe(true);
    expect(libraryDebugLinesOn({ DEBUG: '1' })).toBe(true);
    Logger.overrideLogger(new ConsoleLogger({ logLevels: ['log', 'warn', 'error'] }));
    expect(libraryDebugLinesOn({ LOGLEVEL: 'DEBUG' })).toBe(false);
  });
});
