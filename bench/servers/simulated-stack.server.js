// The simulated oauth2-proxy + GitHub of nestjs-apikit/testing, serving the sample's demo metrics
// backend, in a process of its own: the service under test and the direct client both call it
// over loopback, and its CPU is not charged to either. Accounts: BENCH_USERS bench identities.
// Beside it, the demo backend alone behind Basic credentials, for `auth.type: basic`.
// The soak (reliability/soak.js) puts fault-injecting relays in front of the proxy and GitHub
// (STACK_PUBLIC_PROXY_URL, STACK_PUBLIC_GITHUB_URL: the URLs the stack gives out), makes proxy
// sessions short (STACK_PROXY_SESSION_MS, so that sign-ins keep happening), adds users of
// every kind, switches faults and reads codes over IPC, and asks the metric `whoami`: the user the
// proxy authenticated, so that every answer shows whose it is.
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

/** The demo's metrics, and `whoami`: who the proxy says the caller is (a substring test: the bench's hot path stays as it was). */
function withWhoami(handler) {
  return (req, res, ctx) => {
    if (!req.url?.includes('metric=whoami')) return handler(req, res, ctx);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(ctx.user) });
    res.end(ctx.user);
  };
}

function publicUrls() {
  const { STACK_PUBLIC_PROXY_URL: proxy, STACK_PUBLIC_GITHUB_URL: github } = process.env;
  return proxy || github ? { proxy: proxy || undefined, github: github || undefined } : undefined;
}

try {
  const backendHandler = demoMetricsHandler({ delayMs: 0 });
  const proxySessionLifetimeMs = process.env.STACK_PROXY_SESSION_MS ? Number(process.env.STACK_PROXY_SESSION_MS) : undefined;
  const stack = await startSimulatedStack({ users: benchIdentities(userCount), host: '127.0.0.1', backendHandler: withWhoami(backendHandler), publicUrls: publicUrls(), proxySessionLifetimeMs });
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
    /** Adds (or replaces) accounts: two-factor and device-verification users. */
    users: ({ users }) => users.forEach((user) => stack.addUser(user)),
    /** Sets fault switches (null: undefined, which JSON cannot carry); an invalid one answers an error. */
    faults: ({ set }) => void Object.assign(stack.faults, Object.fromEntries(Object.entries(set).map(([name, value]) => [name, value ?? undefined]))),
    /** The code a user would read now: its app's, or the last one GitHub emailed. */
    code: ({ login }) => stack.twoFactorCode(login) ?? stack.emailedCode(login) ?? null,
    counts: () => ({ logins: stack.stats.logins(), signIns: stack.stats.signIns(), codePosts: stack.stats.codePosts(), failedCodes: stack.stats.failedCodes(), failedLogins: stack.stats.failedLogins() }),
  });
  announceReady({ proxyUrl: stack.proxyUrl, startUrl: stack.startUrl, githubUrl: stack.githubUrl, basicUrl: basic.url, serverUrls: stack.serverUrls });
} catch (err) {
  announceError(err);
  process.exit(1);
}
