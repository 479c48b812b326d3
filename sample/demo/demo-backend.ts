import { startSimulatedStack, type SimulatedStack } from 'nestjs-apikit/testing';
import { demoMetricsHandler, type DemoMetricsOptions } from './demo-metrics.handler.js';

/** The one account of the demo's simulated GitHub. */
export const DEMO_USER = { login: 'demo', password: 'demo' } as const;

/**
 * Demo mode: the simulated oauth2-proxy + GitHub of `nestjs-apikit/testing`, in-process on
 * loopback, with the demo metrics backend behind the proxy. The sample then talks to it
 * exactly as it would to a real proxied backend (GitHub login flow, session cookie).
 */
export function startDemoBackend(options: DemoMetricsOptions): Promise<SimulatedStack> {
  return startSimulatedStack({
    users: [{ ...DEMO_USER }],
    host: '127.0.0.1',
    backendHandler: demoMetricsHandler(options),
  });
}
