import 'reflect-metadata';
import { loadServiceConfig, ServiceConfigError } from './service-config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceConfigError);
    return (error as ServiceConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadServiceConfig', () => {
  it('defaults to demo mode on 0.0.0.0:5000, bitly-proxy, Express', () => {
    expect(loadServiceConfig({})).toEqual({
      port: 5000,
      host: '0.0.0.0',
      backendUrl: undefined,
      authType: 'bitly-proxy',
      proxyStartUrl: undefined,
      githubUrl: undefined,
      githubSessionUrl: undefined,
      redisUrl: undefined,
      sessionSecret: undefined,
      httpAdapter: 'express',
      demoBackendDelayMs: 0,
      metrics: true,
      shutdownDelayMs: 5000,
      loginBudget: { perMinute: undefined, perHour: undefined },
    });
  });

  it('takes the login budget per minute and per hour, the library\'s defaults unless told', () => {
    expect(loadServiceConfig({ LOGIN_BUDGET_PER_MINUTE: '600', LOGIN_BUDGET_PER_HOUR: '6000' }).loginBudget).toEqual({ perMinute: 600, perHour: 6000 });
    expect(problemsOf({ LOGIN_BUDGET_PER_MINUTE: '0' })).toEqual(['LOGIN_BUDGET_PER_MINUTE must be >= 1, got 0']);
    expect(problemsOf({ LOGIN_BUDGET_PER_HOUR: 'lots' })).toContain('LOGIN_BUDGET_PER_HOUR must be a whole number of logins, got "lots"');
  });

  it('serves on for SHUTDOWN_DELAY_MS after SIGTERM, 5 s unless told', () => {
    expect(loadServiceConfig({ SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
    expect(problemsOf({ SHUTDOWN_DELAY_MS: '120001' })).toEqual(['SHUTDOWN_DELAY_MS must be <= 120000 (2 minutes), got 120001']);
  });

  it('serves metrics unless METRICS=off', () => {
    expect(loadServiceConfig({ METRICS: 'on' }).metrics).toBe(true);
    expect(loadServiceConfig({ METRICS: 'off' }).metrics).toBe(false);
    expect(problemsOf({ METRICS: 'no' })).toEqual(['METRICS must be on or off, got "no"']);
  });

  it('shares state through REDIS_URL with a SESSION_SECRET of 32 bytes or more, never quoting it', () => {
    const secret = 'a-secret-that-is-long-enough-for-hkdf-0123';
    expect(loadServiceConfig({ REDIS_URL: 'redis://redis:6379/0', SESSION_SECRET: secret })).toMatchObject({ redisUrl: 'redis://redis:6379/0', sessionSecret: secret });
    expect(problemsOf({ REDIS_URL: 'redis://redis:6379/0' })).toEqual([expect.stringMatching(/^REDIS_URL needs SESSION_SECRET/)]);
    const problems = problemsOf({ REDIS_URL: 'http://redis', SESSION_SECRET: 'short-one' });
    expect(problems).toEqual([expect.stringMatching(/^REDIS_URL must be a redis:\/\//), expect.stringMatching(/^SESSION_SECRET must be at least 32 bytes/)]);
    expect(problems.join('\n')).not.toContain('short-one');
  });

  it('refuses demo mode with NODE_ENV=production, unless DEMO=1 asks for it', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^BACKEND_URL is required with NODE_ENV=production: .*DEMO=1/)]);
    expect(loadServiceConfig({ NODE_ENV: 'production', DEMO: '1' }).backendUrl).toBeUndefined();
    expect(loadServiceConfig({ NODE_ENV: 'production', BACKEND_URL: 'https://myservice.lsst.codes' }).backendUrl).toBe('https://myservice.lsst.codes');
    expect(loadServiceConfig({ NODE_ENV: 'development' }).backendUrl).toBeUndefined();
    expect(problemsOf({ NODE_ENV: 'production', DEMO: 'yes' })).toEqual([expect.stringMatching(/^DEMO must be 1 /)]);
  });

  it('refuses GITHUB_URL in demo mode, whose GitHub is simulated', () => {
    expect(problemsOf({ GITHUB_URL: 'https://ghe.example.org' })).toEqual([expect.stringMatching(/^GITHUB_URL needs BACKEND_URL/)]);
  });

  it('derives the proxy start URL from BACKEND_URL (trailing slashes dropped) unless PROXY_START_URL is set', () => {
    const config = loadServiceConfig({ BACKEND_URL: 'https://myservice.lsst.codes/', PORT: '8080', HTTP_ADAPTER: 'fastify' });
    expect(config).toMatchObject({
      backendUrl: 'https://myservice.lsst.codes',
      proxyStartUrl: 'https://myservice.lsst.codes/oauth2/start',
      port: 8080,
      httpAdapter: 'fastify',
    });
    const own = loadServiceConfig({ BACKEND_URL: 'http://backend:8080', PROXY_START_URL: 'https://auth.example.org/oauth2/start' });
    expect(own.proxyStartUrl).toBe('https://auth.example.org/oauth2/start');
  });

  it('treats blank variables as unset', () => {
    expect(loadServiceConfig({ PORT: '', BACKEND_URL: '  ', AUTH_TYPE: '' }).port).toBe(5000);
  });

  it('reports every invalid variable at once, by name', () => {
    const problems = problemsOf({ PORT: '70000', BACKEND_URL: 'myservice', AUTH_TYPE: 'Basic', HTTP_ADAPTER: 'koa' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be a port number from 0 to 65535, got 70000',
        'BACKEND_URL must be an absolute http(s) URL such as https://myservice.lsst.codes, got "myservice"',
        'AUTH_TYPE must be one of bitly-proxy, basic, none, got "Basic"',
        'HTTP_ADAPTER must be one of express, fastify, got "koa"',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('refuses settings that demo mode cannot honour, and demo settings outside demo mode', () => {
    expect(loadServiceConfig({ AUTH_TYPE: 'basic' })).toMatchObject({ authType: 'basic', backendUrl: undefined }); // a Basic-auth demo
    expect(problemsOf({ PROXY_START_URL: 'https://x.org/oauth2/start' })[0]).toMatch(/^PROXY_START_URL needs BACKEND_URL/);
    expect(problemsOf({ BACKEND_URL: 'https://x.org', DEMO_BACKEND_DELAY_MS: '10' })[0]).toMatch(/only applies in demo mode/);
    expect(loadServiceConfig({ BACKEND_URL: 'https://x.org', AUTH_TYPE: 'none' }).authType).toBe('none');
  });
});
