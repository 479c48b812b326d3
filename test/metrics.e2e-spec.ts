// Prometheus metrics (issue 24): /metrics after logins of each outcome the simulated stack can provoke,
// read with a strict parser of the text format, on both adapters. No credential reaches a label.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import request from 'supertest';
import { startSimulatedStack, type SimulatedStack } from '../lib/testing/index.js';
import type { ApiKitModuleOptions, BackendSessionOptions } from '../lib/index.js';
import { basic, createProxyApp } from './fixtures/backend-auth-app.fixture.js';
import { ADAPTERS } from './fixtures/e2e-app.fixture.js';
import { parsePrometheusText } from './fixtures/prometheus-text.fixture.js';

const PASSWORD = 'right-horse-battery';

describe.each(ADAPTERS)('metrics on %s', (_name, createAdapter) => {
  let stack: SimulatedStack;
  const apps: INestApplication[] = [];
  let userCount = 0;

  const addUser = (twoFactor = false): string => {
    const login = `metrics${++userCount}`;
    stack.addUser({ login, password: PASSWORD, twoFactor });
    return login;
  };
  const boot = async (metrics: ApiKitModuleOptions['metrics'], backend: BackendSessionOptions = {}): Promise<INestApplication> => {
    // One client address for every request: its bound is off, to reach the other outcomes.
    const app = await createProxyApp(createAdapter, stack, { metrics, backend: { addressThrottle: { maxFailures: 0 }, ...backend } });
    apps.push(app);
    return app;
  };
  const call = (app: INestApplication, login: string, password = PASSWORD, otp?: string) => {
    const req = request(app.getHttpServer()).get('/t/metric/job/metric?secret-query=1').set('Authorization', basic(login, password));
    return otp === undefined ? req : req.set('X-GitHub-OTP', otp);
  };
  const scrape = async (app: INestApplication, path = '/metrics') => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(200);
    return { text: res.text, samples: parsePrometheusText(res.text), contentType: res.headers['content-type'] };
  };

  beforeAll(async () => {
    // GitHub locks an account after two failed sign-ins here, before the service's username throttle (5).
    stack = await startSimulatedStack({ users: [], lockoutAfterFailures: 2 });
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await stack?.stop();
  });
  afterEach(() => {
    stack.faults.loginCaptcha = undefined;
    stack.faults.proxyRefusesAtCallback = undefined;
  });

  it('counts the logins of each outcome GitHub and the proxy give, the lookups and the backend calls', async () => {
    const app = await boot(true);
    const before = (await scrape(app)).samples;
    expect(before.get('apikit_logins_total{outcome="success"}')).toBe(0);
    expect(before.get('apikit_sessions')).toBe(0);
    expect(before.get('apikit_store_degraded')).toBe(0);

    const user = addUser();
    expect((await call(app, user)).status).toBe(200);
    expect((await call(app, user)).status).toBe(200); // pooled
    expect((await call(app, addUser(), 'wrong')).status).toBe(401);
    const twoFactor = addUser(true);
    expect((await call(app, twoFactor)).headers['x-github-otp']).toBe('required; app');
    expect((await call(app, twoFactor, PASSWORD, '000000')).status).toBe(401);
    const locked = addUser();
    expect((await call(app, locked, 'wrong-1')).status).toBe(401);
    expect((await call(app, locked, 'wrong-2')).status).toBe(401);
    expect((await call(app, locked)).status).toBe(429);
    // The proxy's callback failing (its 500: an outage or --github-org refusing the user) is no sure refusal: an error.
    stack.faults.proxyRefusesAtCallback = 'org';
    expect((await call(app, addUser())).status).toBe(502);
    // Its 403 after GitHub (--email-domain, allowed users or groups: Authorize) is the proxy's refusal of the user.
    stack.faults.proxyRefusesAtCallback = 'email-domain';
    expect((await call(app, addUser())).status).toBe(403);
    stack.faults.proxyRefusesAtCallback = undefined;
    // Last: a captcha holds this app's password logins for a minute.
    stack.faults.loginCaptcha = 'login-page';
    expect((await call(app, addUser())).status).toBe(503);
    stack.faults.loginCaptcha = undefined;

    const { samples, contentType } = await scrape(app);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const logins = (outcome: string) => samples.get(`apikit_logins_total{outcome="${outcome}"}`);
    expect([
      logins('success'), logins('wrong_password'), logins('code_required'), logins('code_refused'),
      logins('locked_out'), logins('captcha'), logins('proxy_refused'), logins('error'),
    ]).toEqual([1, 3, 1, 1, 1, 1, 1, 1]);
    expect(samples.get('apikit_login_duration_seconds_count{outcome="success"}')).toBe(1);
    expect(samples.get('apikit_login_duration_seconds_bucket{le="+Inf",outcome="wrong_password"}')).toBe(3);
    expect(samples.get('apikit_session_lookups_total{result="hit"}')).toBe(1);
    expect(samples.get('apikit_session_lookups_total{result="shared"}')).toBe(0);
    expect(samples.get('apikit_sessions')).toBeGreaterThanOrEqual(1);
    // The two answered calls; the others ended in their login, without an answer of the backend.
    expect(samples.get('apikit_backend_requests_total{method="GET",status_class="2xx"}')).toBe(2);
    expect(samples.get('apikit_backend_request_duration_seconds_count{method="GET",status_class="2xx"}')).toBe(2);
    expect(samples.get('apikit_login_budget_waiting')).toBe(0);
    expect(samples.get('process_cpu_seconds_total')).toBeGreaterThan(0); // the app's own registry has the process metrics
  });

  it('counts the service\'s own refusals (throttled, budget_exhausted) and the logins waiting for the budget, in the app\'s registry', async () => {
    const registry = new Registry();
    const jobs = new Counter({ name: 'app_jobs_total', help: 'the app\'s own metric', registers: [registry] });
    jobs.inc(3);
    const app = await boot(
      { registry, path: '/internal/metrics', prefix: 'svc_' },
      { usernameThrottle: { maxFailures: 1 }, loginBudget: { perMinute: 2 }, timeoutMs: 600 },
    );
    const throttled = addUser();
    expect((await call(app, throttled, 'wrong')).status).toBe(401);
    expect((await call(app, throttled, 'wrong-again')).status).toBe(429);
    expect((await call(app, addUser())).status).toBe(200);
    const overBudget = call(app, addUser()).then((res) => res.status);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await scrape(app, '/internal/metrics')).samples.get('svc_login_budget_waiting')).toBe(1);
    expect(await overBudget).toBe(503);

    const { samples } = await scrape(app, '/internal/metrics');
    expect(samples.get('svc_logins_total{outcome="throttled"}')).toBe(1);
    expect(samples.get('svc_logins_total{outcome="budget_exhausted"}')).toBe(1);
    expect(samples.get('svc_login_budget_waiting')).toBe(0);
    expect(samples.get('app_jobs_total')).toBe(3);
    expect(samples.has('process_cpu_seconds_total')).toBe(false); // the app's registry: its choice
    expect((await request(app.getHttpServer()).get('/metrics')).status).toBe(404);
  });

  it('serves valid exposition text with no username, password, URL or query in it, and answers HEAD', async () => {
    const app = await boot(true);
    const login = addUser();
    expect((await call(app, login)).status).toBe(200);
    expect((await call(app, login, 'a-wrong-password')).status).toBe(401);
    const { text, samples } = await scrape(app);
    expect(samples.size).toBeGreaterThan(50);
    for (const secret of [login, PASSWORD, 'a-wrong-password', 'secret-query', 'metric/job', stack.proxyUrl, new URL(stack.proxyUrl).host, 'oauth2']) {
      expect(text).not.toContain(secret);
    }
    const labelNames = new Set([...samples.keys()].filter((key) => key.startsWith('apikit_')).flatMap((key) => [...key.matchAll(/([a-z_]+)="/g)].map((m) => m[1])));
    expect([...labelNames].sort()).toEqual(['le', 'method', 'outcome', 'result', 'status_class']);
    const head = await request(app.getHttpServer()).head('/metrics');
    expect([head.status, head.text ?? '']).toEqual([200, '']);
  });

  it('has no /metrics route when metrics are off (Nest\'s 404)', async () => {
    const app = await boot(undefined);
    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('Cannot GET /metrics');
  });

  it('refuses a second ApiKitModule in the same registry, and options that are not metrics options', async () => {
    const registry = new Registry();
    await boot({ registry });
    await expect(boot({ registry })).rejects.toThrow('metrics.registry: already holds apikit_logins_total');
    await expect(boot({ registry: {} as Registry, path: 'metrics', prefix: 'a-b' })).rejects.toThrow(
      /metrics\.path: expected an absolute path[\s\S]*metrics\.prefix: expected ""[\s\S]*metrics\.registry: expected a prom-client Registry/,
    );
    await expect(boot('yes' as unknown as boolean)).rejects.toThrow('metrics: expected true, false or an object { path?, registry?, prefix? }');
  });
});
