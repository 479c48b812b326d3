import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiKitLogger } from './apikit-logger.service.js';
import type { LogEnvironment } from './log-level.config.js';

interface Line {
  timestamp: string;
  level: string;
  logger: string;
  event: string;
  [field: string]: unknown;
}

/** A real Writable collecting what the logger writes; `lines()` parses every line as JSON. */
function capture(): { stream: Writable; lines(): Line[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = (): Line[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line);
  return { stream, lines };
}

function loggerTo(env: LogEnvironment = {}, context?: string): { logger: ApiKitLogger; lines(): Line[] } {
  const { stream, lines } = capture();
  return { logger: new ApiKitLogger({ env, destination: stream, context }), lines };
}

describe('ApiKitLogger', () => {
  it('writes one JSON object per line with timestamp, level, logger and event', () => {
    const { logger, lines } = loggerTo({ LOGLEVEL: 'DEBUG' });
    logger.warn('disk low', 'StorageService');
    const [line] = lines();
    expect(Object.keys(line).sort()).toEqual(['event', 'level', 'logger', 'timestamp']);
    expect(line).toMatchObject({ level: 'warning', logger: 'StorageService', event: 'disk low' });
    expect(new Date(line.timestamp).toISOString()).toBe(line.timestamp);
  });

  it("maps Nest's methods onto apikit's levels", () => {
    const { logger, lines } = loggerTo({ LOGLEVEL: 'debug' });
    logger.verbose('v');
    logger.debug('d');
    logger.log('l');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(lines().map((l) => [l.event, l.level])).toEqual([
      ['v', 'debug'],
      ['d', 'debug'],
      ['l', 'info'],
      ['w', 'warning'],
      ['e', 'error'],
      ['f', 'critical'],
    ]);
  });

  it('filters below the configured level (default WARNING)', () => {
    const { logger, lines } = loggerTo({});
    logger.debug('hidden');
    logger.log('hidden too');
    logger.warn('shown');
    logger.fatal('shown too');
    expect(lines().map((l) => l.event)).toEqual(['shown', 'shown too']);
  });

  it('DEBUG non-empty logs debug lines', () => {
    const { logger, lines } = loggerTo({ DEBUG: 'yes', LOGLEVEL: 'critical' });
    logger.debug('seen');
    expect(lines().map((l) => l.level)).toEqual(['debug']);
  });

  it('an unknown LOGLEVEL fails the construction with a clear error', () => {
    expect(() => new ApiKitLogger({ env: { LOGLEVEL: 'loud' }, destination: capture().stream })).toThrow(/LOGLEVEL must be one of/);
  });

  it('bind() and child() add fields to every line without changing the parent', () => {
    const { logger, lines } = loggerTo({ LOGLEVEL: 'info' }, 'jobs');
    const bound = logger.bind({ request_id: 'r1' });
    const deeper = bound.child({ job: 'build' });
    deeper.log('started');
    logger.log('plain');
    expect(lines()).toEqual([
      expect.objectContaining({ event: 'started', logger: 'jobs', request_id: 'r1', job: 'build' }),
      expect.not.objectContaining({ request_id: 'r1' }),
    ]);
  });

  it('emit() writes structured fields; fields cannot shadow the line keys', () => {
    const { logger, lines } = loggerTo({ LOGLEVEL: 'info' });
    logger.bind({ level: 'fake', n: 1 }).emit('info', 'counted', { event: 'other', items: [1, 2] });
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', event: 'counted', _level: 'fake', _event: 'other', n: 1, items: [1, 2], logger: 'apikit' }),
    ]);
  });

  it("reads Nest's error(message, stack, context) and plain-object fields", () => {
    const { logger, lines } = loggerTo();
    const stack = 'Error: boom\n    at handler (/app/x.js:1:2)';
    logger.error('boom', stack, 'ExceptionsHandler');
    logger.error('only a stack', stack);
    logger.error('with fields', { job: 'x' }, 'Jobs');
    logger.error(new RangeError('out of range'));
    const [withStack, onlyStack, withFields, fromError] = lines();
    expect(withStack).toMatchObject({ event: 'boom', stack, logger: 'ExceptionsHandler' });
    expect(onlyStack).toMatchObject({ event: 'only a stack', stack, logger: 'apikit' });
    expect(withFields).toMatchObject({ event: 'with fields', job: 'x', logger: 'Jobs' });
    expect(fromError).toMatchObject({ event: 'out of range', error_type: 'RangeError' });
  });

  it("keeps a plain object's event as the line's event and its message beside it (the library's lines)", () => {
    const { logger, lines } = loggerTo({ LOGLEVEL: 'info' });
    logger.log({ event: 'login.succeeded', message: 'Logged in through GitHub', user: 'octo' }, 'BitlyProxySession');
    logger.log({ message: 'only a message', n: 1 });
    expect(lines()).toEqual([
      expect.objectContaining({ event: 'login.succeeded', message: 'Logged in through GitHub', user: 'octo', logger: 'BitlyProxySession' }),
      expect.objectContaining({ event: 'only a message', n: 1 }),
    ]);
    expect(lines()[1]).not.toHaveProperty('message');
  });

  it('keeps % in messages as written', () => {
    const { logger, lines } = loggerTo();
    logger.warn('100%s done %d', 'Ctx');
    expect(lines()[0].event).toBe('100%s done %d');
  });

  it('never writes password, authorization or cookie fields, however nested or cased', () => {
    const { logger, lines } = loggerTo({ LOGLEVEL: 'debug' });
    logger.bind({ Authorization: 'Basic c2VjcmV0' }).warn('calling', { upstream: { headers: { Cookie: 'sid=secret', accept: 'json' } }, PASSWORD: 'secret' });
    const [line] = lines();
    expect(JSON.stringify(line)).not.toMatch(/secret|c2VjcmV0/);
    expect(line).toMatchObject({ Authorization: '[Redacted]', PASSWORD: '[Redacted]', upstream: { headers: { Cookie: '[Redacted]', accept: 'json' } } });
  });

  it('creating many loggers does not duplicate lines (apikit added a handler per call)', () => {
    const { stream, lines } = capture();
    const loggers = Array.from({ length: 5 }, (_, i) => new ApiKitLogger({ env: {}, destination: stream, context: `L${i}` }));
    loggers.forEach((logger) => logger.warn('once'));
    expect(lines().map((l) => l.logger)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4']);
  });

  describe('LOGFILE', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'apikit-log-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('test_logger: a warning is written to the file as JSON with event and level', async () => {
      const file = join(dir, 'service.log');
      const logger = new ApiKitLogger({ env: { LOGFILE: file } });
      logger.warn('Test message');
      await logger.close();
      const lobj = JSON.parse(await readFile(file, 'utf8')) as Line;
      expect(lobj.event).toBe('Test message');
      expect(lobj.level).toBe('warning');
    });

    it('appends, one line per call even with several loggers and bound children', async () => {
      const file = join(dir, 'service.log');
      const first = new ApiKitLogger({ env: { LOGFILE: file, LOGLEVEL: 'info' }, context: 'first' });
      first.log('one');
      first.bind({ k: 'v' }).log('two');
      const second = new ApiKitLogger({ env: { LOGFILE: file, LOGLEVEL: 'info' }, context: 'second' });
      second.log('three');
      // Synchronous writes: lines are in the file before close.
      const before = (await readFile(file, 'utf8')).trim().split('\n');
      expect(before).toHaveLength(3);
      await Promise.all([first.close(), second.close()]);
      const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
      expect(lines.map((l) => [l.logger, l.event, l.level])).toEqual([
        ['first', 'one', 'info'],
        ['first', 'two', 'info'],
        ['second', 'three', 'info'],
      ]);
      expect(lines[1].k).toBe('v');
      await first.close();
    });

    it('a LOGFILE that cannot be opened is a clear error', () => {
      const file = join(dir, 'missing-dir', 'service.log');
      expect(() => new ApiKitLogger({ env: { LOGFILE: file } })).toThrow(/^LOGFILE ".*missing-dir\/service\.log" cannot be opened for appending/);
    });
  });
});
