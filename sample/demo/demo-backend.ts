import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthType } from 'nestjs-apikit';
import { startSimulatedStack } from 'nestjs-apikit/testing';
import { demoMetricsHandler, type DemoMetricsOptions } from './demo-metrics.handler.js';

/** The accounts of the demo: a password account, and (bitly-proxy) one with two-factor (an authenticator app). */
export const DEMO_USER = { login: 'demo', password: 'demo' } as const;
export const DEMO_2FA_USER = { login: 'demo2fa', password: 'demo' } as const;

/** A running demo backend: what the service calls, and how to stop it. */
export interface DemoBackend {
  /** Base URL the service calls (no trailing slash). */
  url: string;
  /** bitly-proxy: the simulated proxy's `/oauth2/start` and GitHub. */
  startUrl?: string;
  githubUrl?: string;
  describe: string;
  stop(): Promise<void>;
}

/**
 * Demo mode, in-process on loopback, for the configured auth type. bitly-proxy: the simulated
 * oauth2-proxy + GitHub of `nestjs-apikit/testing` with the demo metrics backend behind the proxy,
 * which the service then talks to exactly as to a real proxied backend (GitHub login, session
 * cookie). basic: the metrics backend checking the demo user's Basic credentials itself. none: the
 * metrics backend, open.
 */
export async function startDemoBackend(authType: AuthType, options: DemoMetricsOptions): Promise<DemoBackend> {
  if (authType === 'bitly-proxy') {
    const stack = await startSimulatedStack({
      users: [{ ...DEMO_USER }, { ...DEMO_2FA_USER, twoFactor: 'app' }],
      host: '127.0.0.1',
      backendHandler: demoMetricsHandler(options),
      // What the user's phone would show: a demo prints it, so a newcomer can answer X-GitHub-OTP by hand.
      onCode: ({ login, code }) =>
        process.stdout.write(`demo: the authenticator app of ${login} shows ${code} (valid 30 s): send it as -H 'X-GitHub-OTP: ${code}'\n`),
    });
    const describe = `simulated oauth2-proxy at ${stack.proxyUrl}, GitHub at ${stack.githubUrl}`;
    return { url: stack.proxyUrl, startUrl: stack.startUrl, githubUrl: stack.githubUrl, describe, stop: () => stack.stop() };
  }
  return startPlainDemoBackend(authType, options);
}

async function startPlainDemoBackend(authType: 'basic' | 'none', options: DemoMetricsOptions): Promise<DemoBackend> {
  const handler = demoMetricsHandler(options);
  const expected = digest(`Basic ${Buffer.from(`${DEMO_USER.login}:${DEMO_USER.password}`).toString('base64')}`);
  const server = createServer((req, res) => {
    // Digests of equal length, compared in constant time: even a demo does not time its password check.
    if (authType === 'basic' && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="demo"', 'content-type': 'text/plain' });
      res.end('Wrong username or password.');
      return;
    }
    Promise.resolve(handler(req, res, { user: authType === 'basic' ? DEMO_USER.login : 'anonymous' })).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, describe: `metrics backend (${authType === 'basic' ? 'Basic auth' : 'no auth'}) at ${url}`, stop };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
