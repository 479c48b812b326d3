import { startSimulatedStack, type SimulatedStack } from 'nestjs-apikit/testing';
import { demoMetricsHandler, type DemoMetricsOptions } from './demo-metrics.handler.js';

/** The accounts of the demo's simulated GitHub: a password account, and one with two-factor (an authenticator app). */
export const DEMO_USER = { login: 'demo', password: 'demo' } as const;
export const DEMO_2FA_USER = { login: 'demo2fa', password: 'demo' } as const;

/**
 * Demo mode: the simulated oauth2-proxy + GitHub of `nestjs-apikit/testing`, in-process on
 * loopback, with the demo metrics backend behind the proxy. The sample then talks to it
 * exactly as it would to a real proxied backend (GitHub login flow, session cookie).
 */
export function startDemoBackend(options: DemoMetricsOptions): Promise<SimulatedStack> {
  return startSimulatedStack({
    users: [{ ...DEMO_USER }, { ...DEMO_2FA_USER, twoFactor: 'app' }],
    host: '127.0.0.1',
    backendHandler: demoMetricsHandler(options),
    // What the user's phone would show: a demo prints it, so a newcomer can answer X-GitHub-OTP by hand.
    onCode: ({ login, code }) => process.stdout.write(`demo: the authenticator app of ${login} shows ${code} (valid 30 s): send it as -H 'X-GitHub-OTP: ${code}'\n`),
  });
}
