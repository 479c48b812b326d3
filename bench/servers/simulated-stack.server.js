// The simulated oauth2-proxy + GitHub of nestjs-apikit/testing, serving the sample's demo metrics
// backend, in a process of its own: the service under test and the direct client both call it
// over loopback, and its CPU is not charged to either. Accounts: BENCH_USERS bench identities.
import { startSimulatedStack } from 'nestjs-apikit/testing';
import { demoMetricsHandler } from '../../dist/sample/demo/demo-metrics.handler.js';
import { benchIdentities } from '../harness/bench-identities.js';
import { announceError, announceReady, answerCommands } from './parent.channel.js';

const userCount = Number(process.env.BENCH_USERS ?? 20);

try {
  const stack = await startSimulatedStack({
    users: benchIdentities(userCount),
    host: '127.0.0.1',
    backendHandler: demoMetricsHandler({ delayMs: 0 }),
  });
  process.once('SIGTERM', () => stack.stop().finally(() => process.exit(0)));
  answerCommands({
    stats: ({ logins = [] }) => ({
      logins: stack.stats.logins(),
      failedLogins: stack.stats.failedLogins(),
      backendRequests: stack.stats.backendRequests(),
      loginsByUser: Object.fromEntries(logins.map((login) => [login, stack.stats.logins(login)])),
    }),
    reset: () => stack.stats.reset(),
  });
  announceReady({ proxyUrl: stack.proxyUrl, startUrl: stack.startUrl, githubUrl: stack.githubUrl });
} catch (err) {
  announceError(err);
  process.exit(1);
}
