// The `redis` peer range is tested at both ends: its highest major is the devDependency every other
// Redis spec runs on; this one installs the LOWEST major the range allows (from the registry, into a
// temporary directory) and gives the Redis store that node-redis instead: the library's own
// `import('redis')` gets it, so the store's client is made, used and closed by that major.
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SECRET = 'lowest-major-shares-one-secret-0123456789';

/** The majors a range such as `^4.0.0 || ^5.0.0 || ^6.0.0` names. */
function peerMajors(range: string): number[] {
  return range.split('||').map((part) => {
    const major = /^\s*\^(\d+)\.\d+\.\d+\s*$/.exec(part);
    if (major === null) throw new Error(`expected ^N.N.N alternatives in the redis peer range, got ${JSON.stringify(part)}`);
    return Number(major[1]);
  });
}

interface NodeRedisV4Client {
  connect(): Promise<unknown>;
  keys(pattern: string): Promise<string[]>;
  pTTL(key: string): Promise<number>;
  quit(): Promise<unknown>;
  on(event: 'error', listener: () => void): unknown;
}
interface NodeRedisModule {
  createClient(options: Record<string, unknown>): NodeRedisV4Client;
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
const lowest = Math.min(...peerMajors(manifest.peerDependencies.redis));
const scratch = mkdtempSync(join(tmpdir(), `apikit-redis${lowest}-`));
let installed: NodeRedisModule | undefined;
let installedVersion = '';
const made: Array<Record<string, unknown>> = [];

// Before anything imports 'redis': the library's dynamic import of it gets the lowest major.
jest.unstable_mockModule('redis', () => {
  if (installed === undefined) throw new Error('node-redis (lowest major) is not installed yet');
  const redis = installed;
  return {
    createClient: (options: Record<string, unknown>) => {
      made.push(options);
      return redis.createClient(options);
    },
  };
});

describe(`the Redis store on node-redis ${lowest} (the lowest major of the redis peer range)`, () => {
  let fixtures: typeof import('./fixtures/backend-auth-app.fixture.js');
  let adapters: typeof import('./fixtures/e2e-app.fixture.js')['ADAPTERS'];
  let stack: import('../lib/testing/index.js').SimulatedStack;
  let redis: import('./fixtures/redis-server.fixture.js').RedisServer;
  let inspector: NodeRedisV4Client | undefined;
  let logger: import('./fixtures/backend-auth-app.fixture.js').CapturingLogger;
  const apps: INestApplication[] = [];
  /** What Nest logged as errors (a failing shutdown hook is logged, not thrown by app.close()). */
  const errors = () => logger.lines.filter((line) => line.startsWith('error '));

  beforeAll(async () => {
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'redis-lowest-major', private: true }));
    // The npm cache answers a second run (CI runs the suite on two Nodes); the registry, the first.
    const args = ['install', `redis@${lowest}`, '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', '--no-package-lock', '--ignore-scripts'];
    try {
      execFileSync(NPM, [...args, '--fetch-timeout=20000', '--fetch-retries=1', '--loglevel=error'], { cwd: scratch, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new Error(`npm ${args.slice(0, 2).join(' ')} failed (this spec needs the npm registry or a warm npm cache): ${(error as Error).message}`, { cause: error });
    }
    const requireThere = createRequire(join(scratch, 'package.json'));
    installedVersion = (JSON.parse(readFileSync(requireThere.resolve('redis/package.json'), 'utf8')) as { version: string }).version;
    installed = requireThere('redis') as NodeRedisModule;
    fixtures = await import('./fixtures/backend-auth-app.fixture.js');
    logger = new fixtures.CapturingLogger();
    adapters = (await import('./fixtures/e2e-app.fixture.js')).ADAPTERS;
    const { startSimulatedStack } = await import('../lib/testing/index.js');
    const { startRedisServer } = await import('./fixtures/redis-server.fixture.js');
    redis = await startRedisServer();
    stack = await startSimulatedStack({ users: [{ login: 'alice', password: 'pw' }] });
    inspector = installed.createClient({ url: redis.url });
    inspector.on('error', () => undefined);
    await inspector.connect();
  }, 90_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await inspector?.quit();
    await stack?.stop();
    await redis?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installed that major', () => {
    expect(Number(installedVersion.split('.')[0])).toBe(lowest);
  });

  it('shares a session between two replicas through it, with the proxy cookie TTL, and follows a re-login', async () => {
    const request = (await import('supertest')).default;
    const replica = async (create: (typeof adapters)[number][1]) => {
      const app = await fixtures.createProxyApp(create, stack, { backend: { store: { type: 'redis', url: redis.url }, secret: SECRET }, logger });
      apps.push(app);
      return app;
    };
    const [a, b] = [await replica(adapters[0][1]), await replica(adapters[1][1])];
    expect(made).toHaveLength(2);
    expect(made[0]).toMatchObject({ url: redis.url, disableOfflineQueue: true });

    const call = (app: INestApplication) => request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', fixtures.basic('alice', 'pw'));
    expect((await call(a)).status).toBe(200);
    expect((await call(b)).status).toBe(200); // adopted from Redis: no second login
    expect(stack.stats.logins('alice')).toBe(1);
    const [key] = await inspector!.keys('apikit:session:*');
    expect(key).toBeDefined();
    expect(await inspector!.pTTL(key)).toBeGreaterThan(0);

    stack.expireSessions();
    expect((await call(a)).status).toBe(200); // a logs in again and shares it
    expect((await call(b)).status).toBe(200); // b adopts the new one
    expect(stack.stats.signIns('alice')).toBe(2);

    // Shutdown closes the clients the library made (node-redis 4 has no close()/destroy()).
    await Promise.all(apps.splice(0).map((app) => app.close()));
    expect(errors()).toEqual([]);
  });

  it('boots without Redis, serves from its own state, and shuts down at once', async () => {
    const request = (await import('supertest')).default;
    const app = await fixtures.createProxyApp(adapters[0][1], stack, {
      backend: { store: { type: 'redis', url: 'redis://127.0.0.1:9/0', timeoutMs: 100 }, secret: SECRET },
      logger,
    });
    try {
      expect((await request(app.getHttpServer()).get('/t/metric/job/metric').set('Authorization', fixtures.basic('alice', 'pw'))).status).toBe(200);
    } finally {
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    expect(errors()).toEqual([]);
  });
});
