// The simulated oauth2-proxy + GitHub of nestjs-apikit/testing, serving the sample's demo metrics
// backend, in a process of its own: the service under test and the direct client both call it
// over loopback, and its CPU is not charged to either. Accounts: BENCH_USERS bench identities.
// Beside it, the demo backend alone behind Basic credentials, for `auth.type: basic`.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { startSimulatedStack } from 'nestjs-apikit/testing';
import { demoMetricsHandler } from '../../dist/sample/demo/demo-metrics.handler.js';
import { basicAuthorization, benchIdentities } from '../harness/bench-identities.js';
import { announceError, announceReady, answerCommands } from './parent.channel.js';

const userCount = Number(process.env.BENCH_USERS ?? 20);

/**
 * The same demo backend for `auth.type: basic`: no proxy, it checks the caller's Basic credentials
 * itself (a header lookup, as cheap as the proxy's cookie check) and answers 401 to anyone else.
 */
async function startBasicBackend(handler) {
  const users = new Map(benchIdentities(userCount).map((identity) => [basicAuthorization(identity), identity.login]));
  const server = createServer((req, res) => {
    const user = users.get(req.headers.authorization ?? '');
    if (user === undefined) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="bench"', 'content-type': 'text/plain' });
      return res.end('Unauthorized');
    }
    handler(req, res, { user }).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

try {
  const backendHandler = demoMetricsHandler({ delayMs: 0 });
  const stack = await startSimulatedStack({ users: benchIdentities(userCount), host: '127.0.0.1', backendHandler });
  const basic = await startBasicBackend(backendHandler);
  process.once('SIGTERM', () => {
    basic.server.close();
    basic.server.closeAllConnections();
    stack.stop().finally(() => process.exit(0));
  });
  answerCommands({
    stats: ({ logins = [] }) => ({
      logins: stack.stats.logins(),
      failedLogins: stack.stats.failedLogins(),
      backendRequests: stack.stats.backendRequests(),
      loginsByUser: Object.fromEntries(logins.map((login) => [login, stack.stats.logins(login)])),
    }),
    reset: () => stack.stats.reset(),
  });
  announceReady({ proxyUrl: stack.proxyUrl, startUrl: stack.startUrl, githubUrl: stack.githubUrl, basicUrl: basic.url });
} catch (err) {
  announceError(err);
  process.exit(1);
}
