import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { ProjectAnswers } from './project-answers.js';
import { renderProject, type ProjectFile } from './project.renderer.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OWN = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };

const ANSWERS: ProjectAnswers = {
  name: 'uservice-weather',
  description: `SQuaRE's "weather" \\ metrics`,
  repository: 'https://github.com/Example-Org/uservice-weather',
  prefix: '/weather/v2',
  auth: 'basic',
  adapter: 'fastify',
  dir: './uservice-weather',
};

const fileOf = (files: ProjectFile[], path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} is not generated`);
  return String(file.content);
};

describe('renderProject', () => {
  const files = renderProject(ANSWERS, { packageRoot: ROOT });

  it('gives the project SQR-015 describes, and nothing of this repository', () => {
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '.dockerignore',
        '.gitignore',
        '.prettierrc',
        'Dockerfile',
        'eslint.config.mjs',
        'README.md',
        'kubernetes/configmap.yaml',
        'kubernetes/deployment.yaml',
        'kubernetes/ingress.yaml',
        'kubernetes/monitoring/service-monitor.yaml',
        'kubernetes/pod-disruption-budget.yaml',
        'kubernetes/service.yaml',
        'package.json',
        'src/app.module.ts',
        'src/main.ts',
        'src/metric/metric.controller.ts',
        'test/app.e2e-spec.ts',
        'tsconfig.json',
      ]),
    );
    expect(paths.filter((path) => /\.spec\.ts$|^src\/Dockerfile$|\.template$|^(gitignore|dockerignore|prettierrc)$|nest-cli\.json|^vendor\//.test(path))).toEqual([]);
    for (const { path, content } of files) {
      expect([path, /mymicroservice|sqre-lsst|dist\/sample|\{\{\w+\}\}/.test(String(content))]).toEqual([path, false]);
    }
  });

  it('puts the answers where they belong: metadata, prefix, defaults, image', () => {
    const options = fileOf(files, 'src/apikit-options.factory.ts');
    expect(options).toContain(`name: 'uservice-weather',`);
    expect(options).toContain(`repository: 'https://github.com/Example-Org/uservice-weather',`);
    expect(options).toContain(`description: 'SQuaRE\\'s "weather" \\\\ metrics',`);
    expect(options).toContain(`route: ['/', '/weather/v2'],`);
    expect(fileOf(files, 'src/metric/metric.controller.ts')).toContain(`@Controller(['', 'weather/v2'])`);
    const environment = fileOf(files, 'src/config/service-environment.schema.ts');
    expect(environment).toContain(`DEFAULT_AUTH_TYPE: (typeof AUTH_TYPES)[number] = 'basic'`);
    expect(environment).toContain(`DEFAULT_HTTP_ADAPTER: (typeof HTTP_ADAPTERS)[number] = 'fastify'`);
    expect(fileOf(files, 'kubernetes/deployment.yaml')).toContain('image: ghcr.io/example-org/uservice-weather:');
  });

  it('deploys behind the ingress under the prefix, without a rewrite, with the chosen auth type', () => {
    const [ingress] = parseAllDocuments(fileOf(files, 'kubernetes/ingress.yaml')).map((doc) => doc.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(ingress.metadata.name).toBe('uservice-weather');
    expect(ingress.metadata.annotations ?? {}).not.toHaveProperty(['nginx.ingress.kubernetes.io/rewrite-target']);
    expect(ingress.spec.rules[0].http.paths[0]).toMatchObject({ path: '/weather/v2', pathType: 'Prefix', backend: { service: { name: 'uservice-weather' } } });
    const [configMap] = parseAllDocuments(fileOf(files, 'kubernetes/configmap.yaml')).map((doc) => doc.toJS() as { data: Record<string, string> });
    expect(configMap.data.AUTH_TYPE).toBe('basic');
  });

  it("depends on this package at the generator's own version, on Nest, and on the chosen platform only", () => {
    const pkg = JSON.parse(fileOf(files, 'package.json')) as {
      name: string;
      type: string;
      engines: { node: string };
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg).toMatchObject({ name: 'uservice-weather', type: 'module', engines: { node: '>=22.12' } });
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'client:types', 'format', 'format:check', 'lint', 'start', 'start:dev', 'start:prod', 'test', 'test:watch']);
    // Node >= 21 no longer expands a bare directory given to --test: the runner gets a glob it expands itself.
    expect(pkg.scripts.test).toBe('npm run build && node --test "dist/test/**/*.e2e-spec.js"');
    // exec: npm's SIGTERM reaches node itself, no shell is left in between.
    expect(pkg.scripts.start).toMatch(/&& exec node dist\/src\/main\.js$/);
    expect(pkg.scripts['start:dev']).toMatch(/tsc -p tsconfig\.json --watch .*& exec node --watch dist\/src\/main\.js\)$/);
    expect(pkg.devDependencies).toMatchObject({ '@types/node': expect.stringMatching(/^\^22\./), eslint: expect.any(String), 'typescript-eslint': expect.any(String), prettier: expect.any(String) });
    for (const name of ['@nestjs/common', '@nestjs/core', '@nestjs/platform-fastify']) expect([name, pkg.dependencies[name]]).toEqual([name, expect.stringMatching(/^\^12\.([5-9]|\d\d)\./)]);
    expect(pkg.dependencies['class-validator']).toMatch(/^\^\d+\.\d+\.\d+$/); // one major, not the peer range's two
    expect(pkg.dependencies).not.toHaveProperty(['redis']); // basic: no sessions to share
    expect(pkg.dependencies['prom-client']).toBe(OWN.devDependencies['prom-client']); // the sample serves metrics
    expect(JSON.parse(fileOf(renderProject({ ...ANSWERS, auth: 'bitly-proxy' }, { packageRoot: ROOT }), 'package.json')).dependencies).toHaveProperty(['redis']);
    expect(pkg.dependencies['nestjs-apikit']).toBe(`^${OWN.version}`);
    expect(pkg.dependencies).toHaveProperty(['@nestjs/core']);
    expect(pkg.dependencies['@nestjs/swagger']).toMatch(/^\^12\./); // the sample's openapi option
    expect(pkg.dependencies).toHaveProperty(['@nestjs/platform-fastify']);
    expect(pkg.dependencies).not.toHaveProperty(['@nestjs/platform-express']);
    const express = JSON.parse(fileOf(renderProject({ ...ANSWERS, adapter: 'express' }, { packageRoot: ROOT }), 'package.json')) as typeof pkg;
    expect(express.dependencies).toHaveProperty(['@nestjs/platform-express']);
    expect(express.dependencies).not.toHaveProperty(['@nestjs/platform-fastify']);
    for (const range of Object.values(pkg.dependencies)) expect(range).toMatch(/^\^\d/);
  });

  it("builds an image that runs what start:prod runs, on the port the Deployment's probes use", () => {
    const dockerfile = fileOf(files, 'Dockerfile');
    const pkg = JSON.parse(fileOf(files, 'package.json')) as { scripts: Record<string, string> };
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]) as string[];
    expect(cmd.join(' ')).toBe(pkg.scripts['start:prod']);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist\/src \.\/dist\/src$/m);
    const port = Number(/^EXPOSE (\d+)$/m.exec(dockerfile)![1]);
    expect(dockerfile).toMatch(new RegExp(`PORT=${port}\\b`));
    const [deployment] = parseAllDocuments(fileOf(files, 'kubernetes/deployment.yaml')).map((doc) => doc.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'http', containerPort: port })]));
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/', port: 'http' });
  });

  // Issue 23: the manifests a platform team expects, checked on what the generator writes (not only on the sample's).
  it('writes the objects a platform team expects: startup probe, spread over nodes and zones, a disruption budget, an ingress class', () => {
    const objects = (path: string) => parseAllDocuments(fileOf(files, path)).map((doc) => doc.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const [deployment] = objects('kubernetes/deployment.yaml');
    const pod = deployment.spec.template.spec;
    const selector = { 'app.kubernetes.io/name': ANSWERS.name };
    expect(pod.containers[0].startupProbe.httpGet).toMatchObject({ path: '/', port: 'http' });
    expect(pod.topologySpreadConstraints.map((spread: { topologyKey: string }) => spread.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const spread of pod.topologySpreadConstraints) expect(spread.labelSelector.matchLabels).toEqual(selector);
    const [budget] = objects('kubernetes/pod-disruption-budget.yaml');
    expect(budget).toMatchObject({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: ANSWERS.name }, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } });
    expect(deployment.spec.replicas).toBeGreaterThan(budget.spec.maxUnavailable);
    const [ingress] = objects('kubernetes/ingress.yaml');
    expect(ingress.spec.ingressClassName).toEqual(expect.any(String));
  });

  it('keeps a --apikit tarball in vendor/, depends on it, and copies it into the image before each npm ci', () => {
    const content = Buffer.from([0x1f, 0x8b, 0x08, 0x00]);
    const project = renderProject(ANSWERS, { packageRoot: ROOT, apikitTarball: { fileName: 'nestjs-apikit-9.9.9.tgz', content } });
    expect(project.find((file) => file.path === 'vendor/nestjs-apikit-9.9.9.tgz')?.content).toEqual(content);
    expect(JSON.parse(fileOf(project, 'package.json')).dependencies['nestjs-apikit']).toBe('file:./vendor/nestjs-apikit-9.9.9.tgz');
    const steps = fileOf(project, 'Dockerfile').split('\n').filter((line) => /^(FROM|COPY vendor|RUN npm ci)/.test(line));
    expect(steps.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(['FROM node:24.22-slim', 'COPY vendor', 'RUN npm', 'FROM node:24.22-slim', 'COPY vendor', 'RUN npm']);
    expect(fileOf(project, '.gitignore')).toMatch(/^\*\.tgz\n!vendor\/\*\.tgz$/m); // ignored tarballs, but not the one it installs from
    expect(fileOf(project, 'README.md')).toContain('`vendor/nestjs-apikit-9.9.9.tgz`');
    expect(fileOf(files, 'Dockerfile')).not.toMatch(/^COPY vendor/m);
  });

  it('ignores in git what nest new ignores: env files, tarballs, build info, editor and OS files', () => {
    const ignored = fileOf(files, '.gitignore').split('\n');
    for (const pattern of ['node_modules/', 'dist/', '.env*', '*.tgz', '*.tsbuildinfo', '.idea/', '.vscode/*', '.DS_Store', '*.swp']) expect(ignored).toContain(pattern);
  });

  it('fills the project templates: the README names the prefix, the e2e spec the name', () => {
    expect(fileOf(files, 'README.md')).toContain('GET /weather/v2/<jobname>/<metric>');
    expect(fileOf(files, 'test/app.e2e-spec.ts')).toContain(`const PREFIX = '/weather/v2';`);
  });

  it.each(['bitly-proxy', 'basic', 'none'] as const)(
    '--auth %s: every variable the Deployment reads exists where it points, and the README deploys what is there',
    (auth) => {
      const project = renderProject({ ...ANSWERS, auth }, { packageRoot: ROOT });
      const manifests = project.filter((file) => file.path.startsWith('kubernetes/')).map((file) => file.path);
      const sessions = auth === 'bitly-proxy'; // GitHub logins, sessions shared through Redis with a secret
      expect(manifests.includes('kubernetes/redis.yaml')).toBe(sessions);
      expect(manifests.includes('kubernetes/secret.yaml')).toBe(sessions);
      const toJS = (path: string) => parseAllDocuments(fileOf(project, path)).map((doc) => doc.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
      const [configMap] = toJS('kubernetes/configmap.yaml');
      const secret = sessions ? toJS('kubernetes/secret.yaml')[0] : undefined;
      const env = toJS('kubernetes/deployment.yaml')[0].spec.template.spec.containers[0].env as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const defined: string[] = [];
      for (const variable of env) {
        const fromConfigMap = variable.valueFrom?.configMapKeyRef;
        const fromSecret = variable.valueFrom?.secretKeyRef;
        if (fromConfigMap) expect([variable.name, configMap.data]).toEqual([variable.name, expect.objectContaining({ [fromConfigMap.key]: expect.any(String) })]);
        if (fromSecret) expect(secret?.stringData).toHaveProperty([fromSecret.key]);
        // Kubernetes expands $(VAR) only from the variables defined before.
        for (const [, name] of String(variable.value ?? '').matchAll(/\$\((\w+)\)/g)) expect([variable.name, defined]).toEqual([variable.name, expect.arrayContaining([name])]);
        defined.push(variable.name);
      }
      const sessionVariables = ['GITHUB_URL', 'REDIS_PASSWORD', 'REDIS_URL', 'SESSION_SECRET'];
      expect(defined.filter((name) => sessionVariables.includes(name))).toEqual(sessions ? sessionVariables : []);
      const readme = fileOf(project, 'README.md');
      expect(manifests).toContain('kubernetes/monitoring/service-monitor.yaml');
      expect(readme).toContain('`kubectl apply -f kubernetes/monitoring/`');
      if (sessions) {
        expect(env.find((variable) => variable.name === 'REDIS_URL')?.value).toBe('redis://:$(REDIS_PASSWORD)@uservice-weather-redis:6379/0');
        // Redis asks for the same password from the Secret, and takes connections from the service's pods only.
        const [redis, redisService, policy] = toJS('kubernetes/redis.yaml');
        expect(redisService.metadata.name).toBe('uservice-weather-redis');
        expect(redis.spec.template.spec.containers[0].env).toEqual([{ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'uservice-weather', key: 'REDIS_PASSWORD' } } }]);
        expect(policy).toMatchObject({
          kind: 'NetworkPolicy',
          spec: { podSelector: { matchLabels: redisService.spec.selector }, ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'uservice-weather' } } }] }] },
        });
        // Applying secret.yaml (placeholders) would replace the secret the README has just created.
        expect(Object.keys(secret!.stringData).sort()).toEqual(['REDIS_PASSWORD', 'SESSION_SECRET']);
        const create = /kubectl create secret generic uservice-weather ((?:.*\\\n)*.*)/.exec(readme);
        expect([...create![1].matchAll(/--from-literal=(\w+)=/g)].map(([, key]) => key).sort()).toEqual(['REDIS_PASSWORD', 'SESSION_SECRET']);
        // The ServiceMonitor needs the Prometheus Operator's CRD: applied apart, where the cluster has it.
        const applied = [...readme.matchAll(/-f (kubernetes\/[^\s`]*)/g)].map(([, path]) => path).filter((path) => path !== 'kubernetes/monitoring/');
        expect(applied.sort()).toEqual(manifests.filter((path) => path !== 'kubernetes/secret.yaml' && !path.startsWith('kubernetes/monitoring/')).sort());
      } else {
        expect(readme).toContain('kubectl apply -f kubernetes/\n'); // not recursive: kubernetes/monitoring/ is left to the Operator's clusters
        expect(readme).not.toMatch(/kubectl create secret|redis\.yaml|secret\.yaml/);
      }
    },
  );

  describe('guards the agreement between the sample and the generator', () => {
    let copy: string;
    beforeEach(() => {
      copy = mkdtempSync(join(tmpdir(), 'apikit-renderer-'));
      for (const part of ['sample', 'templates', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    });
    afterEach(() => rmSync(copy, { recursive: true, force: true }));

    it('fails when the sample no longer holds an answer the generator replaces', () => {
      const environment = join(copy, 'sample/config/service-environment.schema.ts');
      writeFileSync(environment, readFileSync(environment, 'utf8').replace("= 'bitly-proxy'", "= 'basic'"));
      expect(() => renderProject(ANSWERS, { packageRoot: copy })).toThrow(/the sample no longer holds these template tokens: DEFAULT_AUTH_TYPE/);
    });

    it("fails when a new sample file names the sample's service in a way no token covers", () => {
      writeFileSync(join(copy, 'sample/banner.ts'), "export const BANNER = 'mymicroservice!';\n");
      expect(() => renderProject(ANSWERS, { packageRoot: copy })).toThrow("src/banner.ts still names the sample's service after rendering");
    });

    it('fails on a template placeholder it does not know', () => {
      writeFileSync(join(copy, 'templates/project/README.md'), '# {{nmae}}\n');
      expect(() => renderProject(ANSWERS, { packageRoot: copy })).toThrow('templates/project/README.md: unknown placeholder {{nmae}}');
    });
  });
});
