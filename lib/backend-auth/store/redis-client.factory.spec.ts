import { Logger, type LoggerService } from '@nestjs/common';
import { clearTextRedisHost, createRedisClient } from './redis-client.factory.js';

describe('clearTextRedisHost', () => {
  it('names the host of a redis:// URL to a host that is not loopback, never the credentials', () => {
    expect(clearTextRedisHost('redis://apikit:hunter2@redis.example.org:6380/0')).toBe('redis.example.org:6380');
    expect(clearTextRedisHost('redis://:hunter2@10.0.0.5')).toBe('10.0.0.5');
  });

  it.each([
    'rediss://apikit:hunter2@redis.example.org:6380',
    'redis://:hunter2@127.0.0.1:6379',
    'redis://127.1:6379',
    'redis://localhost',
    'redis://[::1]:6379/2',
  ])('stays quiet for %s (TLS, or loopback)', (url) => {
    expect(clearTextRedisHost(url)).toBeUndefined();
  });
});

describe('createRedisClient', () => {
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (message: unknown) => lines.push(`log ${JSON.stringify(message)}`),
    warn: (message: unknown) => lines.push(`warn ${JSON.stringify(message)}`),
    error: (message: unknown) => lines.push(`error ${JSON.stringify(message)}`),
  };
  beforeAll(() => Logger.overrideLogger(capture));
  beforeEach(() => lines.splice(0));

  /** Makes a client (port 9 is closed: it fails to connect in the background, as at a boot without Redis) and closes it. */
  const clearTextWarnings = async (url: string): Promise<string[]> => {
    const client = await createRedisClient(url, 1_000);
    await client.close();
    return lines.filter((line) => line.includes('in clear'));
  };

  it('logs the warning once through the Nest Logger as fields, naming host and port, without the password', async () => {
    // 0.0.0.0 is no loopback address, yet connect() reaches this machine with it: the warning's path, no network.
    const warnings = await clearTextWarnings('redis://apikit:hunter2@0.0.0.0:9');
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0].slice('warn '.length))).toMatchObject({ event: 'store.clear_text', redis: '0.0.0.0:9' });
    expect(warnings.join('\n')).not.toContain('hunter2');
  });

  it('logs none for a loopback Redis', async () => {
    expect(await clearTextWarnings('redis://:hunter2@127.0.0.1:9')).toEqual([]);
  });
});
