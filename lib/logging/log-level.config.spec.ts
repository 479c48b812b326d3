import { logConfigFromEnv } from './log-level.config.js';

describe('logConfigFromEnv', () => {
  it('defaults to warning on stdout', () => {
    expect(logConfigFromEnv({})).toEqual({ level: 'warning', file: undefined });
  });

  it.each([
    ['DEBUG', 'debug'],
    ['info', 'info'],
    ['Warning', 'warning'],
    ['ERROR', 'error'],
    ['critical', 'critical'],
    ['', 'warning'],
  ])('LOGLEVEL=%j gives %s (case-insensitive)', (value, level) => {
    expect(logConfigFromEnv({ LOGLEVEL: value }).level).toBe(level);
  });

  it('refuses an unknown LOGLEVEL, naming the variable, the choices and the value', () => {
    expect(() => logConfigFromEnv({ LOGLEVEL: 'verbose' })).toThrow(
      'LOGLEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (any case), got "verbose"',
    );
  });

  it('a non-empty DEBUG means debug, an empty one does not', () => {
    expect(logConfigFromEnv({ DEBUG: '1', LOGLEVEL: 'ERROR' }).level).toBe('debug');
    expect(logConfigFromEnv({ DEBUG: '' }).level).toBe('warning');
  });

  it('LOGFILE names the file; empty means stdout', () => {
    expect(logConfigFromEnv({ LOGFILE: '/var/log/svc.log' }).file).toBe('/var/log/svc.log');
    expect(logConfigFromEnv({ LOGFILE: '' }).file).toBeUndefined();
  });
});
