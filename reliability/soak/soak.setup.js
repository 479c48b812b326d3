// The system under soak, each part in a process of its own: a real redis-server, the simulated stack
// (oauth2-proxy front, GitHub, the demo backend), and replicas of the built sample sharing Redis,
// some on Express and some on Fastify. Between the replicas and each neighbour, a fault proxy of this
// process: the stack is told to give out the proxies' URLs, so that every byte the replicas exchange
// with it (and the proxy's own code exchange with GitHub) goes through them.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ask, spawnNode, stopChild } from '../../bench/harness/child-process.registry.js';
import { waitFor200 } from '../../bench/harness/http-ready.probe.js';
import { freeLoopbackPort } from '../../bench/harness/loopback-port.finder.js';
import { startRedisServer } from '../../bench/harness/redis-server.process.js';
import { startStackChild } from '../../bench/scenarios/backend-path-targets.js';
import { FaultProxy } from './fault.proxy.js';
import { accountsOf } from './soak-identities.js';

const SAMPLE = fileURLToPath(new URL('../../dist/sample/main.js', import.meta.url));
const HEAP_PROBE = pathToFileURL(fileURLToPath(new URL('./heap.probe.js', import.meta.url))).href;
/** Logins a minute and an hour, all replicas together: far above what the soak asks, so that its calls never wait for the budget. */
const LOGIN_BUDGET = { perMinute: 100_000, perHour: 1_000_000 };

/**
 * @param {{ identities: object[], adapters: string[], proxySessionMs: number, onReplicaLine: (replica: object, line: string) => void }} options
 */
export async function startSoakSystem({ identities, adapters, proxySessionMs, onReplicaLine }) {
  const links = { proxy: new FaultProxy('proxy'), github: new FaultProxy('github'), redis: new FaultProxy('redis') };
  await Promise.all(Object.values(links).map((link) => link.listen()));
  const url = (link) => `http://127.0.0.1:${links[link].port}`;
  const [redis, stack] = await Promise.all([
    startRedisServer(),
    startStackChild(identities.length, { publicUrls: { proxy: url('proxy'), github: url('github') }, proxySessionMs }),
  ]);
  links.redis.forwardTo('127.0.0.1', redis.port);
  for (const link of ['proxy', 'github']) {
    const server = new URL(stack.serverUrls[link]);
    links[link].forwardTo(server.hostname, Number(server.port));
  }
  await ask(stack.child, 'users', { users: accountsOf(identities) });

  const secret = randomBytes(48).toString('base64');
  const replicas = await Promise.all(
    adapters.map(async (adapter, index) => {
      const port = await freeLoopbackPort();
      const env = {
        PORT: String(port),
        HOST: '127.0.0.1',
        HTTP_ADAPTER: adapter,
        BACKEND_URL: url('proxy'),
        GITHUB_URL: url('github'),
        REDIS_URL: `redis://127.0.0.1:${links.redis.port}/0`,
        SESSION_SECRET: secret,
        // SOAK_LOGS=<directory>: each replica's log at INFO (its logins, with who and how) in replica-<n>.log.
        LOGLEVEL: process.env.SOAK_LOGS ? 'INFO' : 'WARNING',
        SHUTDOWN_DELAY_MS: '0',
        LOGIN_BUDGET_PER_MINUTE: String(LOGIN_BUDGET.perMinute),
        LOGIN_BUDGET_PER_HOUR: String(LOGIN_BUDGET.perHour),
      };
      const label = `replica ${index + 1} (${adapter})`;
      const child = spawnNode(SAMPLE, { env, nodeArgs: ['--expose-gc', '--import', HEAP_PROBE], label });
      const replica = { index, adapter, label, port, child, pid: child.pid };
      if (process.env.SOAK_LOGS) child.stdout.pipe(createWriteStream(`${process.env.SOAK_LOGS}/replica-${index + 1}.log`));
      for (const stream of [child.stdout, child.stderr]) {
        let tail = '';
        stream.on('data', (chunk) => {
          const lines = (tail + chunk.toString('utf8')).split('\n');
          tail = lines.pop();
          for (const line of lines) onReplicaLine(replica, line);
        });
      }
      await waitFor200(`http://127.0.0.1:${port}/`, { child, intervalMs: 50 });
      return replica;
    }),
  );

  return {
    links,
    redis,
    stack,
    replicas,
    stop: async () => {
      await Promise.all(replicas.map((replica) => stopChild(replica.child)));
      await stopChild(stack.child);
      await redis.stop();
      await Promise.all(Object.values(links).map((link) => link.close()));
    },
  };
}
