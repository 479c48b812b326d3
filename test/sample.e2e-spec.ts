// The sample service as a newcomer runs it: `node dist/sample/main.js` in demo mode, a separate
// process on an ephemeral port, spoken to over HTTP. `npm test` builds dist/ before jest runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { expectApiKitRoutes, expectCallerRoute, expectErrorBodyEverywhere, validationProblems, type OpenApiDocument } from './fixtures/openapi-document.fixture.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = 'dist/sample/main.js';
const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
const DEMO = { username: 'demo', password: 'demo' };
const BOOT_TIMEOUT_MS = 20_000;

interface SampleProcess {
  child: ChildProcess;
  /** The base URL, parsed from the demo banner's curl command. */
  url: string;
  /** The curl command the banner prints, verbatim. */
  curl: string;
  stdout(): string;
  stderr(): string;
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the sample as README says, with a clean environment (demo mode, port 0 = ephemeral). */
async function startSample(env: Record<string, string>): Promise<SampleProcess> {
  if (!existsSync(`${ROOT}${MAIN}`)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does).`);
  const inherited = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
      for (const wake of waiters) wake();
    }),
  );
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));

  const waitForStdout = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${pattern} in the sample's output within ${BOOT_TIMEOUT_MS} ms:\n${out}\n${err}`)), BOOT_TIMEOUT_MS);
      const check = () => {
        const match = out.match(pattern);
        if (match) done(undefined, match);
        else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`the sample exited (${child.exitCode ?? child.signalCode}):\n${out}\n${err}`));
      };
      const done = (error?: Error, match?: RegExpMatchArray) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(match!);
      };
      waiters.add(check);
      check();
    });

  const [, curl, url] = await waitForStdout(/(curl (?:-u demo:demo )?(http:\/\/127\.0\.0\.1:\d+)\/mymicroservice\/buildmyapp\/time)\n/);
  return { child, url, curl, stdout: () => out, stderr: () => err, waitForStdout, exited };
}

const children = new Set<ChildProcess>();

async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, unknown>;
}

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function client() {
  const agent = new Agent();
  const get = async (url: string, credentials?: { username: string; password: string }, extra: Record<string, string> = {}): Promise<Answer> => {
    const res = await request(url, {
      dispatcher: agent,
      headers: { ...extra, ...(credentials ? { authorization: basic(credentials) } : {}) },
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  return { get, close: () => agent.close() };
}

describe.each(['express', 'fastify'])('sample service in demo mode (HTTP_ADAPTER=%s)', (adapter) => {
  let sample: SampleProcess;
  const http = client();
  const canary = `canary-${process.pid}-${adapter}`;

  beforeAll(async () => {
    sample = await startSample({ HTTP_ADAPTER: adapter });
  });

  afterAll(async () => {
    await http.close();
    await killAll();
  });

  it('prints a curl command with the real port, and that command works', async () => {
    expect(sample.curl).toBe(`curl -u demo:demo ${sample.url}/mymicroservice/buildmyapp/time`);
    expect(sample.stdout()).toContain(`curl ${sample.url}/mymicroservice/metadata`);
    const res = await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, DEMO);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['jobname', 'metric', 'value']);
    expect(body).toMatchObject({ jobname: 'buildmyapp', metric: 'time' });
    expect(body.value).toMatch(/^\d+$/);
  });

  it('logs its startup as a JSON line of the library logger', () => {
    const line = sample
      .stdout()
      .split('\n')
      .find((l) => l.includes('uservice-mymicroservice listening'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      level: 'info',
      logger: 'Bootstrap',
      event: 'uservice-mymicroservice listening',
      url: sample.url,
      httpAdapter: adapter,
      demo: true,
    });
  });

  const metadataPaths = ['', '/mymicroservice'].flatMap((prefix) =>
    ['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json'].map((route) => `${prefix}${route}`),
  );

  it.each(metadataPaths)('serves the metadata at %s', async (path) => {
    const res = await http.get(`${sample.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      name: 'uservice-mymicroservice',
      version: VERSION,
      repository: 'https://github.com/sqre-lsst/uservice-mymicroservice',
      description: 'My delightful microservice',
      api_version: '1.0',
      auth: 'bitly-proxy',
    });
  });

  it('answers the health check GET / with OK', async () => {
    const res = await http.get(`${sample.url}/`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
  });

  it.each(['', '/mymicroservice'])('answers a metric under the prefix "%s" as the caller', async (prefix) => {
    const res = await http.get(`${sample.url}${prefix}/nightly/status`, DEMO);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ jobname: 'nightly', metric: 'status', value: expect.stringMatching(/^(passed|failed)$/) });
  });

  it('decodes the backend text as UTF-8 and tolerates invalid bytes', async () => {
    expect((await http.get(`${sample.url}/buildmyapp/owner`, DEMO)).json().value).toBe('Zoë');
    expect((await http.get(`${sample.url}/buildmyapp/legacy`, DEMO)).json().value).toBe('caf\uFFFD');
  });

  it('refuses a metric without credentials: 401 with the apikit body and WWW-Authenticate', async () => {
    const res = await http.get(`${sample.url}/mymicroservice/buildmyapp/time`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Basic/);
    expect(res.json()).toEqual({ reason: 'Unauthorized', status_code: 401, error_content: 'No authorization provided.' });
  });

  it('walks the two-factor demo user through X-GitHub-OTP with the code the console prints', async () => {
    const user = { username: 'demo2fa', password: 'demo' };
    const asked = await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, user);
    expect([asked.status, asked.headers['x-github-otp']]).toEqual([401, 'required; app']);
    const [, code] = await sample.waitForStdout(/authenticator app of demo2fa shows (\d{6})/);
    const done = await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, user, { 'x-github-otp': code });
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ jobname: 'buildmyapp', metric: 'time' });
    // The device token the console's instructions name: later calls need no code, the password alone does.
    const token = String(done.headers['x-apikit-device']);
    expect((await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, user, { 'x-apikit-device': token })).status).toBe(200);
    expect((await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, user)).headers['x-github-otp']).toBe('required; app');
    expect(sample.stdout()).toContain("-H 'X-ApiKit-Device: <token>'");
  });

  it('refuses a metric with a wrong password (401), never echoing it', async () => {
    const res = await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, { username: 'demo', password: canary });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ reason: 'Unauthorized', status_code: 401 });
    expect(res.text).not.toContain(canary);
    expect(JSON.stringify(res.headers)).not.toContain(canary);
  });

  it('relays a backend failure as a BackendError with its status, reason and body', async () => {
    const res = await http.get(`${sample.url}/mymicroservice/buildmyapp/nosuchmetric`, DEMO);
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({
      reason: 'Not Found',
      status_code: 404,
      error_content: "No metric 'nosuchmetric' for job 'buildmyapp'. Known metrics: time, status, owner, legacy.",
    });
  });

  it.each(['/%20/time', '/buildmyapp/%20%09', '/mymicroservice/%20/%20'])(
    'answers 400 "Must specify metric and jobname." for blank segments (%s)',
    async (path) => {
      const res = await http.get(`${sample.url}${path}`, DEMO);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ reason: 'Bad Request', status_code: 400, error_content: 'Must specify metric and jobname.' });
    },
  );

  it.each(['/v1.0/metadata', '/mymicroservice/v1.0/metadata'])(
    'does not let /:jobname/:metric swallow %s, even with credentials',
    async (path) => {
      const res = await http.get(`${sample.url}${path}`, DEMO);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ name: 'uservice-mymicroservice', api_version: '1.0' });
      expect(res.json()).not.toHaveProperty('jobname');
    },
  );

  it("answers a route that does not exist in apikit's error body (errorBody: 'apikit')", async () => {
    const res = await http.get(`${sample.url}/mymicroservice/no/such/route`, DEMO);
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ reason: 'Not Found', status_code: 404, error_content: 'No route answers GET at this path.' });
  });

  it('serves its OpenAPI document: valid, with every route, the error body and what a caller route answers', async () => {
    const res = await http.get(`${sample.url}/openapi.json`);
    expect(res.status).toBe(200);
    const document = res.json() as unknown as OpenApiDocument;
    expect(await validationProblems(document)).toBe('');
    expect(document.info).toEqual({ title: 'uservice-mymicroservice', version: VERSION, description: 'My delightful microservice' });
    expect(document.externalDocs?.url).toBe('https://github.com/sqre-lsst/uservice-mymicroservice');
    expectApiKitRoutes(document, ['', '/mymicroservice'].flatMap((prefix) => [`${prefix}/metadata`, `${prefix}/metadata.json`, `${prefix}/v1.0/metadata`, `${prefix}/v1.0/metadata.json`]));
    expectCallerRoute(document.paths['/{jobname}/{metric}']!.get!);
    expectCallerRoute(document.paths['/mymicroservice/{jobname}/{metric}']!.get!);
    expectErrorBodyEverywhere(document);
    expect((await http.get(`${sample.url}/docs`)).text).toContain('swagger-ui-bundle.js');
  });

  it('never writes a password to its output', () => {
    expect(sample.stdout() + sample.stderr()).not.toContain(canary);
  });
});

// Demo mode serves every auth type, so that a service generated with --auth basic or none runs at once too.
describe.each([
  ['basic', 'express'],
  ['basic', 'fastify'],
  ['none', 'express'],
  ['none', 'fastify'],
])('sample service in demo mode with AUTH_TYPE=%s (HTTP_ADAPTER=%s)', (authType, adapter) => {
  let sample: SampleProcess;
  const http = client();

  beforeAll(async () => {
    sample = await startSample({ HTTP_ADAPTER: adapter, AUTH_TYPE: authType });
  });

  afterAll(async () => {
    await http.close();
    await killAll();
  });

  it('prints a curl command for its auth type, and that command works', async () => {
    const credentials = authType === 'basic' ? DEMO : undefined;
    expect(sample.curl).toBe(`curl ${credentials ? '-u demo:demo ' : ''}${sample.url}/mymicroservice/buildmyapp/time`);
    expect(sample.stdout()).not.toContain('Two-factor');
    const res = await http.get(`${sample.url}/mymicroservice/buildmyapp/time`, credentials);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ jobname: 'buildmyapp', metric: 'time' });
    expect((await http.get(`${sample.url}/mymicroservice/metadata`)).json()).toMatchObject({ auth: authType });
  });

  if (authType === 'basic') {
    it("relays the backend's 401 to a wrong password, and asks for credentials without any", async () => {
      const wrong = await http.get(`${sample.url}/buildmyapp/time`, { username: 'demo', password: 'not-demo' });
      expect(wrong.status).toBe(401);
      expect(wrong.json()).toMatchObject({ reason: 'Unauthorized', status_code: 401 });
      const none = await http.get(`${sample.url}/buildmyapp/time`);
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    });
  }
});

describe.each(['express', 'fastify'])('sample service shutdown (HTTP_ADAPTER=%s)', (adapter) => {
  const http = client();

  afterAll(async () => {
    await http.close();
    await killAll();
  });

  it('on SIGTERM serves on for SHUTDOWN_DELAY_MS, /ready answering 503, then finishes the in-flight request and exits 0', async () => {
    const sample = await startSample({ HTTP_ADAPTER: adapter, DEMO_BACKEND_DELAY_MS: '1500', SHUTDOWN_DELAY_MS: '2000', LOGLEVEL: 'DEBUG' });
    const inFlight = http.get(`${sample.url}/mymicroservice/slowjob/time`, DEMO);
    // The request has reached the (slow) backend: it is in flight now.
    await sample.waitForStdout(/demo backend request user=demo job=slowjob metric=time/);
    expect(sample.child.kill('SIGTERM')).toBe(true);
    // Within the delay (fresh connections), once the shutdown has begun: not ready, every other route as usual.
    await sample.waitForStdout(/Shutting down: serving on/);
    const ready = await fetch(`${sample.url}/ready`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'not_ready', reasons: ['shutting_down'] }]);
    expect((await fetch(`${sample.url}/mymicroservice/metadata`)).status).toBe(200);

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ jobname: 'slowjob', metric: 'time', value: expect.stringMatching(/^\d+$/) });
    expect(await sample.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses to boot with a clear message on invalid configuration (exit 1)', async () => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: 'http', HTTP_ADAPTER: adapter, AUTH_TYPE: 'kerberos' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    children.delete(child);
    expect(code).toBe(1);
    const line = JSON.parse(out.trim().split('\n').at(-1)!) as { level: string; event: string };
    expect(line.level).toBe('error');
    expect(line.event).toContain('PORT must be a port number from 0 to 65535 (0 picks a free port), got "http"');
    expect(line.event).toContain('AUTH_TYPE must be one of bitly-proxy, basic, none, got "kerberos"');
  });
});

describe('sample service in production (NODE_ENV=production, as its image runs it)', () => {
  afterAll(killAll);

  it('refuses to start its demo backend without BACKEND_URL: exit 1 naming BACKEND_URL and DEMO=1', async () => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    children.delete(child);
    expect(code).toBe(1);
    expect(out).not.toContain('Demo mode');
    const line = JSON.parse(out.trim().split('\n').at(-1)!) as { level: string; event: string };
    expect(line).toMatchObject({ level: 'error', event: expect.stringContaining('BACKEND_URL is required with NODE_ENV=production') });
    expect(line.event).toContain('DEMO=1');
  });

  it('runs the demo on purpose with DEMO=1', async () => {
    const sample = await startSample({ NODE_ENV: 'production', DEMO: '1' });
    expect(sample.curl).toBe(`curl -u demo:demo ${sample.url}/mymicroservice/buildmyapp/time`);
  });
});
