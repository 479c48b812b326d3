// Docker and Kubernetes do not run here: check what can be checked. The manifests parse, their
// probes and ports match what the running sample serves, the Dockerfile starts the build output,
// and a local redis-server run with the Redis manifest's arguments answers the service's REDIS_URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_BACKEND_SESSION_OPTIONS } from '../lib/options/backend-options.defaults.js';
import { createApiKitOptions } from '../sample/apikit-options.factory.js';
import { BackendTarget } from '../sample/backend/backend-target.js';
import { loadServiceConfig } from '../sample/config/service-config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// ---- Dockerfile: stages of instructions, continuation lines joined.
interface Instruction {
  keyword: string;
  args: string;
}
function dockerfileStages(text: string): { name: string | undefined; instructions: Instruction[] }[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages: { name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') stages.push({ name: /\sAS\s+(\S+)/i.exec(args)?.[1], instructions: [] });
    stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}
const dockerfile = dockerfileStages(read('sample/Dockerfile'));
const [buildStage, finalStage] = [dockerfile[0], dockerfile.at(-1)!];
const all = (stage: typeof finalStage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const one = (stage: typeof finalStage, keyword: string) => {
  const found = all(stage, keyword);
  expect(found).toHaveLength(1);
  return found[0];
};
const execForm = (args: string) => JSON.parse(args) as string[];

// ---- Kubernetes manifests.
type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function manifests(file: string): Manifest[] {
  const docs = parseAllDocuments(read(`sample/kubernetes/${file}`));
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((doc) => doc.toJS() as Manifest);
}
function manifest(file: string, kind?: string): Manifest {
  const found = manifests(file).filter((doc) => kind === undefined || doc.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}
const deployment = manifest('deployment.yaml');
const configMap = manifest('configmap.yaml');
const secret = manifest('secret.yaml');
const service = manifest('service.yaml');
const ingress = manifest('ingress.yaml');
const disruptionBudget = manifest('pod-disruption-budget.yaml');
const serviceMonitor = manifest('monitoring/service-monitor.yaml');
const redisDeployment = manifest('redis.yaml', 'Deployment');
const redisService = manifest('redis.yaml', 'Service');
const redisPolicy = manifest('redis.yaml', 'NetworkPolicy');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const redisContainer = redisDeployment.spec.template.spec.containers[0];
const portOf = (of: Manifest, nameOrNumber: string | number): number =>
  typeof nameOrNumber === 'number' ? nameOrNumber : of.ports.find((p: Manifest) => p.name === nameOrNumber).containerPort;
const containerPort = (nameOrNumber: string | number): number => portOf(container, nameOrNumber);

/** Kubernetes' `$(VAR)` expansion: `$$` stands for `$`, a variable it does not know stays as written. */
const expandReferences = (text: string, env: Record<string, string>): string =>
  text.replace(/\$\$|\$\(([A-Za-z_][\w.-]*)\)/g, (whole, name?: string) => (name === undefined ? '$' : (env[name] ?? whole)));

/**
 * A container's environment as Kubernetes gives it: ConfigMap and Secret references resolved, and
 * `$(VAR)` in a value expanded from the variables defined before it.
 */
function containerEnvironment(of: Manifest): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of of.env as Manifest[]) {
    const ref = variable.valueFrom?.configMapKeyRef;
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (secretRef) {
      expect(secretRef.name).toBe(secret.metadata.name);
      expect(secret.stringData).toHaveProperty(secretRef.key);
      env[variable.name] = secret.stringData[secretRef.key];
    } else if (ref) {
      expect(ref.name).toBe(configMap.metadata.name);
      expect(configMap.data).toHaveProperty(ref.key);
      env[variable.name] = configMap.data[ref.key];
    } else {
      env[variable.name] = expandReferences(String(variable.value), env);
    }
  }
  return env;
}
const podEnvironment = (): Record<string, string> => containerEnvironment(container);
/** The arguments redis-server gets in its pod: `$(VAR)` expanded from the container's environment. */
const redisArgs = (): string[] => (redisContainer.args as string[]).map((arg) => expandReferences(arg, containerEnvironment(redisContainer)));

// ---- One running sample (demo mode, ephemeral port) to check probes, paths and the HEALTHCHECK against.
let child: ChildProcess | undefined;
let url = '';

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist/sample/main.js'))).toBe(true);
  child = spawn(process.execPath, ['dist/sample/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the sample did not start within 20 s:\n${out}`)), 20_000);
    child!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /curl -u demo:demo (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sample exited (${code}):\n${out}`));
    });
  });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
});

describe('sample/Dockerfile', () => {
  it('builds in a first stage with the full toolchain, and ships only the build output', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(all(buildStage, 'RUN')).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']));
    expect(all(finalStage, 'COPY')).toContain(`--from=${buildStage.name} /app/dist ./dist`);
    expect(one(finalStage, 'WORKDIR')).toBe('/app');
  });

  it('installs production dependencies only in the final stage', () => {
    const run = all(finalStage, 'RUN').join(' && ');
    expect(run).toMatch(/npm ci --omit=dev\b/);
    expect(run).not.toMatch(/npm ci(?![^&]*--omit=dev)/);
  });

  it('has in its final stage every package the built service imports', () => {
    const pkg = JSON.parse(read('package.json')) as { name: string; dependencies: Record<string, string> };
    const arg = all(finalStage, 'ARG').find((a) => a.startsWith('SAMPLE_RUNTIME_PACKAGES='))!;
    const installed = new Set([...Object.keys(pkg.dependencies), ...JSON.parse(arg.split('=')[1]).split(' ')]);
    const imported = new Set<string>();
    for (const file of readdirSync(join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' })) {
      if (!/^(lib|sample)\/.*\.js$/.test(file) || /\.spec\.js$/.test(file)) continue;
      for (const [, specifier] of read(`dist/${file}`).matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"./][^'"]*)['"]/g)) {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (!specifier.startsWith('node:') && !builtinModules.includes(name) && name !== pkg.name) imported.add(name);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !installed.has(name))).toEqual([]);
  });

  it('runs on Node 24 pinned to a minor, in both stages', () => {
    for (const stage of dockerfile) expect(one(stage, 'FROM')).toMatch(/^node:24\.\d+-slim AS \w+$/);
  });

  it('runs in production, where the service refuses the demo backend that a missing BACKEND_URL would start', () => {
    expect(one(finalStage, 'ENV')).toMatch(/\bNODE_ENV=production\b/);
    expect(() => loadServiceConfig({ NODE_ENV: 'production' })).toThrow(/BACKEND_URL is required with NODE_ENV=production/);
    expect(loadServiceConfig({ ...podEnvironment(), NODE_ENV: 'production' }).backendUrl).toBeDefined();
  });

  it('runs the build output that `npm run build` produces, as `npm run start:prod` does', () => {
    const cmd = execForm(one(finalStage, 'CMD'));
    expect(cmd).toEqual(['node', 'dist/sample/main.js']);
    expect(existsSync(join(ROOT, cmd[1]))).toBe(true);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:prod']).toBe(`node ${cmd[1]}`);
  });

  it('runs as a non-root (numeric) user, the one the Deployment expects', () => {
    const [user] = one(finalStage, 'USER').split(':');
    expect(user).toMatch(/^\d+$/);
    expect(Number(user)).not.toBe(0);
    expect(pod.securityContext.runAsUser).toBe(Number(user));
  });

  it('exposes the port the service listens on', () => {
    const expose = Number(one(finalStage, 'EXPOSE'));
    expect(one(finalStage, 'ENV')).toMatch(new RegExp(`\\bPORT=${expose}\\b`));
    expect(loadServiceConfig({}).port).toBe(expose);
    expect(containerPort('http')).toBe(expose);
  });

  it('has a HEALTHCHECK that passes against the running service and fails without one', () => {
    const args = one(finalStage, 'HEALTHCHECK');
    const cmd = execForm(args.slice(args.indexOf('CMD') + 3).trim());
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    expect(cmd[2]).toContain("+ '/')");
    const port = new URL(url).port;
    const run = (env: Record<string, string>) => spawnSync(process.execPath, cmd.slice(1), { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    expect(run({ PORT: port }).status).toBe(0);
    // An address where nothing listens: the check must fail, not hang or pass.
    expect(run({ PORT: '1' }).status).toBe(1);
  });

  it('is built from a context without host node_modules or dist (.dockerignore)', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
  });
});

describe('sample/kubernetes', () => {
  it('has startup and liveness probes on GET / and the readiness probe on GET /ready at the container port, which the service answers 200', async () => {
    for (const probe of [container.startupProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).toBe('/');
      expect(containerPort(probe.httpGet.port)).toBe(5000);
      const res = await fetch(`${url}${probe.httpGet.path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('OK');
    }
    const readiness = container.readinessProbe;
    expect([readiness.httpGet.path, containerPort(readiness.httpGet.port)]).toEqual(['/ready', 5000]);
    const res = await fetch(`${url}${readiness.httpGet.path}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
    // Within the shutdown delay the probe fails often enough to take the pod out before it drains.
    expect(readiness.periodSeconds * readiness.failureThreshold).toBeLessThan(loadServiceConfig(podEnvironment()).shutdownDelayMs / 1000);
  });

  it('gives the container a valid configuration whose PORT is the container port', () => {
    const env = podEnvironment();
    const config = loadServiceConfig(env);
    expect(config.port).toBe(containerPort('http'));
    expect(config.backendUrl).toBeDefined(); // a deployment must not fall back to demo mode
    expect(config.authType).toBe('bitly-proxy');
    // Several replicas: they share one Redis, with its password and the secret from the Secret.
    expect(deployment.spec.replicas).toBeGreaterThan(1);
    expect(config.sessionSecret).toBe(secret.stringData.SESSION_SECRET);
    const redisUrl = new URL(config.redisUrl!);
    expect([redisUrl.protocol, redisUrl.port, redisUrl.pathname]).toEqual(['redis:', '6379', '/0']);
    expect(redisUrl.password).toBe(secret.stringData.REDIS_PASSWORD);
    // The Secret is the one place of both: no copy in the Deployment or the ConfigMap.
    for (const file of ['deployment.yaml', 'configmap.yaml']) {
      const text = read(`sample/kubernetes/${file}`);
      for (const value of Object.values(secret.stringData) as string[]) expect([file, text.includes(value)]).toEqual([file, false]);
    }
  });

  it('has only placeholders in the Secret, and says how to create the real one with every key', () => {
    const keys = Object.keys(secret.stringData);
    expect(keys.sort()).toEqual(['REDIS_PASSWORD', 'SESSION_SECRET']);
    for (const key of keys) expect([key, secret.stringData[key]]).toEqual([key, expect.stringMatching(/^replace-me-with-/)]);
    const create = /^# +kubectl create secret generic (\S+) ((?:.*\\\n#)*.*)$/m.exec(read('sample/kubernetes/secret.yaml'));
    expect(create?.[1]).toBe(secret.metadata.name);
    expect([...create![2].matchAll(/--from-literal=(\w+)=/g)].map(([, key]) => key).sort()).toEqual(keys);
  });

  it('runs the Redis the replicas share where REDIS_URL points, without persistence, asking for the password from the Secret', () => {
    const redisUrl = new URL(loadServiceConfig(podEnvironment()).redisUrl!);
    expect(redisService.metadata.name).toBe(redisUrl.hostname);
    expect(redisService.spec.selector).toEqual(redisDeployment.spec.template.metadata.labels);
    expect(portOf(redisContainer, redisService.spec.ports[0].targetPort)).toBe(Number(redisUrl.port));
    const args = redisContainer.args as string[];
    expect(args).toEqual(expect.arrayContaining(['--save', '', '--appendonly', 'no']));
    // --requirepass is a reference to a variable of the container, from the Secret's REDIS_PASSWORD.
    const requirepass = args.indexOf('--requirepass');
    expect(requirepass).toBeGreaterThanOrEqual(0);
    const variable = /^\$\((\w+)\)$/.exec(args[requirepass + 1])?.[1];
    const source = (redisContainer.env as Manifest[]).find((entry) => entry.name === variable)?.valueFrom;
    expect(source).toEqual({ secretKeyRef: { name: secret.metadata.name, key: 'REDIS_PASSWORD' } });
    expect(redisArgs()[requirepass + 1]).toBe(redisUrl.password);
  });

  it("lets only the service's pods reach Redis, on its port (NetworkPolicy)", () => {
    expect(redisPolicy.spec.podSelector).toEqual({ matchLabels: redisDeployment.spec.selector.matchLabels });
    expect(redisDeployment.spec.template.metadata.labels).toMatchObject(redisPolicy.spec.podSelector.matchLabels);
    expect(redisPolicy.spec.policyTypes).toEqual(['Ingress']);
    // One rule, one peer: a pod selector alone (no namespaceSelector or ipBlock to widen it) that
    // the service's pods match, on Redis's port only.
    expect(redisPolicy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: deployment.spec.selector.matchLabels } }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(redisDeployment.spec.template.metadata.labels).not.toMatchObject(deployment.spec.selector.matchLabels);
    expect(portOf(redisContainer, 'redis')).toBe(6379);
  });

  it('lets liveness wait for the startup probe, which allows a slow boot', () => {
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
    expect(container.livenessProbe.initialDelaySeconds ?? 0).toBe(0);
  });

  it('spreads the replicas over nodes and zones, and keeps one serving through a drain (PodDisruptionBudget)', () => {
    const spread = pod.topologySpreadConstraints as Manifest[];
    expect(spread.map((constraint) => constraint.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const constraint of spread) {
      expect(constraint).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: deployment.spec.selector.matchLabels } });
    }
    expect(disruptionBudget).toMatchObject({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: deployment.metadata.name } });
    expect(disruptionBudget.spec.selector).toEqual({ matchLabels: deployment.spec.selector.matchLabels });
    // Of the replicas, at least one stays up while the others are evicted.
    const unavailable = disruptionBudget.spec.maxUnavailable ?? deployment.spec.replicas - disruptionBudget.spec.minAvailable;
    expect(unavailable).toBeGreaterThanOrEqual(1);
    expect(unavailable).toBeLessThan(deployment.spec.replicas);
  });

  it('sets resources, a non-root read-only security context and a grace period that outlasts a request', () => {
    for (const kind of ['requests', 'limits']) expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    // The service delays its own shutdown (SHUTDOWN_DELAY_MS): no preStop pause, which would add to it.
    expect(container.lifecycle?.preStop).toBeUndefined();
    const delaySeconds = loadServiceConfig(podEnvironment()).shutdownDelayMs / 1000;
    const requestSeconds = DEFAULT_BACKEND_SESSION_OPTIONS.timeoutMs / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(delaySeconds + requestSeconds);
  });

  it('has a Service that selects the pods and targets the container port', () => {
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(containerPort(service.spec.ports[0].targetPort)).toBe(5000);
  });

  it('has an Ingress of a named class that routes the /mymicroservice prefix unchanged to the Service', async () => {
    expect(ingress.metadata.annotations ?? {}).toEqual({});
    expect(ingress.spec.ingressClassName).toMatch(/^[a-z0-9-]+$/);
    const paths = ingress.spec.rules.flatMap((rule: Manifest) => rule.http.paths) as Manifest[];
    expect(paths).toHaveLength(1);
    const [path] = paths;
    expect(path).toMatchObject({ path: '/mymicroservice', pathType: 'Prefix' });
    expect(path.backend.service.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: Manifest) => p.name)).toContain(path.backend.service.port.name);
    // Unrewritten paths under the prefix reach the service as they are, and it answers them.
    expect((await fetch(`${url}${path.path}/metadata`)).status).toBe(200);
    const metric = await fetch(`${url}${path.path}/buildmyapp/time`, {
      headers: { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` },
    });
    expect(metric.status).toBe(200);
  });

  it('has the pods scraped where the service serves Prometheus text: annotations and a ServiceMonitor on the Service', async () => {
    const annotations = deployment.spec.template.metadata.annotations as Record<string, string>;
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(Number(annotations['prometheus.io/port'])).toBe(containerPort('http'));
    const path = annotations['prometheus.io/path'];
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toMatch(/^# TYPE apikit_logins_total counter$/m);
    expect(serviceMonitor).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', spec: { selector: { matchLabels: service.metadata.labels } } });
    expect(serviceMonitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path })]);
    expect(service.spec.ports.map((p: Manifest) => p.name)).toContain('http');
    // Scraped inside the cluster only: the ingress routes the service's prefix, which /metrics is not under.
    for (const rule of ingress.spec.rules) for (const { path: routed } of rule.http.paths) expect(path.startsWith(routed)).toBe(false);
  });

  it('explains in the Ingress why route prefixes exist', () => {
    expect(read('sample/kubernetes/ingress.yaml')).toMatch(/^#.*route prefix/im);
  });
});

describe('sample/kubernetes/redis.yaml, run by a local redis-server as its pod runs it', () => {
  let redis: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    // The image's entrypoint runs `redis-server <args>` when the first argument is an option.
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...redisArgs()], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      redis!.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}): apt-get install redis-server`)));
      redis!.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
      redis!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) resolve();
      });
    });
  });

  afterAll(async () => {
    if (redis && redis.exitCode === null && redis.signalCode === null) {
      const exited = new Promise((resolve) => redis!.once('exit', resolve));
      redis.kill('SIGKILL');
      await exited;
    }
  });

  /** The service's REDIS_URL as the sample hands it to the Redis store, pointed at the local redis-server. */
  function storeUrl(): URL {
    const config = loadServiceConfig(podEnvironment());
    const { store } = createApiKitOptions(config, new BackendTarget(config.backendUrl!, config.proxyStartUrl, config.githubUrl)).backend!;
    expect(store).toMatchObject({ type: 'redis', url: config.redisUrl });
    const url = new URL(config.redisUrl!);
    [url.hostname, url.port] = ['127.0.0.1', String(port)];
    return url;
  }

  async function ping(url: URL): Promise<string> {
    const client = createClient({ url: url.href, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.ping();
    } catch (error) {
      return (error as Error).message;
    } finally {
      client.destroy();
    }
  }

  it("answers the service's REDIS_URL, and refuses a client without the password", async () => {
    const url = storeUrl();
    expect(await ping(url)).toBe('PONG');
    url.password = '';
    expect(await ping(url)).toMatch(/^NOAUTH\b/);
  });

  it("passes its probes with the container's environment, and fails them with a wrong password", () => {
    const env = containerEnvironment(redisContainer);
    for (const probe of [redisContainer.readinessProbe, redisContainer.livenessProbe]) {
      const [shell, flag, script] = probe.exec.command as string[];
      // The pod's redis-cli reaches the default port; this one is elsewhere.
      const local = script.replace(/\bredis-cli\b/g, `redis-cli -p ${port}`);
      const run = (extra: Record<string, string>) => spawnSync(shell, [flag, local], { env: { PATH: process.env.PATH ?? '', ...env, ...extra }, timeout: 10_000 }).status;
      expect(run({})).toBe(0);
      expect(run(Object.fromEntries(Object.keys(env).map((name) => [name, 'wrong'])))).not.toBe(0);
    }
  });
});
